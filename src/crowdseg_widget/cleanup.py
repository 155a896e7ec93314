"""Cleaning instance masks: fill holes, drop small islands (cleaned copies, numpy only).

Regions are 4-connected, as the view's fill bucket. A hole of an instance is
a region of pixels outside it that cannot reach the image border without
crossing it; only its background pixels are filled, never another instance's.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .annotation import Annotation
from .assist.regions import enclosed, label_regions


def _instances(annotation: Annotation, instance: int | None) -> list[int]:
    if instance is None:
        return list(range(1, annotation.num_instances + 1))
    if (
        isinstance(instance, bool)
        or not isinstance(instance, (int, np.integer))
        or not 1 <= instance <= annotation.num_instances
    ):
        raise ValueError(
            f"instance {instance!r} does not exist; ids are 1..{annotation.num_instances}"
        )
    return [int(instance)]


def _bounds(mask: np.ndarray) -> tuple[slice, slice] | None:
    """The rows and columns spanned by True pixels (None when there are none)."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(mask[rows[0] : rows[-1] + 1].any(axis=0))
    return slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)


def _clean_each(
    annotation: Annotation, instance: int | None, clean: Callable[[np.ndarray, int], None]
) -> Annotation:
    """A copy where `clean(window, i)` edited, in place, each chosen instance's bounding box."""
    chosen = _instances(annotation, instance)
    label_map = annotation.label_map.copy()
    for i in chosen:
        bounds = _bounds(label_map == i)
        if bounds is not None:
            clean(label_map[bounds], i)  # a view: edits land in label_map
    return Annotation(label_map, annotation.labels, annotation.colors)


def _fill(window: np.ndarray, i: int) -> None:
    # A hole lies inside the instance's box: the box's edge counts as the border.
    window[enclosed(window == i) & (window == 0)] = i


def fill_holes(annotation: Annotation, instance: int | None = None) -> Annotation:
    """A copy where each instance (or only `instance`, 1-based) has its holes filled.

    A hole is a 4-connected region outside the instance that does not reach
    the image border without crossing the instance; its background pixels
    join the instance, other instances' pixels stay theirs. Instances are
    filled in id order, each against the map as the earlier ones left it.
    """
    return _clean_each(annotation, instance, _fill)


def remove_small(
    annotation: Annotation, min_pixels: int, instance: int | None = None
) -> Annotation:
    """A copy where regions of fewer than `min_pixels` pixels turn background.

    Per instance (or only `instance`, 1-based): each 4-connected region of it
    smaller than `min_pixels` is removed. An instance that loses every pixel
    stays in the list, unpainted (ids never shift here).
    """
    if isinstance(min_pixels, bool) or not isinstance(min_pixels, (int, np.integer)):
        raise TypeError(f"min_pixels must be an integer, got {min_pixels!r}")
    if min_pixels < 0:
        raise ValueError(f"min_pixels must be >= 0, got {min_pixels}")

    def drop_small(window: np.ndarray, i: int) -> None:
        regions, count = label_regions(window == i)
        small = np.bincount(regions.ravel(), minlength=count + 1) < min_pixels
        small[0] = False  # not a region of the instance
        window[small[regions]] = 0

    return _clean_each(annotation, instance, drop_small)
