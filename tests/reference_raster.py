"""The painter's raster rules (docs/architecture.md), written plainly, to predict exact masks.

One module for every test that needs them, browser or not: the brush footprint
stamped along a Bresenham path, the polygon's even-odd fill of pixel centres,
the fill bucket's 4-connected region. Import it as `reference_raster`
(pytest puts tests/ on the path).
"""

from __future__ import annotations

import itertools
import math
from collections import deque
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


def footprint(radius: int) -> np.ndarray:
    """(2r+1, 2r+1) bool: the brush's pixels around its centre, dx² + dy² ≤ r² + r."""
    d = np.arange(-radius, radius + 1)
    return d[None, :] ** 2 + d[:, None] ** 2 <= radius * radius + radius


def stroke_mask(
    width: int, height: int, points: Sequence[tuple[int, int]], radius: int
) -> np.ndarray:
    """(H, W) bool: the footprint stamped on each Bresenham pixel of the path through `points`."""
    mask = np.zeros((height, width), bool)
    stamp = footprint(radius)
    path = [points[0]] if len(points) == 1 else []
    for (xa, ya), (xb, yb) in itertools.pairwise(points):
        path.extend(bresenham(xa, ya, xb, yb))
    for cx, cy in dict.fromkeys(path):
        # The stamp's window, clipped to the image (a centre may lie outside it).
        x0, y0 = max(0, cx - radius), max(0, cy - radius)
        x1, y1 = min(width, cx + radius + 1), min(height, cy + radius + 1)
        if x0 < x1 and y0 < y1:
            sx, sy = x0 - (cx - radius), y0 - (cy - radius)
            mask[y0:y1, x0:x1] |= stamp[sy : sy + y1 - y0, sx : sx + x1 - x0]
    return mask


def polygon_mask(width: int, height: int, vertices: Sequence[tuple[int, int]]) -> np.ndarray:
    """(H, W) bool: pixels whose center is inside by the even-odd rule.

    Vertices are clicked pixels (their centers). On row y an edge counts when
    exactly one end has vy <= y; between sorted crossings [xl, xr) the pixels
    ceil(xl) .. ceil(xr) - 1 are in (left/top edges in, right/bottom out).
    """
    mask = np.zeros((height, width), bool)
    n = len(vertices)
    for y in range(height):
        xs = []
        for i in range(n):
            (xa, ya), (xb, yb) = vertices[i - 1], vertices[i]
            if (ya <= y) != (yb <= y):
                xs.append(xa + (y - ya) * (xb - xa) / (yb - ya))
        xs.sort()
        for xl, xr in zip(xs[::2], xs[1::2], strict=True):
            a, b = max(0, math.ceil(xl)), min(width, math.ceil(xr))
            mask[y, a:b] = True
    return mask


def flood_region(label_map: np.ndarray, x: int, y: int) -> np.ndarray:
    """(H, W) bool: the 4-connected region of (x, y)'s id."""
    height, width = label_map.shape
    target = label_map[y, x]
    region = np.zeros(label_map.shape, bool)
    region[y, x] = True
    todo = deque([(x, y)])
    while todo:
        px, py = todo.popleft()
        for nx, ny in ((px - 1, py), (px + 1, py), (px, py - 1), (px, py + 1)):
            inside = 0 <= nx < width and 0 <= ny < height
            if inside and not region[ny, nx] and label_map[ny, nx] == target:
                region[ny, nx] = True
                todo.append((nx, ny))
    return region


def bbox(mask: np.ndarray) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) inclusive bounds of the True pixels."""
    ys, xs = np.nonzero(mask)
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())
