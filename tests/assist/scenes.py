"""Images whose object masks are known, for measuring an assist (tests and bench/bench_assist.py).

- `coins_truth()`: the shipped coins photo and 23 coin masks derived from it by
  a reliable classical method (the photo is high-contrast: Otsu threshold,
  holes filled, opened with a radius-2 disk, 8-connected regions; regions
  touching the border or with solidity under 0.9 dropped).
- `blob_scene()`: smooth random blobs on a textured background, at a chosen
  contrast (the masks are exact: the image is drawn from them).
- `bar_scene()`: thin bars 4-8 px wide at random angles (exact masks).
"""

from __future__ import annotations

from functools import cache

import numpy as np
from PIL import Image
from scipy import ndimage

import crowdseg_widget

Point = tuple[int, int]


def _disk(radius: int) -> np.ndarray:
    y, x = np.mgrid[-radius : radius + 1, -radius : radius + 1]
    return x * x + y * y <= radius * radius


def _solidity(mask: np.ndarray) -> float:
    import cv2

    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    hull = np.zeros(mask.shape, np.uint8)
    cv2.fillPoly(hull, [cv2.convexHull(np.concatenate(contours))], 1)
    return float(mask.sum() / hull.sum())


def _otsu(gray: np.ndarray) -> int:
    counts = np.bincount(gray.ravel(), minlength=256).astype(float)
    levels = np.arange(256)
    weight = np.cumsum(counts)
    mean = np.cumsum(counts * levels)
    between = (mean[-1] * weight - mean * weight[-1]) ** 2 / np.maximum(
        weight * (weight[-1] - weight), 1e-9
    )
    return int(np.argmax(between[:-1]))


@cache
def coins_truth() -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """The coins sample as (H, W, 3) uint8 RGB and its coin masks, top-left first."""
    gray = np.array(Image.open(crowdseg_widget.sample_image("coins")).convert("L"))
    foreground = ndimage.binary_fill_holes(gray > _otsu(gray))
    foreground = ndimage.binary_opening(foreground, _disk(2))
    regions, count = ndimage.label(foreground, np.ones((3, 3)))
    masks = []
    for k in range(1, count + 1):
        mask = regions == k
        rows, cols = np.nonzero(mask)
        on_border = rows.min() == 0 or cols.min() == 0
        on_border |= rows.max() == gray.shape[0] - 1 or cols.max() == gray.shape[1] - 1
        if not on_border and mask.sum() > 50 and _solidity(mask) >= 0.9:
            masks.append(mask)
    rgb = np.repeat(gray[:, :, None], 3, axis=2)
    return rgb, tuple(masks)


def extreme_points(mask: np.ndarray) -> tuple[Point, Point, Point, Point]:
    """Top, bottom, left, right pixel of a mask (the middle one where a side is flat)."""
    rows, cols = np.nonzero(mask)

    def middle(select: np.ndarray) -> Point:
        xs, ys = cols[select], rows[select]
        order = np.lexsort((ys, xs))
        i = order[len(order) // 2]
        return (int(xs[i]), int(ys[i]))

    return (
        middle(rows == rows.min()),
        middle(rows == rows.max()),
        middle(cols == cols.min()),
        middle(cols == cols.max()),
    )


def jittered(
    points: tuple[Point, ...], amount: int, rng: np.random.Generator, shape: tuple[int, ...]
) -> tuple[Point, ...]:
    """Each point moved by up to `amount` px in x and y (uniform integers), kept in the image."""
    moved = []
    for x, y in points:
        dx, dy = rng.integers(-amount, amount + 1, 2)
        moved.append((int(np.clip(x + dx, 0, shape[1] - 1)), int(np.clip(y + dy, 0, shape[0] - 1))))
    return tuple(moved)


def iou(a: np.ndarray, b: np.ndarray) -> float:
    union = np.logical_or(a, b).sum()
    return float(np.logical_and(a, b).sum() / union) if union else 1.0


def _texture(rng: np.random.Generator, shape: tuple[int, int], strength: float) -> np.ndarray:
    noise = ndimage.gaussian_filter(rng.normal(0, 1, shape), 1.5)
    return noise / noise.std() * strength


def _to_rgb(gray: np.ndarray, tint: np.ndarray) -> np.ndarray:
    return np.clip(gray[:, :, None] + tint, 0, 255).astype(np.uint8)


def blob_scene(contrast: float, seed: int, size: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """A smooth random blob (radius ~30-60 px) `contrast` grey levels brighter than a
    textured background (texture std 12): (H, W, 3) uint8 image and its exact mask."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size].astype(float)
    cx, cy = rng.uniform(0.35, 0.65, 2) * size
    angle = np.arctan2(y - cy, x - cx)
    radius = rng.uniform(30, 60) * (1 + sum(
        rng.uniform(-0.15, 0.15) * np.cos(k * angle + rng.uniform(0, 2 * np.pi))
        for k in (2, 3, 5)
    ))  # fmt: skip
    mask = np.hypot(x - cx, y - cy) <= radius
    gray = 110 + _texture(rng, (size, size), 12) + contrast * mask
    return _to_rgb(gray, rng.uniform(-10, 10, 3)), mask


def bar_scene(seed: int, size: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """A straight bar 4-8 px wide and 80-160 px long at a random angle, 60 grey levels
    darker than a textured background: (H, W, 3) uint8 image and its exact mask."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size].astype(float)
    width, length = rng.uniform(4, 8), rng.uniform(80, 160)
    angle = rng.uniform(0, np.pi)
    cx, cy = size / 2 + rng.uniform(-15, 15, 2)
    along = (x - cx) * np.cos(angle) + (y - cy) * np.sin(angle)
    across = -(x - cx) * np.sin(angle) + (y - cy) * np.cos(angle)
    mask = (np.abs(along) <= length / 2) & (np.abs(across) <= width / 2)
    gray = 150 + _texture(rng, (size, size), 10) - 60 * mask
    return _to_rgb(gray, rng.uniform(-10, 10, 3)), mask
