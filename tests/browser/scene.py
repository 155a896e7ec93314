"""The image most harness tests paint on: small enough to show at 1:1."""

from __future__ import annotations

import numpy as np

W, H = 200, 150


def gradient_image(width: int = W, height: int = H) -> np.ndarray:
    """(height, width, 3) uint8, different at every pixel's neighbours."""
    y, x = np.mgrid[0:height, 0:width]
    return np.stack([x * 255 // width, y * 255 // height, (x + y) % 256], -1).astype(np.uint8)
