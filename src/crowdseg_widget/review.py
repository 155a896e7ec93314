"""How much of a starting annotation (a model's predictions) a person had to fix.

Instances are matched by color: colors are unique in an image and never handed
out again, so an instance keeps its color through edits, relabels and deletes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .annotation import Annotation

ReviewState = Literal["unreviewed", "accepted", "rejected", "edited"]
REVIEW_STATES: tuple[ReviewState, ...] = ("unreviewed", "accepted", "rejected", "edited")


@dataclass(frozen=True)
class InstanceReview:
    """One instance of the starting annotation, compared with its current pixels."""

    index: int  # 1-based id in the starting annotation
    label: str  # current label (the starting one if the instance is gone)
    color: str
    state: ReviewState
    iou: float  # between starting and current mask; 1.0 when both are empty
    pixels_added: int
    pixels_removed: int
    current_index: int | None  # 1-based id now, None once deleted


@dataclass(frozen=True)
class NewInstance:
    """An instance the person created that was not in the starting annotation."""

    index: int  # 1-based id in the current annotation
    label: str
    color: str
    pixels: int


@dataclass(frozen=True)
class Review:
    instances: list[InstanceReview]
    new_instances: list[NewInstance]

    def counts(self) -> dict[str, int]:
        """How many starting instances are in each state."""
        return {s: sum(r.state == s for r in self.instances) for s in REVIEW_STATES}

    def rows(self) -> list[dict[str, object]]:
        """One dict per instance (starting ones, then new ones): ready for pandas."""
        rows: list[dict[str, object]] = [
            {"instance": r.index, "label": r.label, "color": r.color, "state": r.state,
             "iou": r.iou, "pixels_added": r.pixels_added, "pixels_removed": r.pixels_removed}
            for r in self.instances
        ]  # fmt: skip
        rows += [
            {"instance": None, "label": n.label, "color": n.color, "state": "new",
             "iou": 0.0, "pixels_added": n.pixels, "pixels_removed": 0}
            for n in self.new_instances
        ]  # fmt: skip
        return rows

    def _repr_html_(self) -> str:
        from html import escape

        head = "".join(f"<th>{escape(k)}</th>" for k in ("instance", "label", "state", "IoU",
                                                          "added", "removed"))  # fmt: skip
        body = "".join(
            f"<tr><td><span style='color:{r['color']}'>&#9632;</span> {r['instance'] or ''}</td>"
            f"<td>{escape(str(r['label']))}</td><td>{r['state']}</td>"
            f"<td>{float(r['iou']):.3f}</td><td>{r['pixels_added']}</td>"  # type: ignore[arg-type]
            f"<td>{r['pixels_removed']}</td></tr>"
            for r in self.rows()
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def review(
    initial: Annotation, current: Annotation, states: Mapping[str, str] | None = None
) -> Review:
    """Compare `current` with `initial`; `states` maps a color to its state set in the view.

    Without an explicit state, an instance whose pixels changed is "edited",
    one that was deleted is "rejected", otherwise "unreviewed".
    """
    if (initial.width, initial.height) != (current.width, current.height):
        raise ValueError("the two annotations are of different image sizes")
    states = states or {}
    n_init, n_cur = initial.num_instances, current.num_instances
    # Confusion matrix of (initial id, current id) pairs in one pass over the pixels.
    pairs = initial.label_map.astype(np.int64) * (n_cur + 1) + current.label_map
    joint = np.bincount(pairs.ravel(), minlength=(n_init + 1) * (n_cur + 1))
    joint = joint.reshape(n_init + 1, n_cur + 1)
    init_area, cur_area = joint.sum(axis=1), joint.sum(axis=0)
    current_by_color = {c: i + 1 for i, c in enumerate(current.colors)}

    reviews = []
    for i, (label, color) in enumerate(zip(initial.labels, initial.colors, strict=True), 1):
        j = current_by_color.get(color)
        before = int(init_area[i])
        after = int(cur_area[j]) if j else 0
        both = int(joint[i, j]) if j else 0
        union = before + after - both
        added, removed = after - both, before - both
        state = states.get(color)
        if state not in REVIEW_STATES:
            state = "rejected" if j is None else "edited" if added or removed else "unreviewed"
        reviews.append(
            InstanceReview(
                index=i,
                label=current.labels[j - 1] if j else label,
                color=color,
                state=state,  # type: ignore[arg-type]
                iou=both / union if union else 1.0,
                pixels_added=added,
                pixels_removed=removed,
                current_index=j,
            )
        )
    initial_colors = set(initial.colors)
    new = [
        NewInstance(j, label, color, int(cur_area[j]))
        for j, (label, color) in enumerate(zip(current.labels, current.colors, strict=True), 1)
        if color not in initial_colors
    ]
    return Review(reviews, new)
