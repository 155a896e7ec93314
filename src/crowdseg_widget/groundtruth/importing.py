"""`import_results`: crowd results into a label store, to review and export like any label."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from .. import Annotation, LabelStore
from ..image_source import image_size
from .consolidate import consolidate
from .errors import GroundTruthError
from .outputs import ObjectResult

_PRIVATE_PREFIX = re.compile(r"^private\.[a-z0-9-]+\.")
Status = Literal["open", "done", "skipped"]


@dataclass(frozen=True)
class ImportReport:
    """What `import_results` did: the keys written, and (key or line, reason) per skip."""

    imported: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def same_worker(a: str | None, b: str | None) -> bool:
    """Worker ids match, with or without the `private.<region>.` prefix of Lambda payloads."""
    if a is None or b is None:
        return False
    return _PRIVATE_PREFIX.sub("", a) == _PRIVATE_PREFIX.sub("", b)


def choose_annotation(result: ObjectResult, which: str) -> Annotation:
    """The result's consolidated annotation, one worker's (`worker:<id>`), or a fresh majority."""
    if which == "consolidated":
        if result.consolidated is None:
            raise GroundTruthError(
                "no consolidated annotation (the job ran without our consolidation Lambda); "
                "use which='majority' to consolidate the workers' answers"
            )
        return result.consolidated
    if which == "majority":
        if not result.workers:
            raise GroundTruthError("no worker answers to consolidate (read them with resolver=)")
        return consolidate(result.workers)[0]
    if which.startswith("worker:"):
        wanted = which[len("worker:") :]
        for worker in result.workers:
            if same_worker(worker.worker_id, wanted):
                return worker.annotation
        known = [w.worker_id for w in result.workers]
        raise GroundTruthError(f"no answer of worker {wanted!r}; workers: {known}")
    raise GroundTruthError(
        f"which must be 'consolidated', 'majority' or 'worker:<id>', got {which!r}"
    )


def import_results(
    results: Iterable[ObjectResult],
    store: LabelStore,
    *,
    which: str = "consolidated",
    status: Status = "open",
    overwrite: bool = False,
    key_for: Callable[[str], str] | None = None,
) -> ImportReport:
    """Write each result's annotation into `store`, so `label_images` reopens it for review.

    `which`: `"consolidated"` (the job's consolidated annotation),
    `"majority"` (consolidate the workers' answers now) or `"worker:<id>"`.
    A result is matched to its image by `key` (the manifest's
    `crowdseg-key`), else by `key_for(source_ref)`. An image that already
    has a stored label is left alone unless `overwrite=True`; nothing is
    written for an annotation whose size differs from its image. Labels
    new to the store are added to its label choices. Every skip is in the
    returned report with its reason; nothing raises for one bad result.
    """
    report = ImportReport()
    labels = list(store.labels)
    for position, result in enumerate(results):
        where = result.key or result.source_ref or f"result {position}"
        key = result.key
        if key is None and key_for is not None and result.source_ref is not None:
            key = key_for(result.source_ref)
        if key is None:
            report.skipped.append((where, "no crowdseg-key; pass key_for= to map source-ref"))
            continue
        try:
            annotation = choose_annotation(result, which)
            size = image_size(store.image_path(key))
        except (GroundTruthError, OSError, ValueError) as err:
            report.skipped.append((key, str(err)))
            continue
        if size != (annotation.width, annotation.height):
            report.skipped.append(
                (key, f"annotation is {annotation.width}x{annotation.height} but the image is "
                      f"{size[0]}x{size[1]}")
            )  # fmt: skip
            continue
        if not overwrite and store.read(key) is not None:
            report.skipped.append((key, "already labeled in the store; pass overwrite=True"))
            continue
        store.save(key, annotation.to_value(), status)
        labels += [label for label in annotation.labels if label not in labels]
        report.imported.append(key)
    store.set_labels(labels)
    return report
