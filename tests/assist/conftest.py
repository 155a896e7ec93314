"""Optional dependencies of the assist tests: skipped without them locally, failing in CI."""

from __future__ import annotations

import importlib
import os
import sys
import types
from typing import Any

import numpy as np
import pytest
from PIL import Image


def require(module: str, install: str) -> Any:
    """Import `module`, or skip the test (fail it when CI=true: CI must not pass by skipping)."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        message = f"{module} is not installed ({error}); {install}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def _torchvision_stand_in() -> None:
    """segment_anything imports torchvision at module level but declares no dependency on it,
    and PyPI's torchvision does not load beside the CPU torch used here. The predictor needs
    only `resize` and `to_pil_image` (on PIL images), so those two are provided, for real."""
    try:
        importlib.import_module("torchvision")
        return
    except ImportError:
        pass

    def to_pil_image(array: np.ndarray) -> Image.Image:
        return Image.fromarray(np.asarray(array))

    def resize(image: Image.Image, size: tuple[int, int]) -> Image.Image:
        height, width = size
        return image.resize((width, height), Image.Resampling.BILINEAR)

    def not_here(*_: Any, **__: Any) -> Any:
        raise NotImplementedError("the tests' torchvision stand-in has no box ops")

    modules = {
        name: types.ModuleType(name)
        for name in ("torchvision", "torchvision.transforms", "torchvision.transforms.functional",
                     "torchvision.ops", "torchvision.ops.boxes")
    }  # fmt: skip
    modules["torchvision.transforms.functional"].resize = resize  # type: ignore[attr-defined]
    modules["torchvision.transforms.functional"].to_pil_image = to_pil_image  # type: ignore[attr-defined]
    modules["torchvision.ops.boxes"].batched_nms = not_here  # type: ignore[attr-defined]
    modules["torchvision.ops.boxes"].box_area = not_here  # type: ignore[attr-defined]
    sys.modules.update(modules)


@pytest.fixture(scope="session")
def cv2() -> Any:
    return require("cv2", "pip install 'crowdseg-widget[assist]' (opencv-python-headless)")


@pytest.fixture(scope="session")
def segment_anything() -> Any:
    require("torch", "pip install torch==2.13.0 (the CPU wheel)")
    _torchvision_stand_in()
    return require("segment_anything", "pip install segment-anything")
