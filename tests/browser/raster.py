"""Reference raster rules (docs/architecture.md), written plainly, to predict exact masks."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import numpy as np


def bresenham(x0: int, y0: int, x1: int, y1: int) -> Iterator[tuple[int, int]]:
    """Every pixel of the Bresenham line, both ends included."""
    dx, dy = abs(x1 - x0), -abs(y1 - y0)
    sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
    err = dx + dy
    while True:
        yield x0, y0
        if (x0, y0) == (x1, y1):
            return
        e2 = 2 * err
        if e2 >= dy:
            err += dy
            x0 += sx
        if e2 <= dx:
            err += dx
            y0 += sy


def stroke_mask(
    width: int, height: int, points: Sequence[tuple[int, int]], radius: int
) -> np.ndarray:
    """(H, W) bool: the footprint dx²+dy² ≤ r²+r stamped on each Bresenham pixel of the path."""
    mask = np.zeros((height, width), bool)
    yy, xx = np.mgrid[0:height, 0:width]
    path = [points[0]] if len(points) == 1 else []
    for (xa, ya), (xb, yb) in itertools.pairwise(points):
        path.extend(bresenham(xa, ya, xb, yb))
    for cx, cy in dict.fromkeys(path):
        mask |= (xx - cx) ** 2 + (yy - cy) ** 2 <= radius * radius + radius
    return mask


def bbox(mask: np.ndarray) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) inclusive bounds of the True pixels."""
    ys, xs = np.nonzero(mask)
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())
