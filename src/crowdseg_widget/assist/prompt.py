"""`Prompt`: what the user asked an assist for, in image pixels (x = column, y = row)."""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np

Point = tuple[float, float]


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{what} must be a number, got {value!r}")
    if not math.isfinite(float(value)):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return float(value)


def _pair(value: Any, what: str) -> Point:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
        raise ValueError(f"{what} must be an (x, y) pair, got {value!r}")
    return (_number(value[0], f"{what} x"), _number(value[1], f"{what} y"))


def _points(value: Any) -> tuple[tuple[float, float, bool], ...]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(f"Prompt.points must be a sequence of (x, y, positive), got {value!r}")
    points = []
    for i, point in enumerate(value):
        if isinstance(point, (str, bytes)) or not hasattr(point, "__len__") or len(point) != 3:
            raise ValueError(f"Prompt.points[{i}] must be (x, y, positive), got {point!r}")
        x, y = _pair(point[:2], f"Prompt.points[{i}]")
        positive = point[2]
        if not isinstance(positive, (bool, np.bool_)):
            raise TypeError(
                f"Prompt.points[{i}] positive flag must be True or False, got {positive!r}"
            )
        points.append((x, y, bool(positive)))
    return tuple(points)


def _box(value: Any) -> tuple[float, float, float, float]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 4:
        raise ValueError(f"Prompt.box must be (x0, y0, x1, y1), got {value!r}")
    x0, y0, x1, y1 = (_number(v, f"Prompt.box[{i}]") for i, v in enumerate(value))
    if not (x1 > x0 and y1 > y0):
        raise ValueError(
            f"Prompt.box {value!r} is empty: need x1 > x0 and y1 > y0 (x1, y1 exclusive)"
        )
    return (x0, y0, x1, y1)


def _extreme_points(value: Any) -> tuple[Point, Point, Point, Point]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 4:
        raise ValueError(
            f"Prompt.extreme_points must be four (x, y) points (top, bottom, left, right "
            f"in any order), got {value!r}"
        )
    a, b, c, d = (_pair(p, f"Prompt.extreme_points[{i}]") for i, p in enumerate(value))
    return (a, b, c, d)


def _mask(value: Any) -> np.ndarray:
    array = np.asarray(value)
    if array.ndim != 2:
        raise ValueError(f"Prompt.mask must be an (H, W) array, got shape {array.shape}")
    if array.dtype != bool:
        if array.dtype.kind not in "ui" or not np.isin(array, (0, 1)).all():
            raise ValueError(f"Prompt.mask must be boolean (or 0/1), got dtype {array.dtype}")
        array = array.astype(bool)
    return array


@dataclass(frozen=True, eq=False, kw_only=True)
class Prompt:
    """One request to an assist; every field is keyword-only and optional, in image pixels.

    - `points`: `(x, y, positive)` clicks; positive=False marks background.
    - `box`: `(x0, y0, x1, y1)`, x1 and y1 exclusive.
    - `extreme_points`: the object's four extreme points (top, bottom, left,
      right) in the order they were clicked; implementations sort them out.
    - `mask`: the selected instance's current (H, W) bool mask, if any.
    - `image_key`: stable per image, for caches (None: no caching).

    x is the column and y the row; integers name a pixel, floats are allowed.
    Values are checked and normalized on construction (floats, bools, tuples).
    """

    points: tuple[tuple[float, float, bool], ...] = ()
    box: tuple[float, float, float, float] | None = None
    extreme_points: tuple[Point, Point, Point, Point] | None = None
    mask: np.ndarray | None = None
    image_key: Hashable | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "points", _points(self.points))
        if self.box is not None:
            object.__setattr__(self, "box", _box(self.box))
        if self.extreme_points is not None:
            object.__setattr__(self, "extreme_points", _extreme_points(self.extreme_points))
        if self.mask is not None:
            mask = _mask(self.mask).view()  # a read-only view: the caller's array stays writable
            mask.flags.writeable = False
            object.__setattr__(self, "mask", mask)
        if self.image_key is not None and not isinstance(self.image_key, Hashable):
            raise TypeError(f"Prompt.image_key must be hashable, got {self.image_key!r}")

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to segment from: no point, box or extreme points."""
        return not self.points and self.box is None and self.extreme_points is None

    def check_within(self, width: int, height: int) -> None:
        """Raise ValueError if a coordinate lies outside a width x height image (or mask size)."""
        coords = [(x, y, f"point {i}") for i, (x, y, _) in enumerate(self.points)]
        coords += [
            (x, y, f"extreme point {i}") for i, (x, y) in enumerate(self.extreme_points or ())
        ]
        for x, y, what in coords:
            if not (0 <= x < width and 0 <= y < height):
                raise ValueError(
                    f"prompt {what} ({x:g}, {y:g}) is outside the {width}x{height} image"
                )
        if self.box is not None:
            x0, y0, x1, y1 = self.box
            if x1 <= 0 or y1 <= 0 or x0 >= width or y0 >= height:
                raise ValueError(f"prompt box {self.box} is outside the {width}x{height} image")
        if self.mask is not None and self.mask.shape != (height, width):
            raise ValueError(
                f"prompt mask has shape {self.mask.shape} but the image is {width}x{height}"
            )
