"""Reference rules for the painter's tools (docs/architecture.md), written plainly."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence

import numpy as np


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
