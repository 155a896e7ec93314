"""`groundtruth.aws` against botocore's Stubber: the calls it makes, never AWS itself."""

from __future__ import annotations

import importlib
import io
import json

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber

from crowdseg_widget.groundtruth import GroundTruthError, fsspec_resolver, prepare_job, s3_resolver
from crowdseg_widget.groundtruth.aws import create_job, download_results, job_status, upload

from .bucket import BUCKET, JOB, box, element_value, lines, metadata, photo, worker_annotation

ARN = f"arn:aws:sagemaker:us-east-1:111122223333:labeling-job/{JOB}"


def client(service: str):
    return boto3.client(
        service,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def body(data: bytes) -> StreamingBody:
    return StreamingBody(io.BytesIO(data), len(data))


def one_image_job(folder, upload_prefix: str = f"{BUCKET}crowdseg/j1/"):
    (folder / "a.png").write_bytes(photo(0))
    return prepare_job(
        [folder / "a.png"],
        image_uri=f"{BUCKET}images/",
        upload_prefix=upload_prefix,
        labels=["Cat"],
    )


def test_upload_puts_every_file_and_image(tmp_path):
    job = one_image_job(tmp_path)
    s3 = client("s3")
    with Stubber(s3) as stub:
        for name, data in job.files().items():
            stub.add_response(
                "put_object",
                {},
                {"Bucket": "crowdseg-demo", "Key": f"crowdseg/j1/{name}", "Body": data},
            )
        stub.add_response(
            "put_object", {}, {"Bucket": "crowdseg-demo", "Key": "images/a.png", "Body": photo(0)}
        )
        written = upload(job, s3=s3)
        stub.assert_no_pending_responses()
    assert written["input.manifest"] == f"{BUCKET}crowdseg/j1/input.manifest"
    assert written[str(tmp_path / "a.png")] == f"{BUCKET}images/a.png"


def test_upload_refuses_a_destination_outside_s3(tmp_path):
    job = one_image_job(tmp_path, "https://example.com/x/")
    with pytest.raises(
        GroundTruthError,
        match=r"'https://example.com/x/input.manifest' is not an S3 object URI.*uploads go to S3",
    ):
        upload(job, s3=client("s3"))


def test_create_job_and_job_status(tmp_path):
    sagemaker = client("sagemaker")
    job = one_image_job(tmp_path)
    request = job.request(
        job_name=JOB,
        bucket_uri=f"{BUCKET}output/",
        role_arn="arn:aws:iam::111122223333:role/GT",
        workteam_arn="arn:aws:sagemaker:us-east-1:111122223333:workteam/private-crowd/cats",
    )
    with Stubber(sagemaker) as stub:
        stub.add_response("create_labeling_job", {"LabelingJobArn": ARN}, request)
        assert create_job(request, sagemaker=sagemaker) == ARN
        stub.add_response(
            "describe_labeling_job",
            _description("InProgress", output=None),
            {"LabelingJobName": JOB},
        )
        status = job_status(JOB, sagemaker=sagemaker)
    assert status == {
        "status": "InProgress",
        "counters": {"TotalLabeled": 1, "Unlabeled": 2},
        "failure_reason": None,
        "output_manifest": None,
        "label_attribute": "crowdseg",
    }


def _description(status: str, output: str | None) -> dict:
    found = {
        "LabelingJobStatus": status,
        "LabelCounters": {"TotalLabeled": 1, "Unlabeled": 2},
        "CreationTime": "2026-11-30T14:00:00Z",
        "LastModifiedTime": "2026-11-30T14:10:00Z",
        "JobReferenceCode": "abc",
        "LabelingJobName": JOB,
        "LabelingJobArn": ARN,
        "LabelAttributeName": "crowdseg",
        "InputConfig": {"DataSource": {"S3DataSource": {"ManifestS3Uri": f"{BUCKET}in.manifest"}}},
        "OutputConfig": {"S3OutputPath": f"{BUCKET}output/"},
        "RoleArn": "arn:aws:iam::111122223333:role/GroundTruthExecution",
        "HumanTaskConfig": {
            "WorkteamArn": "arn:aws:sagemaker:us-east-1:111122223333:workteam/private-crowd/cats",
            "UiConfig": {"UiTemplateS3Uri": f"{BUCKET}t.html"},
            "TaskTitle": "t",
            "TaskDescription": "d",
            "NumberOfHumanWorkersPerDataObject": 3,
            "TaskTimeLimitInSeconds": 3600,
        },
    }
    if output:
        found["LabelingJobOutput"] = {"OutputDatasetS3Uri": output}
    return found


def test_download_results_reads_the_manifest_and_what_it_references():
    painted = worker_annotation([(box(1, 1, 9, 9), "Cat")])
    reference = f"{BUCKET}{JOB}/annotations/worker-response/iteration-1/0/2026-11-30_14:22:41.json"
    manifest_uri = f"{BUCKET}output/{JOB}/manifests/output/output.manifest"
    manifest = lines(
        [
            {
                "source-ref": f"{BUCKET}images/a.png",
                "crowdseg-key": "a.png",
                "crowdseg": {},
                "crowdseg-metadata": metadata(**{"worker-response-ref": reference}),
            }
        ]
    ).encode()
    response = json.dumps(
        {"answers": [{"workerId": "w1", "answerContent": {"crowdseg": element_value(painted)}}]}
    ).encode()
    sagemaker, s3 = client("sagemaker"), client("s3")
    with Stubber(sagemaker) as meta, Stubber(s3) as files:
        meta.add_response(
            "describe_labeling_job",
            _description("Completed", manifest_uri),
            {"LabelingJobName": JOB},
        )
        files.add_response(
            "get_object",
            {"Body": body(manifest)},
            {"Bucket": "crowdseg-demo", "Key": f"output/{JOB}/manifests/output/output.manifest"},
        )
        files.add_response(
            "get_object",
            {"Body": body(response)},
            {"Bucket": "crowdseg-demo", "Key": reference[len(BUCKET) :]},
        )
        (result,) = download_results(JOB, sagemaker=sagemaker, s3=s3)
    assert result.key == "a.png"
    assert result.workers[0].annotation == painted


def test_download_results_before_the_job_is_done_says_so():
    sagemaker = client("sagemaker")
    with Stubber(sagemaker) as stub:
        stub.add_response(
            "describe_labeling_job", _description("InProgress", None), {"LabelingJobName": JOB}
        )
        with pytest.raises(
            GroundTruthError,
            match=r"job crowdseg-demo-job has no output manifest yet \(status InProgress\)",
        ):
            download_results(JOB, sagemaker=sagemaker, s3=client("s3"))
    with pytest.raises(GroundTruthError, match="label_attribute= is needed with a manifest URI"):
        download_results(f"{BUCKET}x.manifest", s3=client("s3"))


def test_a_missing_object_is_a_file_not_found():
    s3 = client("s3")
    with Stubber(s3) as stub:
        stub.add_client_error(
            "get_object",
            service_error_code="NoSuchKey",
            http_status_code=404,
            expected_params={"Bucket": "b", "Key": "k"},
        )
        with pytest.raises(FileNotFoundError, match="s3://b/k: no such S3 object"):
            s3_resolver(s3)("s3://b/k")


def test_fsspec_resolver_reads_and_writes_memory_urls():
    resolver = fsspec_resolver()
    resolver.write("memory://bucket/a.json", b'{"answers": []}')
    assert resolver("memory://bucket/a.json") == b'{"answers": []}'
    with pytest.raises(FileNotFoundError):
        resolver("memory://bucket/missing.json")


def test_fsspec_resolver_without_fsspec_names_the_extra(monkeypatch):
    real = importlib.import_module

    def without_fsspec(name, *args):
        if name == "fsspec":
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", without_fsspec)
    with pytest.raises(
        ImportError,
        match=r"fsspec_resolver needs fsspec: pip install 'crowdseg-widget\[groundtruth-fsspec\]'",
    ):
        fsspec_resolver()
