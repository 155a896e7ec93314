"""Per-instance pixel counts and bounding boxes, straight from a label map.

Boxes are `[x0, y0, x1, y1]` in pixel edges: x1 and y1 are exclusive, so a
single pixel at (3, 5) is `[3, 5, 4, 6]` and `x1 - x0` is the width COCO's
`bbox` gives. An instance with no pixels gets `[0, 0, 0, 0]`.
"""

from __future__ import annotations

import numpy as np


def instance_areas(label_map: np.ndarray, num_instances: int) -> np.ndarray:
    """(N,) int64: how many pixels carry each id 1..N."""
    counts = np.bincount(label_map.ravel(), minlength=num_instances + 1)[1:]
    return counts.astype(np.int64)


def instance_boxes(label_map: np.ndarray, num_instances: int) -> np.ndarray:
    """(N, 4) int64 `[x0, y0, x1, y1]` per id 1..N, exclusive ends; zeros when unpainted."""
    height, width = label_map.shape
    boxes = np.zeros((num_instances, 4), np.int64)
    if num_instances == 0 or label_map.size == 0:
        return boxes
    # Only where a horizontal run starts or ends can a box edge lie, so reduce over
    # the runs (edges of shapes), not over every pixel.
    starts = np.ones(label_map.shape, bool)
    starts[:, 1:] = label_map[:, 1:] != label_map[:, :-1]
    ends = np.ones(label_map.shape, bool)
    ends[:, :-1] = starts[:, 1:]
    run_y, run_x0 = np.nonzero(starts)
    run_x1 = np.nonzero(ends)[1] + 1  # the k-th end closes the k-th run (row-major order)
    run_id = label_map[run_y, run_x0].astype(np.intp)
    x0 = np.full(num_instances + 1, width, np.int64)
    y0 = np.full(num_instances + 1, height, np.int64)
    x1 = np.zeros(num_instances + 1, np.int64)
    y1 = np.zeros(num_instances + 1, np.int64)
    np.minimum.at(x0, run_id, run_x0)
    np.minimum.at(y0, run_id, run_y)
    np.maximum.at(x1, run_id, run_x1)
    np.maximum.at(y1, run_id, run_y + 1)
    painted = x1[1:] > 0
    boxes[painted] = np.stack([x0, y0, x1, y1], axis=1)[1:][painted]
    return boxes
