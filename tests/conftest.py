"""Shared pytest set-up: the `browser` marker and one Chromium per session.

The browser tiers (harness page, real JupyterLab) live in tests/browser/ and
build on the `browser` fixture here. See docs/development.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

#: Debian's Chromium; Playwright's own browser download fails on these machines.
CHROMIUM = Path(os.environ.get("CROWDSEG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def sample_folder(tmp_path: Path) -> Callable[[list[str]], Path]:
    """Makes a folder of shipped sample photos named `0_<name>.png`, `1_<name>.png`, ..."""
    import shutil

    from crowdseg_widget import sample_image

    def make(names: list[str]) -> Path:
        root = tmp_path / "photos"
        root.mkdir()
        for i, name in enumerate(names):
            shutil.copy(sample_image(name), root / f"{i}_{name}.png")
        return root

    return make


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Where a test's label store goes (created by the code under test)."""
    return tmp_path / "labels"


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives a real Chromium (harness page or JupyterLab); -m 'not browser'"
    )


def skip_or_fail(reason: str) -> None:
    """Skip locally; on CI (CI=true) fail, so CI never silently runs nothing."""
    if on_ci():
        pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session; tests open their own contexts."""
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Fastest tier first: unit tests, then the harness, then JupyterLab (stable otherwise)."""

    def tier(item: pytest.Item) -> int:
        if item.get_closest_marker("browser") is None:
            return 0
        return 2 if "jupyter_server" in getattr(item, "fixturenames", ()) else 1

    items.sort(key=tier)
