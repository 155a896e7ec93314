"""Arrays to an `Annotation`: binary masks (one per instance) and semantic class maps.

A model's raw output (probabilities, scores, class indices) is `predictions.py`'s;
it ends here, in `annotation_from_masks`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..annotation import Annotation, binary_mask, check_instance_count, check_labels
from ..extras import require


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def checked_scores(scores: object, count: int, what: str = "mask") -> np.ndarray:
    """`scores` as a float array, one finite number per `what` (NaN would win every overlap)."""
    try:
        array = np.asarray(scores)
    except (TypeError, ValueError):  # ragged or not array-like
        array = np.asarray(None)
    mixed_bools = isinstance(scores, (list, tuple)) and any(
        isinstance(s, (bool, np.bool_)) for s in scores
    )
    if array.dtype.kind not in "uif" or mixed_bools:  # text, bools, None, objects
        raise TypeError(f"scores must be numbers, one per {what}; got {_short(scores)}")
    if array.shape != (count,):
        raise ValueError(f"got {array.size} scores for {count} {what}s; give one each")
    score_array = array.astype(float)
    if not np.isfinite(score_array).all():
        bad = int(np.flatnonzero(~np.isfinite(score_array))[0])
        raise ValueError(f"score {score_array[bad]} of {what} {bad} is not a finite number")
    return score_array


def mask_array(masks: Any) -> np.ndarray:
    """(N, H, W) array from an array or a list of equal-shaped masks (any dtype yet)."""
    try:
        stack = np.asarray(masks)
    except ValueError:  # numpy refuses ragged lists
        shapes = sorted({np.shape(m) for m in masks}, key=str)
        raise ValueError(
            f"masks must all have the same shape (height, width); got shapes {shapes}"
        ) from None
    if stack.ndim != 3:
        raise ValueError(f"masks must have shape (N, height, width), got {stack.shape}")
    if stack.shape[1] == 0 or stack.shape[2] == 0:
        raise ValueError(
            f"masks of shape {stack.shape} have no pixels: an image needs at least one pixel"
        )
    return stack


def annotation_from_masks(
    masks: np.ndarray | Sequence[np.ndarray],
    labels: Sequence[str],
    colors: Sequence[str] | None = None,
    *,
    scores: Sequence[float] | np.ndarray | None = None,
) -> Annotation:
    """(N, H, W) binary masks (bool or 0/1); overlaps go to the higher score, else the later."""
    stack = binary_mask(mask_array(masks))
    labels = check_labels(labels)
    if len(labels) != len(stack):
        raise ValueError(f"got {len(labels)} labels for {len(stack)} masks; give one each")
    check_instance_count(len(labels))
    count, height, width = stack.shape
    # Paint order: ascending score, stable, so the top mask is the last in `order`.
    order = np.arange(count)
    if scores is not None:
        order = np.argsort(checked_scores(scores, count), kind="stable")
    if count == 0:
        return Annotation(np.zeros((height, width), np.uint8), labels, colors)
    painted = stack[order]
    # Last mask in paint order covering each pixel: argmax over the reversed stack.
    top = count - 1 - np.argmax(painted[::-1], axis=0)
    label_map = np.where(painted.any(axis=0), order[top] + 1, 0)
    return Annotation(label_map, labels, colors)


def annotation_from_class_map(
    class_map: np.ndarray, classes: Sequence[str], *, split_components: bool = False
) -> Annotation:
    """One instance per class present (or per 4-connected region, `split_components=True`)."""
    array = np.asarray(class_map)
    if array.ndim != 2 or array.dtype.kind not in "ui":
        raise ValueError(f"class_map must be a 2-D integer array, got {array.dtype} {array.shape}")
    classes = check_labels(classes)
    if array.size and int(array.max()) > len(classes):
        raise ValueError(
            f"class_map holds class {int(array.max())} but {len(classes)} classes are given"
        )
    present = np.flatnonzero(np.bincount(array.ravel(), minlength=len(classes) + 1)[1:]) + 1
    if not split_components:
        lut = np.zeros(len(classes) + 1, np.int64)
        lut[present] = np.arange(1, len(present) + 1)
        return Annotation(lut[array], [classes[k - 1] for k in present])
    ndimage = require("scipy.ndimage", "predictions", "split_components=True")
    label_map = np.zeros(array.shape, np.int64)
    labels: list[str] = []
    for k in present:  # one pass per class present, never per pixel
        regions, count = ndimage.label(array == k)
        label_map[regions > 0] = regions[regions > 0] + len(labels)
        labels += [classes[k - 1]] * count
    return Annotation(label_map, labels)
