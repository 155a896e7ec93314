"""A model's predicted masks, turned into a starting `Annotation` for review."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..annotation import Annotation
from .masks import annotation_from_masks, checked_scores, mask_array


def _binary_masks(masks: Any, mask_threshold: float) -> np.ndarray:
    stack = mask_array(masks)
    binary: np.ndarray
    if stack.dtype == bool:
        binary = stack
    elif stack.dtype.kind == "f":
        nan = np.isnan(stack)
        if nan.any():
            first = int(np.argmax(nan.any(axis=(1, 2))))
            raise ValueError(
                f"float masks hold {int(nan.sum())} NaN values (first in mask {first}); "
                "replace them (np.nan_to_num) before passing probabilities"
            )
        if stack.size and (stack.min() < 0 or stack.max() > 1):
            raise ValueError("float masks must be probabilities in 0..1 (or pass bool masks)")
        binary = stack > mask_threshold
    elif stack.dtype.kind in "ui":
        binary = stack != 0  # 0/1 or 0/255
    else:
        raise TypeError(f"masks must be bool, integer or float probabilities, got {stack.dtype}")
    return binary


def _label_names(labels: Any, classes: Sequence[str] | None, count: int) -> list[str]:
    names = list(labels)
    if len(names) != count:
        raise ValueError(f"got {len(names)} labels for {count} masks; give one each")
    if all(isinstance(n, str) for n in names):
        return names
    if classes is None:
        raise ValueError("labels are class indices: pass classes=[...] to name them")
    indices = np.asarray(names)
    if indices.dtype.kind not in "ui":
        raise TypeError("labels must be all strings, or all integer indices into classes")
    if indices.size and (indices.min() < 0 or indices.max() >= len(classes)):
        raise ValueError(
            f"class index {int(indices.max())} is out of range for {len(classes)} classes "
            "(indices are 0-based into classes)"
        )
    return [classes[int(i)] for i in indices]


def annotation_from_predictions(
    masks: Any,
    labels: Sequence[str] | Sequence[int] | np.ndarray,
    *,
    scores: Sequence[float] | np.ndarray | None = None,
    score_threshold: float | None = None,
    classes: Sequence[str] | None = None,
    mask_threshold: float = 0.5,
) -> Annotation:
    """Masks (bool, 0/1, uint8 or float probabilities) to an Annotation.

    Float masks are thresholded at `mask_threshold` (pixel > threshold).
    Instances whose score is below `score_threshold` are left out. Overlaps:
    the higher score on top; without scores, the later mask on top.
    """
    stack = _binary_masks(masks, mask_threshold)
    names = _label_names(labels, classes, len(stack))
    keep = np.ones(len(stack), bool)
    score_array = None
    if scores is not None:
        score_array = checked_scores(scores, len(stack))
        if score_threshold is not None:
            keep = score_array >= score_threshold
        score_array = score_array[keep]
    elif score_threshold is not None:
        raise ValueError("score_threshold needs scores")
    kept_names = [name for name, k in zip(names, keep, strict=True) if k]
    return annotation_from_masks(stack[keep], kept_names, scores=score_array)
