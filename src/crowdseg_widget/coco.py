"""COCO instance annotations (RLE segmentations) to and from `Annotation`.

One COCO annotation per painted instance::

    {"id": 1, "image_id": 7, "category_id": 2, "iscrowd": 0,
     "segmentation": {"size": [H, W], "counts": "<compressed RLE>"},
     "area": 1234, "bbox": [x, y, w, h]}

RLE is exact, so `Annotation.from_coco(ann.to_coco(...))` gives the same
pixels back. Needs pycocotools: `pip install 'crowdseg-widget[coco]'`.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Iterable, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

from .png_codec import id_dtype

if TYPE_CHECKING:
    from .annotation import Annotation

_MISSING_EXTRA = "COCO conversion needs pycocotools: pip install 'crowdseg-widget[coco]'"


def require_pycocotools() -> ModuleType:
    """`pycocotools.mask`, or an ImportError that names the extra to install."""
    try:
        from pycocotools import mask
    except ImportError:
        raise ImportError(_MISSING_EXTRA) from None
    module: ModuleType = mask
    return module


def categories(labels: Sequence[str]) -> list[dict[str, Any]]:
    """COCO categories for `labels`: ids 1..K in the order given."""
    if isinstance(labels, str):
        raise TypeError("categories() takes a list of label names, not one string")
    names = list(labels)
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"labels {repeated} appear more than once; each category needs one id")
    return [{"id": k, "name": name, "supercategory": ""} for k, name in enumerate(names, 1)]


# ------------------------------------------------------------------ export


def _column_runs(label_map: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Runs of equal ids in column-major order (COCO's): start, length, id; background left out."""
    flat = label_map.T.ravel()
    starts = np.flatnonzero(np.concatenate(([True], flat[1:] != flat[:-1])))
    lengths = np.diff(np.append(starts, flat.size))
    ids = flat[starts]
    painted = ids != 0
    return starts[painted], lengths[painted], ids[painted]


def _uncompressed_rles(label_map: np.ndarray, num_instances: int) -> dict[int, list[int]]:
    """COCO's uncompressed `counts` (0-runs and 1-runs alternating) per painted instance id."""
    starts, lengths, ids = _column_runs(label_map)
    order = np.argsort(ids, kind="stable")  # group the runs by id, keeping their order
    starts, lengths, ids = starts[order], lengths[order], ids[order]
    bounds = np.searchsorted(ids, np.arange(1, num_instances + 2))
    total = label_map.size
    rles: dict[int, list[int]] = {}
    for instance in range(1, num_instances + 1):
        lo, hi = bounds[instance - 1], bounds[instance]
        if lo == hi:
            continue
        run_starts, run_lengths = starts[lo:hi], lengths[lo:hi]
        ends = run_starts + run_lengths
        gaps = run_starts - np.concatenate(([0], ends[:-1]))
        counts = np.stack([gaps, run_lengths], axis=1).ravel().tolist()
        if ends[-1] < total:  # pycocotools ends on the last run, whichever value it has
            counts.append(int(total - ends[-1]))
        rles[instance] = counts
    return rles


def annotation_to_coco(
    annotation: Annotation,
    image_id: int,
    category_ids: Mapping[str, int],
    *,
    first_id: int = 1,
) -> list[dict[str, Any]]:
    """COCO annotations for the painted instances, in instance order (see the module doc)."""
    mask_api = require_pycocotools()
    missing = [label for label in dict.fromkeys(annotation.labels) if label not in category_ids]
    if missing:
        raise KeyError(
            f"labels {missing} have no COCO category id; category_ids has {sorted(category_ids)}"
        )
    height, width = annotation.height, annotation.width
    rles = _uncompressed_rles(annotation.label_map, annotation.num_instances)
    painted = list(rles)
    if not painted:
        return []
    compressed = mask_api.frPyObjects(
        [{"size": [height, width], "counts": rles[i]} for i in painted], height, width
    )
    boxes, areas = annotation.boxes, annotation.areas
    labels = annotation.labels
    out: list[dict[str, Any]] = []
    for number, (instance, rle) in enumerate(zip(painted, compressed, strict=True)):
        x0, y0, x1, y1 = (float(v) for v in boxes[instance - 1])
        out.append(
            {
                "id": first_id + number,
                "image_id": image_id,
                "category_id": int(category_ids[labels[instance - 1]]),
                "segmentation": {"size": [height, width], "counts": rle["counts"].decode("ascii")},
                "area": int(areas[instance - 1]),
                "bbox": [x0, y0, x1 - x0, y1 - y0],
                "iscrowd": 0,
            }
        )
    return out


# ------------------------------------------------------------------ import


def _category_names(categories: Mapping[int, str] | Sequence[Mapping[str, Any]]) -> dict[int, str]:
    if isinstance(categories, Mapping):
        return {int(k): str(v) for k, v in categories.items()}
    names: dict[int, str] = {}
    for category in categories:
        if not isinstance(category, Mapping) or "id" not in category or "name" not in category:
            raise ValueError(f"a COCO category must have 'id' and 'name', got {category!r}")
        names[int(category["id"])] = str(category["name"])
    return names


def _compressed_counts(text: bytes) -> list[int]:
    """The run lengths a compressed COCO RLE string stands for (to check it before decoding)."""
    counts: list[int] = []
    pos = 0
    while pos < len(text):
        value, shift, more = 0, 0, True
        while more:
            if pos == len(text):
                raise ValueError("the compressed RLE string ends in the middle of a number")
            chunk = text[pos] - 48
            if not 0 <= chunk < 64:
                raise ValueError(f"the compressed RLE string holds {chr(text[pos])!r}")
            value |= (chunk & 0x1F) << shift
            more = bool(chunk & 0x20)
            pos += 1
            shift += 5
            if not more and chunk & 0x10:
                value |= -1 << shift  # sign bit of the last 5-bit group
        if len(counts) > 2:
            value += counts[-2]  # from the third on, counts are deltas (COCO's format)
        counts.append(value)
    return counts


def _check_counts(counts: Sequence[int], height: int, width: int) -> None:
    if any(c < 0 for c in counts):
        raise ValueError("the RLE has a negative run length")
    if sum(counts) != height * width:
        raise ValueError(
            f"the RLE's runs cover {sum(counts)} pixels but the image has {height}x{width} "
            f"= {height * width}"
        )


def _polygon_rle(mask_api: ModuleType, polygons: Any, height: int, width: int) -> Any:
    for polygon in polygons:
        if (
            not isinstance(polygon, Sequence)
            or isinstance(polygon, str)
            or len(polygon) < 6
            or len(polygon) % 2
            or not all(
                isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v)
                for v in polygon
            )
        ):
            raise ValueError(
                "a polygon segmentation is a list of flat [x0, y0, x1, y1, ...] lists of at "
                f"least 3 points (6 numbers); got {str(polygon)[:80]}"
            )
    polygon_rles = mask_api.frPyObjects([[float(v) for v in p] for p in polygons], height, width)
    return mask_api.merge(polygon_rles)


def _segmentation_rle(mask_api: ModuleType, segmentation: Any, height: int, width: int) -> Any:
    """A checked compressed RLE for one segmentation (RLE string/bytes, counts list, polygons)."""
    if isinstance(segmentation, list):
        if not segmentation:
            raise ValueError("the segmentation is an empty list of polygons")
        return _polygon_rle(mask_api, segmentation, height, width)
    if not isinstance(segmentation, Mapping) or "counts" not in segmentation:
        raise ValueError(
            "a segmentation must be an RLE {'size': [h, w], 'counts': ...} or a list of "
            f"polygons, got {type(segmentation).__name__}"
        )
    size = segmentation.get("size")
    if not isinstance(size, Sequence) or [*size] != [height, width]:
        raise ValueError(f"the RLE's size is {size!r} but the image is [{height}, {width}] (h, w)")
    counts = segmentation["counts"]
    if isinstance(counts, list):
        if not all(isinstance(c, numbers.Integral) for c in counts):
            raise ValueError("an uncompressed RLE's counts must be whole numbers")
        _check_counts(counts, height, width)
        return mask_api.frPyObjects({"size": [height, width], "counts": counts}, height, width)
    if isinstance(counts, str):
        counts = counts.encode("ascii", errors="replace")
    if not isinstance(counts, bytes):
        raise ValueError(
            f"an RLE's counts must be a string, bytes or a list, got {type(counts).__name__}"
        )
    _check_counts(_compressed_counts(counts), height, width)
    return {"size": [height, width], "counts": counts}


def annotation_from_coco(
    annotations: Iterable[Mapping[str, Any]],
    *,
    height: int,
    width: int,
    categories: Mapping[int, str] | Sequence[Mapping[str, Any]],
) -> Annotation:
    """One instance per COCO annotation, in order; overlaps resolved like `from_masks`."""
    from .annotation import Annotation

    mask_api = require_pycocotools()
    names = _category_names(categories)
    items = list(annotations)
    labels: list[str] = []
    rles: list[Any] = []
    for number, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise TypeError(f"COCO annotation {number} must be a dict, got {type(item).__name__}")
        where = f"COCO annotation {number} (id {item.get('id')!r})"
        if item.get("category_id") not in names:
            raise ValueError(
                f"{where} has category_id {item.get('category_id')!r}, which is not among the "
                f"categories {sorted(names)}"
            )
        if "segmentation" not in item:
            raise ValueError(f"{where} has no 'segmentation'")
        try:
            rles.append(_segmentation_rle(mask_api, item["segmentation"], height, width))
        except ValueError as err:
            raise ValueError(f"{where}: {err}") from None
        labels.append(names[item["category_id"]])
    # Paint in ascending score (stable): the later one wins ties, and all without scores.
    order: Sequence[int] = range(len(items))
    if items and all("score" in item for item in items):
        scores = np.array([float(item["score"]) for item in items])
        order = np.argsort(scores, kind="stable").tolist()
    label_map = np.zeros((height, width), id_dtype(len(items)))
    with warnings.catch_warnings():
        # pycocotools' decode trips numpy 2's __array__(copy=...) deprecation; harmless.
        warnings.filterwarnings("ignore", "__array__ implementation", DeprecationWarning)
        for index in order:
            label_map[mask_api.decode(rles[index]).astype(bool)] = index + 1
    return Annotation(label_map, labels)
