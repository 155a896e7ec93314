"""Output manifests: what Ground Truth wrote per object, read back as `ObjectResult`s.

A custom job's line holds `<attr>` and `<attr>-metadata`. `<attr>` is one of:
our consolidated value (the element value + `consolidation`), a bare element
value or `{name: value}`, AWS's sample `{"annotationsFromAllWorkers": [...]}`,
or `{}` with a `worker-response-ref` (in `-metadata` or at the top level) to
the raw answers. Built-in semantic segmentation jobs write `<attr>-ref`, a
PNG with a white background and `internal-color-map` in its metadata.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from PIL import Image

from .. import Annotation
from ..image_source import exif_orientation
from .errors import GroundTruthError
from .manifest import Lines, manifest_records
from .resolvers import Resolver
from .responses import (
    WorkerAnnotation,
    decode_value,
    fetch,
    parse_json,
    read_worker_response,
    worker_annotation,
)
from .rules import check_label_attribute
from .template import INITIAL_FIELD

CUSTOM_TYPE = "groundtruth/custom"
SEMANTIC_TYPE = "groundtruth/semantic-segmentation"
_OBJECT_FOLDER = re.compile(r"/iteration-\d+/([^/]+)/[^/]*$")


@dataclass(frozen=True)
class ObjectResult:
    """One image of a finished job.

    `key` is the store key (`crowdseg-key`), `workers` the raw answers when
    the output holds or references them, `consolidated` the consolidated
    annotation when there is one (ours, or the semantic job's PNG), `report`
    our consolidation report, `metadata` normalised to `type`, `job_name`
    (without `labeling-job/`), `human_annotated`, `creation_date` and the
    line's other metadata keys with `_` for `-`.
    """

    source_ref: str | None
    key: str | None
    dataset_object_id: str | None
    workers: list[WorkerAnnotation]
    consolidated: Annotation | None
    metadata: dict[str, Any]
    report: dict[str, Any] | None = None
    line: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def normalize_metadata(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """`job-name`/`job_name`, `creation-date`/`creation_date`, ... as `job_name`, ...

    The `labeling-job/` prefix of built-in jobs' names is dropped.
    """
    normal = {key.replace("-", "_"): value for key, value in metadata.items()}
    job = normal.get("job_name")
    if isinstance(job, str) and job.startswith("labeling-job/"):
        normal["job_name"] = job[len("labeling-job/") :]
    return normal


def _check_type(metadata: dict[str, Any], expected: str, where: str) -> None:
    found = metadata.get("type")
    if found is None or str(found).lower() == expected:
        return
    reader = (
        "read_semantic_output" if str(found).lower() == SEMANTIC_TYPE else "read_output_manifest"
    )
    raise GroundTruthError(
        f"{where}: metadata type is {found!r}, not {expected!r}; "
        + (f"read it with {reader}" if str(found).lower() in (SEMANTIC_TYPE, CUSTOM_TYPE)
           else "this is not an instance or semantic segmentation output")
    )  # fmt: skip


def _labeled_lines(
    lines: Lines, attribute: str, strict: bool
) -> list[tuple[int, dict[str, Any], Any, dict[str, Any]]]:
    """(line number, line, value, raw metadata) of every line that holds `attribute`."""
    records = list(manifest_records(lines))
    meta_key = f"{attribute}-metadata"
    if records and not any(attribute in r or meta_key in r for _, r in records):
        present = sorted({k for _, r in records for k in r if f"{k}-metadata" in r})
        raise GroundTruthError(
            f"no line of the output manifest has the label attribute {attribute!r}; label "
            f"attributes present: {present}. Pass label_attribute= one of them"
        )
    found = []
    for number, record in records:
        where = f"output manifest line {number} ({record.get('source-ref')})"
        if attribute in record and meta_key not in record:
            raise GroundTruthError(
                f"{where}: {attribute!r} without {meta_key!r}: not written by Ground Truth? "
                f"missing {meta_key}"
            )
        if attribute not in record:
            meta = record.get(meta_key)
            failure = meta.get("failure-reason") if isinstance(meta, Mapping) else None
            why = f"failed: {failure}" if failure else "the object was not labeled or failed"
            message = f"{where}: no {attribute!r} ({why}); skipped"
            if strict:
                raise GroundTruthError(message.replace("; skipped", ""))
            warnings.warn(message, stacklevel=4)
            continue
        metadata = record[meta_key]
        if not isinstance(metadata, Mapping):
            raise GroundTruthError(f"{where}: {meta_key!r} is not an object: {metadata!r}")
        found.append((number, record, record[attribute], dict(metadata)))
    return found


def _all_workers(
    value: Mapping[str, Any], name: str | None, where: str, size: tuple[int, int] | None
) -> list[WorkerAnnotation]:
    """AWS's sample consolidation Lambda: `{"annotationsFromAllWorkers": [...]}`."""
    workers = []
    for index, item in enumerate(value["annotationsFromAllWorkers"]):
        data = item.get("annotationData", {}) if isinstance(item, Mapping) else {}
        worker = item.get("workerId") if isinstance(item, Mapping) else None
        workers.append(
            worker_annotation(
                data.get("content") if isinstance(data, Mapping) else None,
                worker_id=worker,
                name=name,
                where=f"{where}, annotation {index} (worker {worker})",
                size=size,
            )
        )
    return workers


def _consolidated(
    value: Mapping[str, Any],
    name: str | None,
    resolver: Resolver | None,
    where: str,
    size: tuple[int, int] | None,
) -> tuple[Annotation | None, dict[str, Any] | None]:
    if not value or "annotationsFromAllWorkers" in value:
        return None, None
    element = value
    if "labeledImage" not in value:
        keys = [name] if name is not None else list(value)
        inner = [value[k] for k in keys if isinstance(value.get(k), Mapping)]
        if len(inner) != 1 or "labeledImage" not in inner[0]:
            raise GroundTruthError(
                f"{where}: the label holds no instance-segmentation value (keys: {sorted(value)});"
                " pass name= the element's name"
            )
        element = inner[0]
    report = element.get("consolidation")
    if isinstance(report, Mapping) and "s3Uri" in report and resolver is not None:
        report = parse_json(fetch(resolver, report["s3Uri"], where), where)
    annotation = decode_value(element, where=where, resolver=resolver, size=size)
    return annotation, dict(report) if isinstance(report, Mapping) else None


def _image_size(resolver: Resolver | None, record: dict[str, Any], where: str) -> tuple[int, int]:
    """(width, height) of the line's image as shown upright, read through the resolver."""
    source = record.get("source-ref")
    if resolver is None or not isinstance(source, str):
        raise GroundTruthError(f"{where}: check_sizes=True needs resolver= and a 'source-ref'")
    try:
        with Image.open(io.BytesIO(fetch(resolver, source, where))) as image:
            width, height = image.size
            turned = exif_orientation(image) in (5, 6, 7, 8)
    except (OSError, ValueError) as err:
        raise GroundTruthError(f"{where}: {source} cannot be read as an image ({err})") from None
    return (height, width) if turned else (width, height)


def _object_result(
    number: int, record: dict[str, Any], value: Any, raw_metadata: dict[str, Any],
    name: str | None, resolver: Resolver | None, check_sizes: bool,
) -> ObjectResult:  # fmt: skip
    where = (
        f"output manifest line {number} ({record.get('crowdseg-key') or record.get('source-ref')})"
    )
    metadata = normalize_metadata(raw_metadata)
    _check_type(metadata, CUSTOM_TYPE, where)
    value = parse_json(value, where) if isinstance(value, str) else value
    if not isinstance(value, Mapping):
        raise GroundTruthError(f"{where}: the label is not an object: {value!r:.200}")
    reference = metadata.get("worker_response_ref") or record.get("worker-response-ref")
    size = _image_size(resolver, record, where) if check_sizes else None
    workers: list[WorkerAnnotation] = []
    if "annotationsFromAllWorkers" in value:
        workers = _all_workers(value, name, where, size)
    elif reference and (resolver is not None or not value):
        if resolver is None:
            raise GroundTruthError(
                f"{where}: the answers are only in {reference}; pass resolver= (e.g. "
                "local_resolver({'s3://bucket/': 'local/copy/'})) to read them"
            )
        workers = read_worker_response(
            fetch(resolver, reference, where),
            name=name,
            image_size=size,
            where=f"{where}: {reference}",
        )
    consolidated, report = _consolidated(value, name, resolver, where, size)
    folder = _OBJECT_FOLDER.search(reference) if isinstance(reference, str) else None
    initial = record.get(INITIAL_FIELD)
    return ObjectResult(
        source_ref=record.get("source-ref"),
        key=record.get("crowdseg-key"),
        dataset_object_id=folder.group(1) if folder else None,
        workers=workers,
        consolidated=consolidated,
        metadata=metadata,
        report=report,
        line=number,
        extra={"initial": initial} if initial else {},
    )


def read_output_manifest(
    lines_or_path: Lines,
    *,
    label_attribute: str,
    name: str | None = None,
    resolver: Resolver | None = None,
    strict: bool = False,
    check_sizes: bool = False,
) -> list[ObjectResult]:
    """Every labeled object of a custom job's output manifest.

    `lines_or_path`: the manifest (bytes, text, a path, or lines).
    `label_attribute`: the job's `LabelAttributeName`. `name`: the element's
    name (default: found). `resolver`: reads `worker-response-ref` files and
    PNGs stored in S3. A line without the attribute (unlabeled, failed) is
    skipped with a warning, or raises with `strict=True`. `check_sizes=True`
    reads each image (`source-ref`) through the resolver and refuses PNGs
    of another size (off by default: it reads every image).

    Raises GroundTruthError naming the line: a bad attribute name, the
    attribute in no line (the message lists those present), the attribute
    without its `-metadata`, a metadata `type` other than custom (a semantic
    output names `read_semantic_output`), a value that does not decode, a
    reference that needs a resolver or cannot be read. The input manifest's
    size limits are not applied: real outputs exceed them.
    """
    check_label_attribute(label_attribute)
    return [
        _object_result(number, record, value, metadata, name, resolver, check_sizes)
        for number, record, value, metadata in _labeled_lines(
            lines_or_path, label_attribute, strict
        )
    ]


def _class_colors(metadata: dict[str, Any], where: str) -> tuple[list[str], list[str]]:
    """(class names, colors) of the color map in index order; index 0 is the background."""
    color_map = metadata.get("internal_color_map")
    if not isinstance(color_map, Mapping) or not color_map:
        raise GroundTruthError(f"{where}: the metadata has no 'internal-color-map'")
    try:
        entries = sorted((int(k), v) for k, v in color_map.items())
        names = [str(v["class-name"]) for _, v in entries]
        colors = [str(v["hex-color"]) for _, v in entries]
    except (ValueError, TypeError, KeyError) as err:
        raise GroundTruthError(
            f"{where}: 'internal-color-map' entries must be {{index: {{class-name, hex-color}}}}"
            f" ({err!r})"
        ) from None
    if entries[0][0] != 0:
        raise GroundTruthError(f"{where}: 'internal-color-map' has no entry 0 (the background)")
    return names, colors


def read_semantic_output(
    lines: Lines,
    *,
    label_attribute: str,
    resolver: Resolver,
    split_instances: Literal["none", "components"] = "none",
) -> list[ObjectResult]:
    """A built-in semantic segmentation job's output manifest, as annotations.

    Each line's PNG (`<attr>` is its S3 URI, read through `resolver`) is
    decoded by color with the metadata's `internal-color-map` (entry 0, the
    background, is usually white), in P mode or RGB alike. Each class
    present becomes one instance; `split_instances="components"` makes each
    4-connected region its own instance (needs scipy). The annotation is in
    `.consolidated`; `.workers` is empty.

    Raises GroundTruthError: the attribute does not end in `-ref`, a metadata
    `type` other than semantic segmentation, a missing color map, pixels of
    a color not in the map, a PNG that cannot be read.
    """
    check_label_attribute(label_attribute, semantic=True)
    if split_instances not in ("none", "components"):
        raise GroundTruthError(
            f"split_instances must be 'none' or 'components', got {split_instances!r}"
        )
    results = []
    for number, record, uri, raw in _labeled_lines(lines, label_attribute, strict=False):
        where = f"output manifest line {number} ({record.get('source-ref')})"
        metadata = normalize_metadata(raw)
        _check_type(metadata, SEMANTIC_TYPE, where)
        names, colors = _class_colors(metadata, where)
        instances = [{"color": c, "label": n} for n, c in zip(names, colors, strict=True)]
        png = fetch(resolver, uri, where)
        value = {"instances": instances, "labeledImage": {"pngImageData": png}}
        per_entry = decode_value(value, where=where).label_map  # 1 = entry 0 (background)
        class_map = np.where(per_entry > 0, per_entry.astype(np.int64) - 1, 0)
        annotation = Annotation.from_class_map(
            class_map, names[1:], split_components=split_instances == "components"
        )
        source, key = record.get("source-ref"), record.get("crowdseg-key")
        results.append(ObjectResult(source, key, None, [], annotation, metadata, None, number))
    return results
