"""A whole label store → one COCO instance-segmentation JSON, for training."""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from ..formats.coco import categories, require_pycocotools
from .files import write_atomic
from .store import LabelStore, Status, labeled

#: From this many images on, the export shows a progress bar (when tqdm is installed).
PROGRESS_FROM = 50
T = TypeVar("T")


def _progress(items: Sequence[T], show: bool | None, what: str) -> Iterable[T]:
    """`items`, behind tqdm's bar (notebook or terminal) on long runs; plain without tqdm."""
    if show is False or (show is None and len(items) < PROGRESS_FROM):
        return items
    try:  # an optional dependency (the `coco` extra), imported only when a bar is wanted
        tqdm = importlib.import_module("tqdm.auto").tqdm
    except ImportError:
        return items
    bar: Iterable[T] = tqdm(items, desc=what, unit="image")
    return bar


def export_coco(
    store: str | os.PathLike[str] | LabelStore,
    path: str | os.PathLike[str],
    *,
    labels: Sequence[str] | None = None,
    statuses: Sequence[Status] = ("done",),
    strict: bool = False,
    progress: bool | None = None,
) -> dict[str, Any]:
    """Write one COCO JSON for every stored image whose status is in `statuses`.

    Categories are `labels` (default: the store's label choices) with ids
    1..K in that order; a stored label not among them is appended. Images are
    named by their key (path relative to the store's root) and numbered from
    1 in key order; annotations carry RLE segmentations (pycocotools). Entries
    with problems are reported by name (`StoreWarning`), or stop the export
    with `strict=True`. Returns the COCO dict it wrote.
    """
    require_pycocotools()
    label_store = store if isinstance(store, LabelStore) else LabelStore(store)
    names = list(labels if labels is not None else label_store.labels)
    category_ids = {name: k for k, name in enumerate(names, 1)}
    images: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    keys = label_store.stored_keys()
    for key, annotation in labeled(
        label_store, _progress(keys, progress, "COCO export"), statuses=statuses, strict=strict
    ):
        for label in annotation.labels:
            category_ids.setdefault(label, len(category_ids) + 1)
        image_id = len(images) + 1
        images.append({"id": image_id, "file_name": key,
                       "width": annotation.width, "height": annotation.height})  # fmt: skip
        annotations += annotation.to_coco(image_id, category_ids, first_id=len(annotations) + 1)
    coco = {
        "info": {"description": f"crowdseg-widget label store {label_store.path}"},
        "images": images,
        "annotations": annotations,
        "categories": categories(list(category_ids)),
    }
    write_atomic(Path(path), json.dumps(coco).encode())
    return coco
