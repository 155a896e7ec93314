"""`grabcut()`: the weight-free default assist, OpenCV's GrabCut seeded from the prompt.

Every prompt is reduced to a crop of the image (the object's box plus a
margin) downscaled so its long side is at most `max_side`, and a trimap on
that crop (sure / probable background and foreground). GrabCut runs on the
crop only, so its cost depends on `max_side`, not on the image size; the
result is upsampled to the crop and pasted into a full-size mask.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from ..extras import require
from .prompt import Point, Prompt
from .regions import fill_enclosed, keep_touching

# cv2's trimap values (cv2.GC_BGD, GC_FGD, GC_PR_BGD, GC_PR_FGD).
BGD, FGD, PR_BGD, PR_FGD = 0, 1, 2, 3
# Pixels of slack around a prompt box: a click may be a pixel or two inside the object.
_SLACK = 2


def _cv2() -> ModuleType:
    return require("cv2", "assist", "the grabcut() assist")


@dataclass(frozen=True)
class _Crop:
    """The part of the image GrabCut works on: [x0, x1) x [y0, y1), scaled by `scale`."""

    x0: int
    y0: int
    x1: int
    y1: int
    scale: float

    @property
    def small_size(self) -> tuple[int, int]:
        """(width, height) of the downscaled crop."""
        return (
            max(1, round((self.x1 - self.x0) * self.scale)),
            max(1, round((self.y1 - self.y0) * self.scale)),
        )

    def to_small(self, x: float, y: float) -> tuple[float, float]:
        """Image pixel (x, y) -> coordinates in the downscaled crop (pixel centres align)."""
        return ((x + 0.5 - self.x0) * self.scale - 0.5, (y + 0.5 - self.y0) * self.scale - 0.5)


def _crop_around(
    box: tuple[float, float, float, float], shape: tuple[int, ...], options: GrabCut
) -> _Crop:
    """The box (x1, y1 exclusive) plus a margin on every side, clipped, and its scale."""
    x0, y0, x1, y1 = box
    height, width = shape[:2]
    pad = max(options.min_margin, options.margin * max(x1 - x0, y1 - y0))
    cx0, cy0 = max(0, int(np.floor(x0 - pad))), max(0, int(np.floor(y0 - pad)))
    cx1, cy1 = min(width, int(np.ceil(x1 + pad))), min(height, int(np.ceil(y1 + pad)))
    scale = min(1.0, options.max_side / max(cx1 - cx0, cy1 - cy0))
    return _Crop(cx0, cy0, cx1, cy1, scale)


def _small_image(cv2: ModuleType, image: np.ndarray, crop: _Crop) -> np.ndarray:
    part = image[crop.y0 : crop.y1, crop.x0 : crop.x1]
    if crop.scale >= 1.0:
        return np.ascontiguousarray(part)
    resized: np.ndarray = cv2.resize(part, crop.small_size, interpolation=cv2.INTER_AREA)
    return resized


def _box_in_small(crop: _Crop, box: tuple[float, float, float, float]) -> tuple[int, ...]:
    """A box in image pixels (x1, y1 exclusive) -> integer bounds in the small crop."""
    width, height = crop.small_size
    x0, y0 = crop.to_small(box[0], box[1])
    x1, y1 = crop.to_small(box[2] - 1, box[3] - 1)
    return (
        int(np.clip(np.floor(x0), 0, width - 1)),
        int(np.clip(np.floor(y0), 0, height - 1)),
        int(np.clip(np.ceil(x1), 0, width - 1)) + 1,
        int(np.clip(np.ceil(y1), 0, height - 1)) + 1,
    )


def order_extreme_points(points: tuple[Point, ...]) -> list[Point]:
    """The four points in order around their centre (a simple quadrilateral)."""
    centre = np.mean(points, axis=0)
    angles = [np.arctan2(y - centre[1], x - centre[0]) for x, y in points]
    return [points[i] for i in np.argsort(angles, kind="stable")]


def extreme_box(points: tuple[Point, ...]) -> tuple[float, float, float, float]:
    """The box the extreme points span, x1/y1 exclusive (each point is a pixel of the object)."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs) + 1, max(ys) + 1)


def is_thin(points: tuple[Point, ...], ratio: float) -> bool:
    """True when the quadrilateral through the points covers under `ratio` of their box.

    A line-like object (a diagonal bar, a cable) gives a sliver of a
    quadrilateral, and the seed segments toward its centre fall off the object.
    """
    quad = np.array(order_extreme_points(points), float)
    x, y = quad[:, 0], quad[:, 1]
    area = 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))
    x0, y0, x1, y1 = extreme_box(points)
    return area < ratio * (x1 - x0) * (y1 - y0)


def _seed_segments(
    cv2: ModuleType, trimap: np.ndarray, quad: np.ndarray, span: tuple[float, float], thick: int
) -> None:
    """Sure foreground: from each point toward the quad's centre, `span` fractions of the way."""
    centre = quad.mean(axis=0)
    for point in quad:
        start = point + span[0] * (centre - point)
        end = point + span[1] * (centre - point)
        cv2.line(
            trimap,
            tuple(int(v) for v in np.round(start)),
            tuple(int(v) for v in np.round(end)),
            FGD,
            thick,
        )


def _outside_box_trimap(
    crop: _Crop, points: tuple[Point, ...]
) -> tuple[np.ndarray, tuple[int, ...]]:
    """BGD outside the extreme points' box (plus slack), PR_BGD inside; and the box."""
    width, height = crop.small_size
    trimap = np.full((height, width), BGD, np.uint8)
    bx0, by0, bx1, by1 = box = _box_in_small(crop, extreme_box(points))
    trimap[max(0, by0 - _SLACK) : by1 + _SLACK, max(0, bx0 - _SLACK) : bx1 + _SLACK] = PR_BGD
    return trimap, box


def _extreme_trimap(cv2: ModuleType, crop: _Crop, points: tuple[Point, ...]) -> np.ndarray:
    """Outside the box BGD, box PR_BGD, quadrilateral PR_FGD, seeds toward the centre FGD."""
    trimap, _ = _outside_box_trimap(crop, points)
    quad = np.array([crop.to_small(x, y) for x, y in order_extreme_points(points)])
    cv2.fillPoly(trimap, [np.round(quad).astype(np.int32)], PR_FGD)
    thick = max(1, round(0.02 * max(trimap.shape)))
    _seed_segments(cv2, trimap, quad, (0.15, 0.75), thick)
    return trimap


def _thin_trimap(cv2: ModuleType, crop: _Crop, points: tuple[Point, ...]) -> np.ndarray:
    """For thin objects: the whole box PR_FGD and short 1-px seeds that stay on the object
    even when a click is off by a few pixels (long seeds toward the centre fall off it)."""
    trimap, (bx0, by0, bx1, by1) = _outside_box_trimap(crop, points)
    trimap[by0:by1, bx0:bx1] = PR_FGD
    quad = np.array([crop.to_small(x, y) for x, y in order_extreme_points(points)])
    _seed_segments(cv2, trimap, quad, (0.15, 0.4), 1)
    return trimap


def _box_trimap(crop: _Crop, box: tuple[float, float, float, float]) -> np.ndarray:
    """Plain box GrabCut: outside BGD, inside PR_FGD."""
    width, height = crop.small_size
    trimap = np.full((height, width), BGD, np.uint8)
    bx0, by0, bx1, by1 = _box_in_small(crop, box)
    trimap[by0:by1, bx0:bx1] = PR_FGD
    return trimap


def _mask_trimap(cv2: ModuleType, crop: _Crop, mask: np.ndarray) -> np.ndarray:
    """From the current mask: inside PR_FGD, a band around it PR_BGD, beyond BGD."""
    part = mask[crop.y0 : crop.y1, crop.x0 : crop.x1].astype(np.uint8)
    small = cv2.resize(part, crop.small_size, interpolation=cv2.INTER_NEAREST)
    band = max(3, round(0.1 * max(small.shape)))
    near = cv2.dilate(small, np.ones((2 * band + 1, 2 * band + 1), np.uint8)) > 0
    trimap = np.where(near, PR_BGD, BGD).astype(np.uint8)
    trimap[small > 0] = PR_FGD
    return trimap


def _paint_clicks(cv2: ModuleType, trimap: np.ndarray, crop: _Crop, prompt: Prompt) -> None:
    """Each click as a sure disk: FGD for positive, BGD for negative."""
    radius = max(1, round(0.02 * max(trimap.shape)))
    for x, y, positive in prompt.points:
        sx, sy = crop.to_small(x, y)
        centre = (round(sx), round(sy))
        cv2.circle(trimap, centre, radius, FGD if positive else BGD, -1)


@dataclass(frozen=True)
class GrabCut:
    """The callable `grabcut()` returns; see `grabcut` for the options."""

    max_side: int = 128
    iterations: int = 3
    margin: float = 0.15
    min_margin: int = 8
    thin_ratio: float = 0.3
    point_radius: float = 0.3

    def __post_init__(self) -> None:
        for name in ("max_side", "iterations", "min_margin"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"grabcut {name} must be a positive integer, got {value!r}")
        for name in ("margin", "thin_ratio", "point_radius"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"grabcut {name} must be a number >= 0, got {value!r}")

    def __call__(self, image: np.ndarray, prompt: Prompt) -> list[tuple[np.ndarray, float]]:
        """Segment the prompted object: `(mask, score)` candidates, best first (see `grabcut`)."""
        cv2 = _cv2()
        image = np.asarray(image)
        if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
            raise ValueError(
                f"grabcut needs an (H, W, 3) uint8 image, got {image.dtype} {image.shape}"
            )
        if prompt.is_empty:
            raise ValueError("grabcut needs extreme points, a box or a positive click")
        prompt.check_within(image.shape[1], image.shape[0])
        crop, trimaps, bounds = self._trimaps(cv2, image.shape, prompt)
        if bounds is not None:  # a box may reach past the image: only the image counts
            height, width = image.shape[:2]
            x0, y0, x1, y1 = bounds
            bounds = (max(0.0, x0), max(0.0, y0), min(float(width), x1), min(float(height), y1))
        small_image = _small_image(cv2, image, crop)
        candidates = []
        for trimap in trimaps:
            _paint_clicks(cv2, trimap, crop, prompt)
            mask = _paste(cv2, self._segment(cv2, small_image, trimap), crop, image.shape)
            if bounds is not None:  # the object lies within the box it was given by
                _clear_outside(mask, bounds)
            candidates.append((mask, _agreement(mask, prompt, bounds)))
        return sorted(candidates, key=lambda candidate: -candidate[1])

    def _trimaps(
        self, cv2: ModuleType, shape: tuple[int, ...], prompt: Prompt
    ) -> tuple[_Crop, list[np.ndarray], tuple[float, float, float, float] | None]:
        """The crop, its trimaps (one per candidate), and the box the object must lie in."""
        if prompt.extreme_points is not None:
            bounds = extreme_box(prompt.extreme_points)
            crop = _crop_around(bounds, shape, self)
            if is_thin(prompt.extreme_points, self.thin_ratio):
                # Two seed rules that suit thin objects; the better fit comes first.
                return crop, [_thin_trimap(cv2, crop, prompt.extreme_points),
                              _box_trimap(crop, bounds)], bounds  # fmt: skip
            return crop, [_extreme_trimap(cv2, crop, prompt.extreme_points)], bounds
        if prompt.box is not None:
            crop = _crop_around(prompt.box, shape, self)
            return crop, [_box_trimap(crop, prompt.box)], prompt.box
        crop, trimap = self._points_trimap(cv2, shape, prompt)
        return crop, [trimap], None

    def _points_trimap(
        self, cv2: ModuleType, shape: tuple[int, ...], prompt: Prompt
    ) -> tuple[_Crop, np.ndarray]:
        """Clicks only: refine the current mask if a click is on or near it, else grow from them."""
        positive = [(x, y) for x, y, keep in prompt.points if keep]
        if not positive:
            raise ValueError("grabcut needs at least one positive click (or a box)")
        near = max(self.min_margin, self.point_radius * max(shape[:2]))
        xs, ys = [p[0] for p in positive], [p[1] for p in positive]
        box = (min(xs) - near, min(ys) - near, max(xs) + 1 + near, max(ys) + 1 + near)
        mask = prompt.mask
        if mask is not None and mask.any():
            rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
            mask_box = (cols[0], rows[0], cols[-1] + 1, rows[-1] + 1)
            if _boxes_touch(box, mask_box):
                box = (
                    min(box[0], mask_box[0]), min(box[1], mask_box[1]),
                    max(box[2], mask_box[2]), max(box[3], mask_box[3]),
                )  # fmt: skip
                crop = _crop_around(box, shape, self)
                return crop, _mask_trimap(cv2, crop, mask)
        crop = _crop_around(box, shape, self)
        width, height = crop.small_size
        trimap = np.full((height, width), PR_BGD, np.uint8)
        trimap[[0, -1], :] = BGD
        trimap[:, [0, -1]] = BGD
        # The object's size is unknown: guess a disk of half the search radius around each click.
        radius = max(1, round(0.5 * near * crop.scale))
        for x, y in positive:
            sx, sy = crop.to_small(x, y)
            cv2.circle(trimap, (round(sx), round(sy)), radius, PR_FGD, -1)
        return crop, trimap

    def _segment(self, cv2: ModuleType, small: np.ndarray, trimap: np.ndarray) -> np.ndarray:
        """GrabCut on the small crop; the foreground connected to the sure seeds, holes filled."""
        seeds = trimap == FGD
        may_be_object: np.ndarray = (trimap == FGD) | (trimap == PR_FGD)
        if not may_be_object.any() or may_be_object.all():
            return may_be_object  # nothing for the model to learn from: the trimap is the answer
        work = trimap.copy()
        background = np.zeros((1, 65), np.float64)
        foreground = np.zeros((1, 65), np.float64)
        cv2.setRNGSeed(0)  # GrabCut's k-means starts from OpenCV's RNG: same prompt, same mask
        cv2.grabCut(
            small, work, None, background, foreground, self.iterations, cv2.GC_INIT_WITH_MASK
        )
        fg = (work == FGD) | (work == PR_FGD)
        return fill_enclosed(keep_touching(fg, seeds), keep_open=trimap == BGD)


def _clear_outside(mask: np.ndarray, bounds: tuple[float, float, float, float]) -> None:
    """Set False everything outside `bounds` (x1, y1 exclusive) widened by the slack."""
    x0, y0 = (max(0, round(v) - _SLACK) for v in bounds[:2])
    x1, y1 = (round(v) + _SLACK for v in bounds[2:])
    mask[:y0] = False
    mask[y1:] = False
    mask[:, :x0] = False
    mask[:, x1:] = False


def _boxes_touch(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _paste(cv2: ModuleType, small: np.ndarray, crop: _Crop, shape: tuple[int, ...]) -> np.ndarray:
    """The small crop's mask upsampled (smoothly, then thresholded) into a full-size mask."""
    size = (crop.x1 - crop.x0, crop.y1 - crop.y0)
    part = small.astype(np.uint8) * 255
    if crop.scale < 1.0:
        part = cv2.resize(part, size, interpolation=cv2.INTER_LINEAR)
    mask = np.zeros(shape[:2], bool)
    mask[crop.y0 : crop.y1, crop.x0 : crop.x1] = part > 127
    return mask


def _agreement(
    mask: np.ndarray, prompt: Prompt, bounds: tuple[float, float, float, float] | None
) -> float:
    """A score in 0..1: how well the mask fits the prompt (box overlap, clicks honoured)."""
    if not mask.any():
        return 0.0
    score = 1.0
    if bounds is not None:
        rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
        x0, y0, x1, y1 = bounds
        inter_w = min(x1, cols[-1] + 1) - max(x0, cols[0])
        inter_h = min(y1, rows[-1] + 1) - max(y0, rows[0])
        inter = max(0.0, inter_w) * max(0.0, inter_h)
        union = (x1 - x0) * (y1 - y0) + (cols[-1] + 1 - cols[0]) * (rows[-1] + 1 - rows[0])
        score = inter / (union - inter)
    if prompt.points:
        height, width = mask.shape
        honoured = [
            mask[min(height - 1, int(y)), min(width - 1, int(x))] == positive
            for x, y, positive in prompt.points
        ]
        score *= float(np.mean(honoured))
    return float(score)


def grabcut(**options: Any) -> GrabCut:
    """The weight-free default assist: OpenCV GrabCut seeded from the prompt.

    Returns a callable `assist(image, prompt) -> [(mask, score)]`. Extreme points
    seed it best: outside their box is background, the quadrilateral through
    them probable foreground, short segments from each point toward the centre
    sure foreground (a thin, line-like object gets the whole box as probable
    foreground and short 1-px seeds instead). A box alone is plain box GrabCut;
    clicks add sure disks (positive = object, negative = background), and
    clicks alone refine `prompt.mask` when they touch it, else grow from the
    positive clicks. The score is how well the mask fits the prompt (its box
    against the clicked box, clicks honoured), 0..1.

    Options: `max_side` (128: the crop's long side in pixels GrabCut works at;
    the cost depends on it, not on the image size), `iterations` (3),
    `margin` (0.15 of the box's long side, at least `min_margin` = 8 px, of
    context around the box), `thin_ratio` (0.3: quadrilateral / box area below
    which an object counts as thin), `point_radius` (0.3 of the image's long
    side: the search area around clicks given without a box).
    Needs OpenCV: `pip install 'crowdseg-widget[assist]'`.
    """
    return GrabCut(**options)
