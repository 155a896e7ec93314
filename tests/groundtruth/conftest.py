"""The fake bucket, built once per test module in a temporary folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crowdseg_widget.groundtruth import local_resolver
from crowdseg_widget.groundtruth.resolvers import LocalResolver

from .bucket import BUCKET, build_bucket


@pytest.fixture(scope="module")
def bucket(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("bucket")
    built = build_bucket(root)
    built["root"] = root
    built["resolver"] = local_resolver({BUCKET: root})
    return built


@pytest.fixture
def resolver(bucket: dict[str, Any]) -> LocalResolver:
    return bucket["resolver"]


def read(root: Path, uri: str) -> bytes:
    return (root / uri[len(BUCKET) :]).read_bytes()
