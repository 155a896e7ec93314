"""Reviewing crowd results in the widget: one worker's instances against the consensus."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import Annotation
from ..palette import next_colors
from .consolidate import consolidate, iou_matrix
from .errors import GroundTruthError
from .importing import same_worker
from .outputs import ObjectResult
from .resolvers import Resolver
from .responses import fetch

if TYPE_CHECKING:
    from ..widget import InstanceSegmentation


def matched_to(start: Annotation, result: Annotation, threshold: float = 0.5) -> Annotation:
    """`result` recolored: each instance takes the color of `start`'s instance it matches.

    Match: IoU above `threshold` (at most one above 0.5). Unmatched instances
    get colors `start` does not use. The widget's review follows instances by
    color, so this makes it compare each of `start`'s instances with its match.
    """
    n, m = start.num_instances, result.num_instances
    iou = iou_matrix(start, result)
    fresh = iter(next_colors(m, used=start.colors))
    colors = []
    for j in range(m):
        i = int(np.argmax(iou[:, j])) if n else -1
        taken = i >= 0 and iou[i, j] > threshold and start.colors[i] not in colors
        colors.append(start.colors[i] if taken else next(fresh))
    return Annotation(result.label_map, result.labels, colors)


def review_result(
    result: ObjectResult,
    image: Any = None,
    *,
    worker: int | str = 0,
    labels: list[str] | None = None,
    resolver: Resolver | None = None,
    **widget_kwargs: Any,
) -> InstanceSegmentation:
    """A widget showing the consensus, started from one worker's answer, to see disagreements.

    The starting annotation is worker `worker`'s (position or id); the value
    is the consolidated annotation (or, without one, the workers'
    consolidated now), recolored so each consensus instance keeps the color
    of the worker's matching instance. The widget's review then shows, per
    instance of that worker: its IoU with the consensus and pixels added or
    removed, "rejected" for an instance the consensus dropped, and "new" for
    one the worker missed. `image`: any `src` (default: `result.source_ref`
    through `resolver`). `labels`: the widget's choices (default: every
    label used). Needs the Jupyter stack (the widget). Raises
    GroundTruthError when the result has no worker answers or `worker`
    names none of them.
    """
    from .. import InstanceSegmentation  # the widget (Jupyter stack), only when reviewing

    if not result.workers:
        raise GroundTruthError(
            f"{result.key or result.source_ref}: no worker answers to compare; read the output "
            "with resolver= so the worker responses are followed"
        )
    if isinstance(worker, int):
        if not 0 <= worker < len(result.workers):
            raise GroundTruthError(f"worker {worker}: there are {len(result.workers)} answers")
        chosen = result.workers[worker]
    else:
        found = [w for w in result.workers if same_worker(w.worker_id, worker)]
        if not found:
            known = [w.worker_id for w in result.workers]
            raise GroundTruthError(f"no answer of worker {worker!r}; workers: {known}")
        chosen = found[0]
    consensus = result.consolidated or consolidate(result.workers)[0]
    if image is None:
        if resolver is None or result.source_ref is None:
            raise GroundTruthError("pass image= (or resolver= to read the result's source-ref)")
        image = fetch(resolver, result.source_ref, f"{result.key or result.source_ref}")
    if labels is None:
        used = [label for w in result.workers for label in w.labels] + consensus.labels
        labels = list(dict.fromkeys(used))
    widget = InstanceSegmentation(image, labels or ["object"], initial_value=chosen.annotation,
                                  **widget_kwargs)  # fmt: skip
    widget.set_annotation(matched_to(chosen.annotation, consensus))
    return widget
