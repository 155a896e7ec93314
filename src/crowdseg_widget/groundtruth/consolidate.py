"""Several workers' instance masks of one image into one: `crowdseg-iou-majority/1`.

1. IoU of every pair of instances from different workers; pairs above the
   threshold (0.5: then each instance matches at most one of any other
   worker) are visited by IoU, highest first, ties by (worker, instance).
2. They are merged into clusters (union-find), never two instances of one
   worker in a cluster.
3. A cluster is kept when at least `min_votes` workers drew it (default:
   a strict majority of all workers, K // 2 + 1).
4. A pixel belongs to a kept cluster when at least `min_votes` of its
   members cover it. Under a strict majority two clusters cannot both win a
   pixel (each worker's pixel is in at most one instance); with a lower
   `min_votes` the cluster with more votes there wins, ties to the earlier.
5. Label: the majority of the members' labels; a tie goes to the earliest
   worker's label.
6. Output instances are ordered by their first pixel (row by row), so the
   result does not depend on the order of the workers, and get Ground
   Truth's colors in that order: workers' colors mean nothing across workers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import Annotation
from .errors import GroundTruthError
from .responses import WorkerAnnotation

METHOD = "crowdseg-iou-majority/1"
Node = tuple[int, int]  # (worker position, 1-based instance id)


def _entries(workers: Sequence[WorkerAnnotation | Annotation]) -> list[tuple[str, Annotation]]:
    entries = []
    for k, worker in enumerate(workers):
        if isinstance(worker, WorkerAnnotation):
            entries.append((worker.worker_id or f"worker-{k}", worker.annotation))
        elif isinstance(worker, Annotation):
            entries.append((f"worker-{k}", worker))
        else:
            raise TypeError(
                f"worker {k} is a {type(worker).__name__}; give WorkerAnnotation or Annotation"
            )
    if not entries:
        raise GroundTruthError("consolidate() needs at least one worker's annotation")
    sizes = {(a.width, a.height) for _, a in entries}
    if len(sizes) > 1:
        listed = ", ".join(f"{wid}: {a.width}x{a.height}" for wid, a in entries)
        raise GroundTruthError(
            f"the workers' annotations have different sizes ({listed}); they must all be of "
            "the same image: drop the answers of the wrong size"
        )
    return entries


def iou_matrix(first: Annotation, second: Annotation) -> np.ndarray:
    """(N, M) IoU of every instance of `first` with every instance of `second` (0 if empty)."""
    n, m = first.num_instances, second.num_instances
    codes = first.label_map.astype(np.int64) * (m + 1) + second.label_map
    joint = np.bincount(codes.ravel(), minlength=(n + 1) * (m + 1)).reshape(n + 1, m + 1)
    inter = joint[1:, 1:]
    union = first.areas[:, None] + second.areas[None, :] - inter
    iou: np.ndarray = np.divide(inter, union, out=np.zeros(inter.shape), where=union > 0)
    return iou


def _pairs(annotations: list[Annotation], threshold: float) -> list[tuple[float, Node, Node]]:
    """(iou, node, node) for instances of different workers with IoU above `threshold`."""
    pairs = []
    for k, first in enumerate(annotations):
        for m in range(k + 1, len(annotations)):
            iou = iou_matrix(first, annotations[m])
            for i, j in np.argwhere(iou > threshold):
                pairs.append((float(iou[i, j]), (k, int(i) + 1), (m, int(j) + 1)))
    pairs.sort(key=lambda pair: (-pair[0], pair[1], pair[2]))
    return pairs


def _clusters(nodes: list[Node], pairs: list[tuple[float, Node, Node]]) -> list[list[Node]]:
    """Union-find over the pairs, refusing a merge that would hold one worker twice."""
    parent = {node: node for node in nodes}
    workers = {node: {node[0]} for node in nodes}

    def root(node: Node) -> Node:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for _, a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb and not workers[ra] & workers[rb]:
            ra, rb = min(ra, rb), max(ra, rb)
            parent[rb] = ra
            workers[ra] |= workers.pop(rb)
    groups: dict[Node, list[Node]] = {}
    for node in nodes:
        groups.setdefault(root(node), []).append(node)
    return sorted((sorted(group) for group in groups.values()), key=lambda group: group[0])


def _label(members: list[Node], annotations: list[Annotation]) -> tuple[str, dict[str, int]]:
    labels = [annotations[k].labels[i - 1] for k, i in members]
    votes = Counter(labels)
    best = max(votes.values())
    winner = next(label for label in labels if votes[label] == best)  # members in worker order
    return winner, dict(votes)


def _vote_pixels(
    kept: list[list[Node]], annotations: list[Annotation], need: int
) -> tuple[np.ndarray, list[int]]:
    """Each pixel's winning cluster (1-based; 0 none), and the clusters by first pixel.

    Votes are counted only inside the box around a cluster's members: a
    12 MP image costs its instances' areas, not one full pass per member.
    """
    height, width = annotations[0].label_map.shape
    boxes = [a.boxes for a in annotations]
    winner = np.zeros((height, width), np.int64)
    best = np.zeros((height, width), np.int64)
    windows = []
    for c, members in enumerate(kept, 1):
        corners = np.array([boxes[k][i - 1] for k, i in members])
        x0, y0 = corners[:, :2].min(axis=0)
        x1, y1 = corners[:, 2:].max(axis=0)
        window = (slice(int(y0), int(y1)), slice(int(x0), int(x1)))
        count = np.zeros((int(y1 - y0), int(x1 - x0)), np.int64)
        for k, i in members:
            count += annotations[k].label_map[window] == i
        take = (count >= need) & (count > best[window])
        winner[window][take], best[window][take] = c, count[take]
        windows.append(window)
    firsts = []
    for c, (rows, columns) in enumerate(windows, 1):
        inside = winner[rows, columns] == c
        if inside.any():
            row, column = divmod(int(np.argmax(inside)), inside.shape[1])
            firsts.append(((rows.start + row) * width + columns.start + column, c))
    return winner, [c for _, c in sorted(firsts)]


def _check_options(count: int, iou_threshold: float, min_votes: int | None) -> int:
    if not 0 < iou_threshold < 1:
        raise GroundTruthError(f"iou_threshold must be between 0 and 1, got {iou_threshold}")
    need = count // 2 + 1 if min_votes is None else min_votes
    if isinstance(need, bool) or not isinstance(need, int) or not 1 <= need <= count:
        raise GroundTruthError(f"min_votes must be 1..{count} (the number of workers), got {need}")
    return need


def consolidate(
    workers: Sequence[WorkerAnnotation | Annotation],
    *,
    iou_threshold: float = 0.5,
    min_votes: int | None = None,
) -> tuple[Annotation, dict[str, Any]]:
    """Several workers' annotations of one image into one, and a report of how.

    `workers`: `WorkerAnnotation`s (their `worker_id` names them in the
    report) or plain `Annotation`s. `iou_threshold`: instances of different
    workers match above it. `min_votes`: workers needed to keep an instance
    and, per pixel, members needed to keep the pixel (default: a strict
    majority of all workers). See the module doc for the method.

    The report: `method`, `iouThreshold`, `minVotes`, `workers` (ids),
    `instances` (per output instance: `label`, `votes`, `labelVotes`,
    `members` [{workerId, instance}], `pixels`) and `dropped` (each
    {workerId, instance, label, reason}).

    Raises GroundTruthError when there are no workers, their annotations
    have different sizes (the message lists them per worker), or an option
    is out of range.
    """
    entries = _entries(workers)
    ids = [worker_id for worker_id, _ in entries]
    annotations = [annotation for _, annotation in entries]
    need = _check_options(len(entries), iou_threshold, min_votes)
    dropped: list[dict[str, Any]] = []

    def drop(node: Node, reason: str) -> None:
        k, i = node
        dropped.append({"workerId": ids[k], "instance": i,
                        "label": annotations[k].labels[i - 1], "reason": reason})  # fmt: skip

    nodes = []
    for k, annotation in enumerate(annotations):
        for i, area in enumerate(annotation.areas.tolist(), 1):
            if area:
                nodes.append((k, i))
            else:
                drop((k, i), "no pixels")
    kept = []
    for members in _clusters(nodes, _pairs(annotations, iou_threshold)):
        if len(members) >= need:
            kept.append(members)
        else:
            for node in members:
                drop(node, f"drawn by {len(members)} of {len(entries)} workers; {need} needed")
    winner, order = _vote_pixels(kept, annotations, need)
    for c, members in enumerate(kept, 1):
        if c not in order:
            for node in members:
                drop(node, f"no pixel is covered by {need} of the matched instances")
    lut = np.zeros(len(kept) + 1, np.int64)
    lut[order] = np.arange(1, len(order) + 1)
    label_map = lut[winner]
    areas = np.bincount(label_map.ravel(), minlength=len(order) + 1)
    labels, report_instances = [], []
    for position, c in enumerate(order, 1):
        members = kept[c - 1]
        label, label_votes = _label(members, annotations)
        labels.append(label)
        report_instances.append({
            "label": label, "votes": len(members), "labelVotes": label_votes,
            "members": [{"workerId": ids[k], "instance": i} for k, i in members],
            "pixels": int(areas[position]),
        })  # fmt: skip
    report = {"method": METHOD, "iouThreshold": iou_threshold, "minVotes": need,
              "workers": ids, "instances": report_instances, "dropped": dropped}  # fmt: skip
    return Annotation(label_map, labels), report
