"""Talking to AWS (extra `groundtruth-aws`: boto3): upload, create, watch, download.

The only module here that calls AWS; everything else runs on local files.
Each function takes the boto3 clients it uses (`s3=`, `sagemaker=`), or
makes them from the default session.
"""

from __future__ import annotations

from typing import Any

from ..extras import require
from .errors import GroundTruthError
from .job import JobFiles
from .outputs import ObjectResult, read_output_manifest
from .resolvers import S3Resolver, split_s3_uri


def _client(client: Any, service: str) -> Any:
    if client is not None:
        return client
    boto3 = require("boto3", "groundtruth-aws", f"talking to AWS ({service})")
    return boto3.client(service)


def upload(job: JobFiles, *, images: bool = True, s3: Any = None) -> dict[str, str]:
    """Put the job's files under its `upload_prefix` (and, with `images`, each image at its
    `source-ref`). Returns relative name or local image path -> the S3 URI written.

    Raises GroundTruthError when a destination is not an `s3://bucket/key` URI.
    """
    client = _client(s3, "s3")
    written = {}
    for name, data in job.files().items():
        uri = job.uri(name)
        bucket, key = _split(uri)
        client.put_object(Bucket=bucket, Key=key, Body=data)
        written[name] = uri
    if images:
        for uri, path in job.images.items():
            bucket, key = _split(uri)
            client.put_object(Bucket=bucket, Key=key, Body=path.read_bytes())
            written[str(path)] = uri
    return written


def _split(uri: str) -> tuple[str, str]:
    try:
        return split_s3_uri(uri)
    except ValueError as err:
        raise GroundTruthError(f"{err}: uploads go to S3") from None


def create_job(request: dict[str, Any], *, sagemaker: Any = None) -> str:
    """`create_labeling_job(**request)` (a request from `JobFiles.request`); the job's ARN."""
    response = _client(sagemaker, "sagemaker").create_labeling_job(**request)
    arn: str = response["LabelingJobArn"]
    return arn


def job_status(job_name: str, *, sagemaker: Any = None) -> dict[str, Any]:
    """`{"status", "counters", "failure_reason", "output_manifest", "label_attribute"}`."""
    found = _client(sagemaker, "sagemaker").describe_labeling_job(LabelingJobName=job_name)
    return {
        "status": found["LabelingJobStatus"],
        "counters": found.get("LabelCounters", {}),
        "failure_reason": found.get("FailureReason"),
        "output_manifest": found.get("LabelingJobOutput", {}).get("OutputDatasetS3Uri"),
        "label_attribute": found.get("LabelAttributeName"),
    }


def download_results(
    job: str,
    *,
    label_attribute: str | None = None,
    name: str | None = None,
    s3: Any = None,
    sagemaker: Any = None,
) -> list[ObjectResult]:
    """Read a job's output manifest from S3: `job` is a job name or the manifest's `s3://` URI.

    Worker responses and PNGs it references are read from S3 too. With a job
    name, the label attribute comes from the job. Raises GroundTruthError
    when the job has no output manifest yet (its status is in the message).
    """
    if job.startswith("s3://"):
        manifest_uri = job
        if label_attribute is None:
            raise GroundTruthError("label_attribute= is needed with a manifest URI")
    else:
        status = job_status(job, sagemaker=sagemaker)
        manifest_uri = status["output_manifest"]
        if not manifest_uri:
            raise GroundTruthError(
                f"job {job} has no output manifest yet (status {status['status']}); wait until "
                "it is Completed or Stopped"
            )
        label_attribute = label_attribute or status["label_attribute"]
    resolver = S3Resolver(_client(s3, "s3"))
    return read_output_manifest(
        resolver(manifest_uri),
        label_attribute=str(label_attribute),
        name=name,
        resolver=resolver,
    )
