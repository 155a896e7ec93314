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
import operator
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from types import ModuleType
from typing import Any

import numpy as np

from ..annotation import Annotation, check_instance_count, dimension, id_dtype
from ..extras import require
from ..safe_image import check_size
from .masks import checked_scores


def require_pycocotools() -> ModuleType:
    """`pycocotools.mask`, or an ImportError that names the extra to install."""
    return require("pycocotools.mask", "coco", "COCO conversion")


def categories(labels: Sequence[str]) -> list[dict[str, Any]]:
    """COCO categories for `labels`: ids 1..K in the order given."""
    if isinstance(labels, str):
        raise TypeError("categories() takes a list of label names, not one string")
    names = list(labels)
    repeated = sorted(name for name, n in Counter(names).items() if n > 1)
    if repeated:
        raise ValueError(f"labels {repeated} appear more than once; each category needs one id")
    return [{"id": k, "name": name, "supercategory": ""} for k, name in enumerate(names, 1)]


# ------------------------------------------------------------------ export


def _column_runs(label_map: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Runs of equal ids in column-major order (COCO's): start, length, id; background left out."""
    flat = label_map.T.ravel()
    if flat.size == 0:
        return flat.astype(np.intp), flat.astype(np.intp), flat
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
    image_id, first_id = operator.index(image_id), operator.index(first_id)
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


def _compressed_counts(text: bytes) -> np.ndarray:
    """The run lengths a compressed COCO RLE string stands for (vectorized, to check it).

    Each number is 5-bit groups, low first, in characters from '0' (48); bit 0x20
    says another group follows, bit 0x10 of the last group is the sign. From
    the third number on, each is a delta to the number two before it.
    """
    if not text:
        return np.zeros(0, np.int64)
    codes = np.frombuffer(text, np.uint8).astype(np.int64) - 48
    bad = np.flatnonzero((codes < 0) | (codes >= 64))
    if bad.size:
        raise ValueError(f"the compressed RLE string holds {chr(text[bad[0]])!r}")
    last = (codes & 0x20) == 0  # the group that ends a number
    if not last[-1]:
        raise ValueError("the compressed RLE string ends in the middle of a number")
    number = np.concatenate(([0], np.cumsum(last)[:-1]))
    first = np.flatnonzero(np.concatenate(([True], last[:-1])))
    group = np.arange(codes.size) - first[number]  # position of each group in its number
    if group.max() > 8:
        raise ValueError("the compressed RLE string holds a number too long for a run length")
    # At most 45 bits per number: exact as float64 weights.
    chunks = (codes & 0x1F) << (5 * group)
    values = np.bincount(number, weights=chunks, minlength=first.size).astype(np.int64)
    ends = np.flatnonzero(last)
    negative = (codes[ends] & 0x10) != 0
    values[negative] -= np.left_shift(1, 5 * (group[ends][negative] + 1))
    counts = values.copy()
    counts[1::2] = np.cumsum(values[1::2])
    counts[2::2] = np.cumsum(values[2::2])
    return counts


def _checked_counts(counts: Sequence[int] | np.ndarray, height: int, width: int) -> np.ndarray:
    array = np.asarray(counts, np.int64)
    if (array < 0).any():
        raise ValueError("the RLE has a negative run length")
    if (array > height * width).any():  # also keeps the sum below int64's wrap-around
        raise ValueError(
            f"the RLE has a run of {int(array.max())} pixels but the image has "
            f"{height}x{width} = {height * width}"
        )
    if int(array.sum()) != height * width:
        raise ValueError(
            f"the RLE's runs cover {int(array.sum())} pixels but the image has {height}x{width} "
            f"= {height * width}"
        )
    return array


def _listed_counts(counts: list[Any], height: int, width: int) -> np.ndarray:
    """An uncompressed RLE's counts: whole numbers (not bools), none beyond the image."""
    if not all(isinstance(c, numbers.Integral) and not isinstance(c, bool) for c in counts):
        raise ValueError("an uncompressed RLE's counts must be whole numbers (ints, not bools)")
    if any(c < 0 for c in counts):
        raise ValueError("the RLE has a negative run length")
    bad = next((c for c in counts if c > height * width), None)
    if bad is not None:  # before numpy: 10**30 does not fit an int64
        raise ValueError(
            f"the RLE has a run of {bad} pixels but the image has {height}x{width} "
            f"= {height * width}"
        )
    return _checked_counts(counts, height, width)


def _checked_polygon(polygon: Any, height: int, width: int) -> list[float]:
    """A flat [x0, y0, ...] list of finite numbers within one image size of the image.

    pycocotools scales vertices by 5 into C ints and walks every edge: a vertex
    of about 3e9 crashes the process (SIGSEGV), so nothing far off reaches it.
    Vertices may lie outside the image (pycocotools clips them), by at most
    the image's own width (x) or height (y).
    """
    if (
        not isinstance(polygon, Sequence)
        or isinstance(polygon, str)
        or len(polygon) < 6
        or len(polygon) % 2
        or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in polygon)
    ):
        raise ValueError(
            "a polygon segmentation is a list of flat [x0, y0, x1, y1, ...] lists of at "
            f"least 3 points (6 numbers); got {str(polygon)[:80]}"
        )
    values = [float(v) for v in polygon]
    for index, v in enumerate(values):
        axis, size = ("x", width) if index % 2 == 0 else ("y", height)
        if not math.isfinite(v):
            raise ValueError(f"a polygon vertex's {axis} is {v}, not a finite number")
        if not -size <= v <= 2 * size:
            raise ValueError(
                f"a polygon vertex's {axis} {v:g} is outside the {width}x{height} image by "
                f"more than its size (allowed: {-size}..{2 * size})"
            )
    return values


#: pycocotools needs about 40 bytes per pixel of polygon edge (measured): at most ~1 GB.
MAX_POLYGON_LENGTH = 25_000_000


def _check_polygon_length(polygons: list[list[float]], height: int, width: int) -> None:
    """Refuse polygons longer than any outline of the image could be, before pycocotools
    walks them: 4,000 zig-zag vertices across a 1000x1000 image take 0.5 GB."""
    length = 0.0
    for polygon in polygons:
        xy = np.asarray(polygon).reshape(-1, 2)
        steps = np.abs(xy - np.roll(xy, 1, axis=0)).max(axis=1)  # edges of the closed ring
        length += float(steps.sum())
    # Tracing every pixel edge of the image is the longest outline it has.
    limit = min(2 * height * width + 2 * (height + width), MAX_POLYGON_LENGTH)
    if length > limit:
        raise ValueError(
            f"the polygons' edges are {length:,.0f} pixels long in all, more than a "
            f"{width}x{height} image's outlines can be ({limit:,}); pycocotools would need "
            f"about {length * 40 / 2**30:.1f} GiB to draw them"
        )


def _polygon_counts(mask_api: ModuleType, polygons: Any, height: int, width: int) -> np.ndarray:
    checked = [_checked_polygon(p, height, width) for p in polygons]
    _check_polygon_length(checked, height, width)
    polygon_rles = mask_api.frPyObjects(checked, height, width)
    return _compressed_counts(mask_api.merge(polygon_rles)["counts"])


def _segmentation_counts(
    mask_api: ModuleType, segmentation: Any, height: int, width: int
) -> np.ndarray:
    """Checked uncompressed run lengths of one segmentation (RLE string/bytes/list, polygons)."""
    if isinstance(segmentation, list):
        if not segmentation:
            raise ValueError("the segmentation is an empty list of polygons")
        polygon_counts = _polygon_counts(mask_api, segmentation, height, width)
        return _checked_counts(polygon_counts, height, width)
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
        return _listed_counts(counts, height, width)
    if isinstance(counts, str):
        counts = counts.encode("ascii", errors="replace")
    if not isinstance(counts, bytes):
        raise ValueError(
            f"an RLE's counts must be a string, bytes or a list, got {type(counts).__name__}"
        )
    return _checked_counts(_compressed_counts(counts), height, width)


def _paint_runs(flat: np.ndarray, counts: np.ndarray, value: int) -> None:
    """Set the pixels of the 1-runs (odd positions of `counts`) of column-major `flat`."""
    lengths = counts[1::2]
    starts = (np.cumsum(counts) - counts)[1::2]
    total = int(lengths.sum())
    # The runs' pixel indices, concatenated: position in the output + its run's offset.
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    flat[np.arange(total) + offsets] = value


def _image_size(height: object, width: object) -> tuple[int, int]:
    """(height, width) as ints: positive, whole, within the pixel limit (before allocating)."""
    checked_height, checked_width = dimension(height), dimension(width)
    if checked_height is None or checked_width is None:
        raise ValueError(
            f"height and width must be positive whole numbers, got {height!r}x{width!r} (h x w)"
        )
    check_size(checked_width, checked_height, "the COCO image")
    return checked_height, checked_width


def annotation_from_coco(
    annotations: Iterable[Mapping[str, Any]],
    *,
    height: int,
    width: int,
    categories: Mapping[int, str] | Sequence[Mapping[str, Any]],
) -> Annotation:
    """One instance per COCO annotation, in order; overlaps resolved like `from_masks`."""
    mask_api = require_pycocotools()
    height, width = _image_size(height, width)
    names = _category_names(categories)
    items = list(annotations)
    check_instance_count(len(items))
    labels: list[str] = []
    runs: list[np.ndarray] = []
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
            runs.append(_segmentation_counts(mask_api, item["segmentation"], height, width))
        except ValueError as err:
            raise ValueError(f"{where}: {err}") from None
        labels.append(names[item["category_id"]])
    # Paint in ascending score (stable): the later one wins ties, and all without scores.
    order: Sequence[int] = range(len(items))
    if items and all("score" in item for item in items):
        scores = checked_scores([item["score"] for item in items], len(items), "annotation")
        order = np.argsort(scores, kind="stable").tolist()
    # Runs are column-major (COCO's order): paint the transposed map, row-major.
    flat = np.zeros(width * height, id_dtype(len(items)))
    for index in order:
        _paint_runs(flat, runs[index], index + 1)
    return Annotation(np.ascontiguousarray(flat.reshape(width, height).T), labels)
