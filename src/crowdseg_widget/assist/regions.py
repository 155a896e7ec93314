"""4-connected regions of a bool mask in numpy (no scipy, no OpenCV): label, keep, fill.

Regions are found from the mask's horizontal runs: runs in neighbouring rows
that overlap in at least one column are joined (4-connectivity, as the
widget's fill bucket), with a vectorized union-find, so the cost follows the
number of runs rather than the number of pixels.
"""

from __future__ import annotations

import numpy as np


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row, start and end (exclusive) of every horizontal run of True, in row-major order."""
    height, width = mask.shape
    padded = np.zeros((height, width + 2), np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    rows, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)
    return rows, starts, ends


def _join(count: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Union-find over `count` nodes with edges (a[i], b[i]): each node's smallest member."""
    parent = np.arange(count)
    while True:
        while True:  # shortcut every node to its root
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand
        root_a, root_b = parent[a], parent[b]
        differ = root_a != root_b
        if not differ.any():
            return parent
        low = np.minimum(root_a[differ], root_b[differ])
        np.minimum.at(parent, root_a[differ], low)
        np.minimum.at(parent, root_b[differ], low)


def label_regions(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """(labels, count): each 4-connected region of True numbered 1..count, 0 elsewhere.

    Regions are numbered in the order of their first pixel (row-major).
    """
    mask = np.asarray(mask, bool)
    labels = np.zeros(mask.shape, np.int32)
    if mask.ndim != 2 or not mask.any():
        return labels, 0
    rows, starts, ends = _runs(mask)
    width = mask.shape[1] + 1
    start_keys, end_keys = rows * width + starts, rows * width + ends
    # Runs of the next row that overlap run i: end > start_i and start < end_i.
    first = np.searchsorted(end_keys, start_keys + width, side="right")
    last = np.searchsorted(start_keys, end_keys + width, side="left")
    counts = np.maximum(last - first, 0)
    a = np.repeat(np.arange(len(rows)), counts)
    b = (
        np.arange(counts.sum())
        - np.repeat(np.cumsum(counts) - counts, counts)
        + np.repeat(first, counts)
    )
    roots = _join(len(rows), a, b)
    unique, numbered = np.unique(roots, return_inverse=True)  # roots ascend with first pixel
    labels.ravel()[np.flatnonzero(mask)] = np.repeat(numbered + 1, ends - starts)
    return labels, len(unique)


def keep_touching(mask: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    """The regions of `mask` that contain a seed pixel; the largest region if none does."""
    labels, count = label_regions(mask)
    if count <= 1:
        return np.asarray(mask, bool).copy()
    touched = np.unique(labels[seeds & (labels > 0)])
    if touched.size == 0:
        touched = np.array([int(np.argmax(np.bincount(labels.ravel())[1:])) + 1])
    keep = np.zeros(count + 1, bool)
    keep[touched] = True
    kept: np.ndarray = keep[labels]
    return kept


def enclosed(mask: np.ndarray) -> np.ndarray:
    """Pixels outside `mask` that cannot reach the image border without crossing it (holes)."""
    labels, count = label_regions(~np.asarray(mask, bool))
    if count == 0:
        return np.zeros(labels.shape, bool)
    border = np.zeros(count + 1, bool)
    for edge in (labels[0], labels[-1], labels[:, 0], labels[:, -1]):
        border[edge] = True
    holes: np.ndarray = (labels > 0) & ~border[labels]
    return holes


def fill_enclosed(mask: np.ndarray, keep_open: np.ndarray | None = None) -> np.ndarray:
    """`mask` with its holes (4-connected regions it encloses) filled, except the holes
    holding a True pixel of `keep_open` (e.g. where the user marked background)."""
    holes = enclosed(mask)
    if keep_open is not None and (holes & keep_open).any():
        labels, _ = label_regions(holes)
        marked = np.unique(labels[holes & keep_open])
        holes &= ~np.isin(labels, marked)
    filled: np.ndarray = np.asarray(mask, bool) | holes
    return filled
