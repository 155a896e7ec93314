"""Synthetic label maps shared by the benchmarks: realistic runs of ids, not noise."""

from __future__ import annotations

import numpy as np


def blob_label_map(width: int, height: int, instances: int, seed: int = 0) -> np.ndarray:
    """`instances` overlapping disks of radius 40..200 at random places (later on top)."""
    rng = np.random.default_rng(seed)
    ids = np.zeros((height, width), np.uint8 if instances <= 255 else np.uint16)
    yy, xx = np.mgrid[0:height, 0:width]
    for i in range(1, instances + 1):
        cy, cx, r = rng.integers(0, height), rng.integers(0, width), rng.integers(40, 200)
        y0, y1, x0, x1 = max(cy - r, 0), min(cy + r, height), max(cx - r, 0), min(cx + r, width)
        disk = (yy[y0:y1, x0:x1] - cy) ** 2 + (xx[y0:y1, x0:x1] - cx) ** 2 <= r * r
        ids[y0:y1, x0:x1][disk] = i
    return ids


def gradient_image(width: int, height: int) -> np.ndarray:
    """An RGB photo stand-in: smooth gradients and a fine pattern (compresses like a photo)."""
    y, x = np.mgrid[0:height, 0:width]
    channels = [x * 255 // width, y * 255 // height, (x // 7 + y // 5) % 256]
    return np.stack(channels, -1).astype(np.uint8)
