"""Arrays to an `Annotation`: binary masks (one per instance) and semantic class maps.

A model's raw output (probabilities, scores, class indices) is `predictions.py`'s;
it ends here, in `annotation_from_masks`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..annotation import Annotation, check_labels
from ..extras import require


def annotation_from_masks(
    masks: np.ndarray | Sequence[np.ndarray],
    labels: Sequence[str],
    colors: Sequence[str] | None = None,
    *,
    scores: Sequence[float] | np.ndarray | None = None,
) -> Annotation:
    """(N, H, W) binary masks (bool or 0/1); overlaps go to the higher score, else the later."""
    stack = np.asarray(masks)
    if stack.ndim != 3:
        raise ValueError(f"masks must have shape (N, height, width), got {stack.shape}")
    if stack.dtype != bool:
        if stack.dtype.kind not in "uif" or not np.isin(stack, (0, 1)).all():
            raise ValueError(
                "masks must be boolean or hold only 0 and 1 "
                f"(got dtype {stack.dtype}); threshold probabilities first"
            )
        stack = stack.astype(bool)
    if len(labels) != len(stack):
        raise ValueError(f"got {len(labels)} labels for {len(stack)} masks; give one each")
    count, height, width = stack.shape
    # Paint order: ascending score, stable, so the top mask is the last in `order`.
    order = np.arange(count)
    if scores is not None:
        score_array = np.asarray(scores, float)
        if score_array.shape != (count,):
            raise ValueError(f"got {score_array.size} scores for {count} masks; give one each")
        order = np.argsort(score_array, kind="stable")
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
        raise ValueError(
            f"class_map must be a 2-D integer array, got {array.dtype} {array.shape}"
        )
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
