"""What workers submitted: worker-response files, Lambda payloads, MTurk CSVs.

Every form locates the element's value the same way: `name=` when given,
else the one key of the form whose value has `instances` and
`labeledImage`. JSON values that arrive as strings (the Lambda's `content`,
some templates) are parsed once, never recursively.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import Annotation
from .errors import GroundTruthError
from .resolvers import Resolver
from .template import ADDED_LABELS_INPUT


@dataclass(frozen=True)
class WorkerAnnotation:
    """One worker's answer for one image.

    `annotation` is the element's value decoded; `extra` holds the form's
    other named inputs (e.g. `_customLabel`, `crowdseg-added-labels`).
    """

    worker_id: str | None
    annotation: Annotation
    submitted: str | None = None
    seconds: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def added_labels(self) -> list[str]:
        """The labels this worker added in an `allow_new_labels=True` job (used or not)."""
        raw = self.extra.get(ADDED_LABELS_INPUT)
        try:
            labels = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            return []
        if not isinstance(labels, list):
            return []
        return [label for label in labels if isinstance(label, str)]

    @property
    def labels(self) -> list[str]:
        """Every label this worker used or added, in order of first appearance."""
        return list(dict.fromkeys([*self.annotation.labels, *self.added_labels]))


def parse_json(data: Any, what: str) -> Any:
    """`data` as JSON when it is bytes or text (once), else as it is."""
    if isinstance(data, (bytes, bytearray)):
        data = bytes(data).decode("utf-8-sig")
    if isinstance(data, str):
        try:
            return json.loads(data)
        except ValueError as err:
            raise GroundTruthError(f"{what} is not JSON ({err})") from None
    return data


def _maybe_json(value: Any) -> Any:
    """A form input that holds a JSON object as text, parsed; any other input as it is."""
    if isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _is_element_value(value: Any) -> bool:
    return isinstance(value, Mapping) and "instances" in value and "labeledImage" in value


def element_value(
    form: Any, *, name: str | None, where: str
) -> tuple[Mapping[str, Any], dict[str, Any]]:
    """(the element's value, the form's other inputs) from a form `{name: value, ...}`."""
    form = parse_json(form, where)
    if not isinstance(form, Mapping):
        raise GroundTruthError(f"{where}: expected the form's answers as an object, got {form!r}")
    parsed = {key: _maybe_json(value) for key, value in form.items()}
    if name is None:
        found = [key for key, value in parsed.items() if _is_element_value(value)]
        if len(found) != 1:
            which = "no key holds" if not found else f"keys {found} all hold"
            raise GroundTruthError(
                f"{where}: {which} an instance-segmentation value (instances + labeledImage); "
                f"keys present: {sorted(form)}. Pass name= the element's name"
            )
        name = found[0]
    if name not in parsed:
        raise GroundTruthError(
            f"{where}: no answer named {name!r}; keys present: {sorted(form)}. Pass name= the "
            "element's name in the template"
        )
    value = parse_json(parsed[name], f"{where}: the answer {name!r}")
    if not isinstance(value, Mapping):
        raise GroundTruthError(f"{where}: the answer {name!r} is not an object: {value!r}")
    extra = {key: form[key] for key in form if key != name}
    return value, extra


def decode_value(
    value: Mapping[str, Any],
    *,
    where: str,
    resolver: Resolver | None = None,
    size: tuple[int, int] | None = None,
) -> Annotation:
    """The value as an `Annotation`; a PNG stored in S3 (`labeledImage.s3Uri`) is resolved."""
    image = value.get("labeledImage")
    if isinstance(image, Mapping) and "s3Uri" in image and "pngImageData" not in image:
        if resolver is None:
            raise GroundTruthError(
                f"{where}: the PNG is stored at {image['s3Uri']}; pass resolver= (e.g. "
                "local_resolver({'s3://bucket/': 'local/copy/'})) to read it"
            )
        value = {**value, "labeledImage": {"pngImageData": fetch(resolver, image["s3Uri"], where)}}
    try:
        return Annotation.from_value(value, size)
    except (ValueError, TypeError) as err:
        raise GroundTruthError(f"{where}: {err}") from None


def fetch(resolver: Resolver, uri: object, where: str) -> bytes:
    """`resolver(uri)`, with a GroundTruthError that says which reference was missing."""
    if not isinstance(uri, str):
        raise GroundTruthError(f"{where}: expected an S3 URI, got {uri!r}")
    try:
        return resolver(uri)
    except FileNotFoundError as err:
        raise GroundTruthError(f"{where}: {uri} cannot be read ({err})") from None


def _seconds(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def worker_annotation(
    form: Any,
    *,
    worker_id: str | None,
    name: str | None,
    where: str,
    submitted: str | None = None,
    seconds: Any = None,
    resolver: Resolver | None = None,
    size: tuple[int, int] | None = None,
) -> WorkerAnnotation:
    """One answer's form decoded into a `WorkerAnnotation`."""
    value, extra = element_value(form, name=name, where=where)
    annotation = decode_value(value, where=where, resolver=resolver, size=size)
    return WorkerAnnotation(worker_id, annotation, submitted, _seconds(seconds), extra)


def read_worker_response(
    data: bytes | str | Mapping[str, Any],
    *,
    name: str | None = None,
    image_size: tuple[int, int] | None = None,
    where: str = "worker response",
) -> list[WorkerAnnotation]:
    """Every worker's answer in a worker-response file (`.../worker-response/.../<ts>.json`).

    `data`: the file's bytes or text, or its parsed JSON `{"answers": [...]}`.
    `name`: the element's name (default: found, see the module doc).
    `image_size`: (width, height) the PNGs must have, when known.
    Raises GroundTruthError when there is no `answers` list, the element
    cannot be found (the message lists the keys present) or a PNG does not
    decode (off-palette or partly transparent pixels, wrong size, duplicate
    colors: the codec's reason, prefixed with the answer and worker).
    """
    document = parse_json(data, where)
    answers = document.get("answers") if isinstance(document, Mapping) else None
    if not isinstance(answers, list):
        keys = sorted(document) if isinstance(document, Mapping) else type(document).__name__
        raise GroundTruthError(
            f"{where}: no 'answers' list (found {keys}); a worker-response file is "
            '{"answers": [{"workerId", "answerContent", ...}, ...]}'
        )
    workers = []
    for index, answer in enumerate(answers):
        if not isinstance(answer, Mapping):
            raise GroundTruthError(f"{where}: answer {index} is not an object: {answer!r}")
        worker_id = answer.get("workerId")
        workers.append(
            worker_annotation(
                answer.get("answerContent"),
                worker_id=worker_id,
                name=name,
                where=f"{where}, answer {index} (worker {worker_id})",
                submitted=answer.get("submissionTime"),
                seconds=answer.get("timeSpentInSeconds"),
                size=image_size,
            )
        )
    return workers


def _csv_text(path_or_text: str | os.PathLike[str]) -> str:
    """The CSV's text: `path_or_text` is a path unless it holds a line break."""
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        return path_or_text
    path = Path(path_or_text)
    if not path.is_file():
        raise GroundTruthError(f"MTurk CSV {path} does not exist (pass a path, or the CSV text)")
    return path.read_text("utf-8-sig")


def read_mturk_csv(
    path_or_text: str | os.PathLike[str],
    *,
    name: str | None = None,
    group_by: str = "HITId",
    skip_rejected: bool = True,
) -> dict[str, list[WorkerAnnotation]]:
    """An MTurk batch results CSV: the workers' answers grouped by HIT id.

    `path_or_text`: a path, or the CSV text (anything with a line break).
    Each row is one assignment; its `Answer.taskAnswers` is a JSON array
    holding the form `{name: value}`.
    Rows whose `AssignmentStatus` is `Rejected` are skipped (unless
    `skip_rejected=False`). Raises GroundTruthError naming the row and HIT
    when a column is missing or an answer does not decode.
    """
    csv.field_size_limit(sys.maxsize)  # a PNG in a cell exceeds the default 131,072
    rows = csv.DictReader(io.StringIO(_csv_text(path_or_text)))
    missing = {group_by, "Answer.taskAnswers"} - set(rows.fieldnames or [])
    if missing:
        raise GroundTruthError(
            f"MTurk CSV has no column {sorted(missing)}; columns present: {rows.fieldnames}"
        )
    results: dict[str, list[WorkerAnnotation]] = {}
    for number, row in enumerate(rows, 2):  # line 1 is the header
        if skip_rejected and row.get("AssignmentStatus") == "Rejected":
            continue
        where = f"MTurk CSV row {number} (HIT {row[group_by]}, worker {row.get('WorkerId')})"
        answers = parse_json(row["Answer.taskAnswers"], where)
        if isinstance(answers, list):
            if len(answers) != 1:
                raise GroundTruthError(f"{where}: taskAnswers holds {len(answers)} forms, not 1")
            answers = answers[0]
        worker = worker_annotation(
            answers,
            worker_id=row.get("WorkerId"),
            name=name,
            where=where,
            submitted=row.get("SubmitTime"),
            seconds=row.get("WorkTimeInSeconds"),
        )
        results.setdefault(row[group_by], []).append(worker)
    return results


@dataclass(frozen=True)
class PayloadObject:
    """One data object of a consolidation request: its readable answers and the rest."""

    dataset_object_id: str
    source_ref: str | None
    workers: list[WorkerAnnotation]
    rejected: list[dict[str, Any]]  # {"workerId", "reason"} per answer that could not be read


def _payload_answer(
    annotation: Any, *, name: str | None, resolver: Resolver | None, where: str
) -> WorkerAnnotation:
    if not isinstance(annotation, Mapping):
        raise GroundTruthError(f"{where}: an annotation must be an object, got {annotation!r}")
    data = annotation.get("annotationData")
    if not isinstance(data, Mapping):
        raise GroundTruthError(f"{where}: no 'annotationData' object")
    if "content" in data:
        content = data["content"]
    elif "s3Uri" in data:
        if resolver is None:
            raise GroundTruthError(f"{where}: annotationData.s3Uri needs resolver=")
        content = fetch(resolver, data["s3Uri"], where)
    else:
        raise GroundTruthError(
            f"{where}: annotationData has neither 'content' nor 's3Uri' (keys: {sorted(data)})"
        )
    return worker_annotation(
        content, worker_id=annotation.get("workerId"), name=name, where=where, resolver=resolver
    )


def payload_objects(
    data: bytes | str | Sequence[Any], *, name: str | None, resolver: Resolver | None
) -> list[PayloadObject]:
    """Every object of a consolidation payload; each answer that cannot be read is rejected."""
    items = parse_json(data, "consolidation payload")
    if not isinstance(items, list):
        raise GroundTruthError(
            f"the consolidation payload must be a JSON list of data objects, got "
            f"{type(items).__name__}"
        )
    objects = []
    for position, item in enumerate(items):
        if not isinstance(item, Mapping) or "datasetObjectId" not in item:
            raise GroundTruthError(
                f"consolidation payload item {position} has no 'datasetObjectId': {item!r:.200}"
            )
        object_id = str(item["datasetObjectId"])
        data_object = item.get("dataObject")
        source = data_object.get("s3Uri") if isinstance(data_object, Mapping) else None
        workers, rejected = [], []
        annotations = item.get("annotations")
        for index, annotation in enumerate(annotations if isinstance(annotations, list) else []):
            worker = annotation.get("workerId") if isinstance(annotation, Mapping) else None
            where = f"data object {object_id} ({source}), annotation {index} (worker {worker})"
            try:
                workers.append(
                    _payload_answer(annotation, name=name, resolver=resolver, where=where)
                )
            except GroundTruthError as err:
                rejected.append({"workerId": worker, "reason": str(err)})
        objects.append(PayloadObject(object_id, source, workers, rejected))
    return objects


def read_consolidation_payload(
    data: bytes | str | Sequence[Any],
    *,
    name: str | None = None,
    resolver: Resolver | None = None,
) -> dict[str, list[WorkerAnnotation]]:
    """A consolidation request's payload (the file at `payload.s3Uri`): answers by object.

    Keys are the `datasetObjectId`s. `annotationData.s3Uri` is followed
    through `resolver`. Raises GroundTruthError at the first answer that
    cannot be read (`consolidation_handler` instead records it and goes on).
    """
    results: dict[str, list[WorkerAnnotation]] = {}
    for item in payload_objects(data, name=name, resolver=resolver):
        if item.rejected:
            raise GroundTruthError(item.rejected[0]["reason"])
        results[item.dataset_object_id] = item.workers
    return results
