"""The two Lambda handlers on real-style events, against the fake bucket."""

from __future__ import annotations

import copy
import io
import json

import boto3
import numpy as np
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber

from crowdseg_widget import Annotation
from crowdseg_widget.groundtruth import (
    GroundTruthError,
    consolidate,
    consolidation_handler,
    local_resolver,
    pre_annotation_handler,
    read_consolidation_payload,
    read_output_manifest,
)

from .bucket import BUCKET, HEIGHT, JOB, WIDTH, element_value, lines, metadata, worker_annotation
from .conftest import read


def test_pre_annotation_returns_the_documented_key_as_a_boolean():
    line = {
        "source-ref": f"{BUCKET}images/a.png",
        "crowdseg-key": "a.png",
        "crowdseg-initial": {
            "instances": [{"color": "#2ca02c", "label": "Cat"}],
            "src-ref": f"{BUCKET}initial/a.png.png",
        },
    }
    event = {
        "version": "2018-10-06",
        "labelingJobArn": f"arn:aws:sagemaker:us-east-1:111122223333:labeling-job/{JOB}",
        "dataObject": line,
    }
    assert pre_annotation_handler(event, None) == {
        "taskInput": {
            "taskObject": line["source-ref"],
            "crowdsegKey": "a.png",
            "initialValue": line["crowdseg-initial"],
        },
        "isHumanAnnotationRequired": True,
    }
    plain = pre_annotation_handler({"dataObject": {"source-ref": "s3://b/x.png"}}, None)
    assert plain == {"taskInput": {"taskObject": "s3://b/x.png"}, "isHumanAnnotationRequired": True}
    with pytest.raises(
        GroundTruthError, match=r"no dataObject with a 'source-ref'.*\['dataObject'\]"
    ):
        pre_annotation_handler({"dataObject": {"source": "some text"}}, None)


def test_consolidation_equals_consolidate_on_the_same_answers(bucket, resolver):
    response = consolidation_handler(bucket["event"], None, resolver=resolver)
    assert [r["datasetObjectId"] for r in response] == ["0", "1"]
    value = response[0]["consolidatedAnnotation"]["content"]["crowdseg"]
    payload = read_consolidation_payload(
        read(bucket["root"], bucket["payload_uri"]), resolver=resolver
    )
    expected, report = consolidate(payload["0"])
    assert Annotation.from_value(value) == expected == bucket["scene"].expected
    assert value["consolidation"] == {**report, "rejected": []}
    assert value["consolidation"]["workers"][0] == "private.us-east-1.166160a28ba80787"
    assert "labelCategories" not in bucket["event"]


def _write_output_manifest(bucket, response) -> str:
    """What Ground Truth writes from the Lambda's response: the line plus `<attr>` and metadata."""
    records = []
    for item, line in zip(response, bucket["payload"], strict=True):
        key = line["dataObject"]["s3Uri"].rsplit("/", 1)[1]
        records.append(
            {
                "source-ref": line["dataObject"]["s3Uri"],
                "crowdseg-key": key,
                **item["consolidatedAnnotation"]["content"],
                "crowdseg-metadata": metadata(),
            }
        )
    return lines(records)


def test_the_with_lambda_output_manifest_reads_back_consolidated(bucket, resolver):
    response = consolidation_handler(bucket["event"], None, resolver=resolver)
    first, second = read_output_manifest(
        _write_output_manifest(bucket, response), label_attribute="crowdseg"
    )
    assert first.consolidated == bucket["scene"].expected
    assert first.report["minVotes"] == 2
    assert first.key == "img-0001.png"
    assert second.consolidated == Annotation.empty(WIDTH, HEIGHT)


def _event_with_payload(bucket, tmp_path, payload) -> tuple[dict, object]:
    resolver = local_resolver({BUCKET: tmp_path})
    requests = f"{BUCKET}{JOB}/annotations/consolidated-annotation/consolidation-request"
    uri = f"{requests}/iteration-1/x.json"
    resolver.write(uri, json.dumps(payload).encode())
    event = copy.deepcopy(bucket["event"])
    event["payload"]["s3Uri"] = uri
    return event, resolver


def test_one_bad_answer_is_recorded_and_the_rest_consolidated(bucket, tmp_path):
    payload = copy.deepcopy(bucket["payload"][:1])
    annotations = payload[0]["annotations"]
    annotations.append(
        {"workerId": "private.us-east-1.broken", "annotationData": {"content": '{"crowdseg": 5'}}
    )
    small = element_value(Annotation.empty(32, 24))
    annotations.append(
        {
            "workerId": "private.us-east-1.small",
            "annotationData": {"content": json.dumps({"crowdseg": small})},
        }
    )
    event, resolver = _event_with_payload(bucket, tmp_path, payload)
    (item,) = consolidation_handler(event, None, resolver=resolver)
    value = item["consolidatedAnnotation"]["content"]["crowdseg"]
    rejected = value["consolidation"]["rejected"]
    assert [r["workerId"] for r in rejected] == [
        "private.us-east-1.broken",
        "private.us-east-1.small",
    ]
    assert "annotation 3 (worker private.us-east-1.broken)" in rejected[0]["reason"]
    assert rejected[1]["reason"] == "annotation is 32x24 but most answers are 64x48"
    assert value["consolidation"]["minVotes"] == 2  # of the three usable answers
    assert Annotation.from_value(value) == bucket["scene"].expected


def test_an_object_with_no_usable_answer_is_left_out(bucket, tmp_path):
    payload = [
        {
            "datasetObjectId": "7",
            "dataObject": {"s3Uri": f"{BUCKET}images/x.png"},
            "annotations": [{"workerId": "w", "annotationData": {"content": "{}"}}],
        }
    ]
    event, resolver = _event_with_payload(bucket, tmp_path, payload)
    assert consolidation_handler(event, None, resolver=resolver) == []


def test_a_value_over_the_attribute_limit_puts_its_png_in_s3(bucket, tmp_path):
    noise = np.random.default_rng(5).integers(0, 4, (HEIGHT * 5, WIDTH * 5))
    painted = Annotation(noise, ["Cat", "Dog", "Cat"])
    payload = [
        {
            "datasetObjectId": "0",
            "dataObject": {"s3Uri": f"{BUCKET}images/big.png"},
            "annotations": [
                {
                    "workerId": "w1",
                    "annotationData": {"content": json.dumps({"crowdseg": element_value(painted)})},
                }
            ],
        }
    ]
    event, resolver = _event_with_payload(bucket, tmp_path, payload)
    assert len(json.dumps(element_value(painted))) > 20_000
    (item,) = consolidation_handler(event, None, resolver=resolver)
    value = item["consolidatedAnnotation"]["content"]["crowdseg"]
    png_uri = f"{BUCKET}{JOB}/annotations/crowdseg/0.png"
    assert value["labeledImage"] == {"s3Uri": png_uri}
    assert len(json.dumps(value)) <= 20_000
    line = {
        "source-ref": f"{BUCKET}images/big.png",
        "crowdseg": value,
        "crowdseg-metadata": metadata(),
    }
    (result,) = read_output_manifest(lines([line]), label_attribute="crowdseg", resolver=resolver)
    assert result.consolidated == consolidate([painted])[0]
    assert np.array_equal(result.consolidated.label_map > 0, noise > 0)
    # png_to_s3=True moves even a small one
    small = worker_annotation([])
    payload[0]["annotations"][0]["annotationData"]["content"] = json.dumps(
        {"crowdseg": element_value(small)}
    )
    event, resolver = _event_with_payload(bucket, tmp_path, payload)
    (item,) = consolidation_handler(event, None, resolver=resolver, png_to_s3=True)
    assert item["consolidatedAnnotation"]["content"]["crowdseg"]["labeledImage"] == {
        "s3Uri": png_uri
    }


def test_bad_events_are_refused(bucket, resolver):
    event = {**bucket["event"], "labelAttributeName": "crowdseg-metadata"}
    with pytest.raises(GroundTruthError, match="ends in '-metadata'"):
        consolidation_handler(event, None, resolver=resolver)
    event = {k: v for k, v in bucket["event"].items() if k != "payload"}
    with pytest.raises(GroundTruthError, match=r"no payload\.s3Uri"):
        consolidation_handler(event, None, resolver=resolver)


def test_without_a_resolver_the_lambda_reads_s3_as_the_jobs_role(bucket, monkeypatch):
    """The deployed path: boto3 from the runtime, STS for `roleArn`, S3 with its credentials."""
    real_client = boto3.client
    made = {
        service: real_client(
            service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
        )
        for service in ("sts", "s3")
    }
    stubs = {service: Stubber(client) for service, client in made.items()}
    credentials = {
        "AccessKeyId": "ASIAEXAMPLEEXAMPLE00",
        "SecretAccessKey": "secret",
        "SessionToken": "token",
        "Expiration": "2026-12-01T00:00:00Z",
    }
    stubs["sts"].add_response(
        "assume_role",
        {"Credentials": credentials},
        {"RoleArn": bucket["event"]["roleArn"], "RoleSessionName": "crowdseg-consolidation"},
    )
    payload = read(bucket["root"], bucket["payload_uri"])
    stubs["s3"].add_response(
        "get_object",
        {"Body": StreamingBody(io.BytesIO(payload), len(payload))},
        {"Bucket": "crowdseg-demo", "Key": bucket["payload_uri"][len(BUCKET) :]},
    )
    answer_uri = bucket["payload"][1]["annotations"][0]["annotationData"]["s3Uri"]
    answer = read(bucket["root"], answer_uri)
    stubs["s3"].add_response(
        "get_object",
        {"Body": StreamingBody(io.BytesIO(answer), len(answer))},
        {"Bucket": "crowdseg-demo", "Key": answer_uri[len(BUCKET) :]},
    )
    asked = []

    def client(service, **options):
        asked.append((service, options))
        return made[service]

    monkeypatch.setattr(boto3, "client", client)
    with stubs["sts"], stubs["s3"]:
        response = consolidation_handler(bucket["event"], None)
        stubs["s3"].assert_no_pending_responses()
    assert asked == [
        ("sts", {}),
        (
            "s3",
            {
                "aws_access_key_id": "ASIAEXAMPLEEXAMPLE00",
                "aws_secret_access_key": "secret",
                "aws_session_token": "token",
            },
        ),
    ]
    value = response[0]["consolidatedAnnotation"]["content"]["crowdseg"]
    assert Annotation.from_value(value) == bucket["scene"].expected
