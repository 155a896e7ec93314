"""The two Lambda functions of a custom job, deployable as they are.

They need the stdlib, numpy and Pillow (a Lambda layer) and this package;
boto3 comes from the Lambda runtime and is imported only when no resolver is
given. Point the job's `PreHumanTaskLambdaArn` at a function whose handler is
`crowdseg_widget.groundtruth.lambdas.pre_annotation_handler`, and
`AnnotationConsolidationLambdaArn` at `...lambdas.consolidation_handler`.
"""

from __future__ import annotations

import logging
from base64 import b64decode
from collections import Counter
from collections.abc import Mapping
from typing import Any

from ..extras import require
from .consolidate import consolidate
from .errors import GroundTruthError
from .manifest import MAX_ATTRIBUTE_CHARS, dump_line
from .resolvers import Resolver, S3Resolver, Writer
from .responses import WorkerAnnotation, fetch, payload_objects
from .rules import check_label_attribute
from .template import INITIAL_FIELD

log = logging.getLogger(__name__)


def pre_annotation_handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    """The pre-annotation Lambda: a manifest line into the template's `task.input`.

    Returns `{"taskInput": {"taskObject": <source-ref>, "crowdsegKey": <key>,
    "initialValue": <crowdseg-initial, when the line has one>},
    "isHumanAnnotationRequired": True}`, for the template written with
    `with_pre_lambda=True`. The event's `version` is not checked (real events
    say 2018-10-06, the docs 2018-10-16). Raises GroundTruthError when the
    event has no `dataObject` with a `source-ref`.
    """
    line = event.get("dataObject")
    if not isinstance(line, Mapping) or not isinstance(line.get("source-ref"), str):
        raise GroundTruthError(
            "the pre-annotation event has no dataObject with a 'source-ref' (an image job's "
            f"manifest line); event keys: {sorted(event)}"
        )
    task_input: dict[str, Any] = {"taskObject": line["source-ref"]}
    if "crowdseg-key" in line:
        task_input["crowdsegKey"] = line["crowdseg-key"]
    if line.get(INITIAL_FIELD):
        task_input["initialValue"] = line[INITIAL_FIELD]
    return {"taskInput": task_input, "isHumanAnnotationRequired": True}


def _lambda_s3(event: Mapping[str, Any]) -> S3Resolver:
    """S3 through boto3 as the job's role (`roleArn`), as Ground Truth's samples do."""
    boto3 = require("boto3", "groundtruth-aws", "consolidation_handler without resolver=")
    role = event.get("roleArn")
    if not role:
        return S3Resolver(boto3.client("s3"))
    credentials = boto3.client("sts").assume_role(
        RoleArn=role, RoleSessionName="crowdseg-consolidation"
    )["Credentials"]
    return S3Resolver(
        boto3.client(
            "s3",
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
        )
    )


def _same_size(
    workers: list[WorkerAnnotation],
) -> tuple[list[WorkerAnnotation], list[dict[str, Any]]]:
    """The answers of the most common size (ties: the first answer's); the others rejected."""
    sizes = Counter((w.annotation.width, w.annotation.height) for w in workers)
    if len(sizes) <= 1:
        return workers, []
    best = max(sizes.values())
    size = next(s for s in ((w.annotation.width, w.annotation.height) for w in workers)
                if sizes[s] == best)  # fmt: skip
    kept, rejected = [], []
    for worker in workers:
        found = (worker.annotation.width, worker.annotation.height)
        if found == size:
            kept.append(worker)
        else:
            reason = f"annotation is {found[0]}x{found[1]} but most answers are {size[0]}x{size[1]}"
            rejected.append({"workerId": worker.worker_id, "reason": reason})
    return kept, rejected


def _output_prefix(event: Mapping[str, Any]) -> str:
    """`outputConfig` (`s3://<out>/<job>/annotations`), else the payload's `.../annotations`."""
    prefix = event.get("outputConfig")
    if isinstance(prefix, str) and prefix:
        return prefix.rstrip("/")
    payload = str(event["payload"]["s3Uri"])
    head, found, _ = payload.partition("/annotations/")
    return head + "/annotations" if found else payload.rsplit("/", 1)[0]


def _fit(
    value: dict[str, Any], *, uri: str, writer: Writer | None, png_to_s3: bool
) -> dict[str, Any]:
    """The value, its PNG (then its report) moved to S3 while it is over the attribute limit."""
    if not png_to_s3 and len(dump_line(value)) <= MAX_ATTRIBUTE_CHARS:
        return value
    if writer is None:
        log.warning(
            "%s: value of %d characters kept inline (no writer)", uri, len(dump_line(value))
        )
        return value
    writer.write(f"{uri}.png", b64decode(value["labeledImage"]["pngImageData"]))
    value = {**value, "labeledImage": {"s3Uri": f"{uri}.png"}}
    if len(dump_line(value)) > MAX_ATTRIBUTE_CHARS:
        writer.write(f"{uri}.json", dump_line(value["consolidation"]).encode("utf-8"))
        value = {**value, "consolidation": {"s3Uri": f"{uri}.json"}}
    return value


def consolidation_handler(
    event: Mapping[str, Any],
    context: Any,
    *,
    resolver: Resolver | None = None,
    writer: Writer | None = None,
    name: str | None = None,
    iou_threshold: float = 0.5,
    png_to_s3: bool = False,
) -> list[dict[str, Any]]:
    """The consolidation Lambda: every data object's answers into one annotation.

    Reads the payload at `event["payload"]["s3Uri"]` through `resolver`
    (default: S3 with boto3, as `event["roleArn"]`), follows
    `annotationData.s3Uri`, and consolidates each object's answers
    (consolidate()). An answer that cannot be read, or is of another size
    than most, is left out and recorded under `consolidation.rejected`; an
    object with no usable answer is left out of the response (Ground Truth
    then gives it no label). When the value is over the manifest's 20,000
    characters an attribute (or with `png_to_s3=True`), its PNG goes to
    `<outputConfig>/crowdseg/<datasetObjectId>.png` through `writer`
    (default: the resolver, when it can write) and `labeledImage` becomes
    `{"s3Uri": ...}`; read_output_manifest resolves it.

    Returns `[{"datasetObjectId", "consolidatedAnnotation": {"content":
    {<labelAttributeName>: value}}}, ...]`. Raises GroundTruthError for an
    event without `payload.s3Uri` or with a bad `labelAttributeName`.
    """
    attribute = check_label_attribute(event.get("labelAttributeName"))
    payload = event.get("payload")
    if not isinstance(payload, Mapping) or not isinstance(payload.get("s3Uri"), str):
        raise GroundTruthError(
            f"the consolidation event has no payload.s3Uri; keys: {sorted(event)}"
        )
    if resolver is None:
        resolver = _lambda_s3(event)
    if writer is None and isinstance(resolver, Writer):
        writer = resolver
    prefix = _output_prefix(event)
    responses = []
    data = fetch(resolver, payload["s3Uri"], "the consolidation payload")
    for item in payload_objects(data, name=name, resolver=resolver):
        workers, wrong_size = _same_size(item.workers)
        rejected = item.rejected + wrong_size
        for problem in rejected:
            log.warning("object %s: answer left out: %s", item.dataset_object_id, problem["reason"])
        if not workers:
            log.warning("object %s: no usable answer; left unlabeled", item.dataset_object_id)
            continue
        annotation, report = consolidate(workers, iou_threshold=iou_threshold)
        value = {**annotation.to_value(), "consolidation": {**report, "rejected": rejected}}
        uri = f"{prefix}/crowdseg/{item.dataset_object_id}"
        value = _fit(value, uri=uri, writer=writer, png_to_s3=png_to_s3)
        responses.append({"datasetObjectId": item.dataset_object_id,
                          "consolidatedAnnotation": {"content": {attribute: value}}})  # fmt: skip
    return responses
