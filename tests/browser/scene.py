"""The image most harness tests paint on: small enough to show at 1:1."""

from __future__ import annotations

import numpy as np

W, H = 200, 150


def gradient_image() -> np.ndarray:
    """(H, W, 3) uint8, different at every pixel's neighbours."""
    y, x = np.mgrid[0:H, 0:W]
    return np.stack([x * 255 // W, y * 255 // H, (x + y) % 256], axis=-1).astype(np.uint8)
