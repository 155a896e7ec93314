"""`JobFiles.request`: create_labeling_job arguments, checked with and without botocore."""

from __future__ import annotations

import importlib

import pytest
from botocore.session import get_session
from botocore.validate import ParamValidator

from crowdseg_widget.groundtruth import GroundTruthError, mturk_workteam_arn, prepare_job

from .bucket import BUCKET, photo

ROLE = "arn:aws:iam::111122223333:role/GroundTruthExecution"
TEAM = "arn:aws:sagemaker:us-east-1:111122223333:workteam/private-crowd/cats"


@pytest.fixture(scope="module")
def job(tmp_path_factory):
    folder = tmp_path_factory.mktemp("images")
    (folder / "a.png").write_bytes(photo(0))
    return prepare_job(
        [folder / "a.png"],
        image_uri=f"{BUCKET}images/",
        upload_prefix=f"{BUCKET}crowdseg/j1/",
        labels=["Cat"],
    )


def request(job, **changes):
    arguments = {
        "job_name": "crowdseg-cats-1",
        "bucket_uri": f"{BUCKET}output/",
        "role_arn": ROLE,
        "workteam_arn": TEAM,
    }
    return job.request(**{**arguments, **changes})


def test_a_private_request_is_what_the_service_model_accepts(job):
    made = request(job)
    shape = (
        get_session()
        .get_service_model("sagemaker")
        .operation_model("CreateLabelingJob")
        .input_shape
    )
    assert not ParamValidator().validate(made, shape).has_errors()
    assert made["InputConfig"] == {
        "DataSource": {"S3DataSource": {"ManifestS3Uri": f"{BUCKET}crowdseg/j1/input.manifest"}}
    }
    assert made["LabelCategoryConfigS3Uri"] == f"{BUCKET}crowdseg/j1/label-categories.json"
    assert made["HumanTaskConfig"]["UiConfig"] == {
        "UiTemplateS3Uri": f"{BUCKET}crowdseg/j1/crowdseg.liquid.html"
    }
    assert made["LabelAttributeName"] == "crowdseg"
    assert "PreHumanTaskLambdaArn" not in made["HumanTaskConfig"]


def test_an_mturk_request_declares_its_data_and_pays_from_the_table(job):
    made = request(
        job,
        workteam_arn=None,
        mturk=True,
        region="eu-west-1",
        price_usd="0.120",
        task_availability=43_200,
    )
    assert made["HumanTaskConfig"]["WorkteamArn"] == mturk_workteam_arn("eu-west-1")
    assert made["HumanTaskConfig"]["PublicWorkforceTaskPrice"] == {
        "AmountInUsd": {"Dollars": 0, "Cents": 12, "TenthFractionsOfACent": 0}
    }
    assert request(job, mturk=True, workteam_arn=mturk_workteam_arn("us-east-1"), price_usd=1.2)[
        "HumanTaskConfig"
    ]["PublicWorkforceTaskPrice"] == {
        "AmountInUsd": {"Dollars": 1, "Cents": 20, "TenthFractionsOfACent": 0}
    }
    assert made["InputConfig"]["DataAttributes"] == {
        "ContentClassifiers": ["FreeOfPersonallyIdentifiableInformation", "FreeOfAdultContent"]
    }


MTURK = {"workteam_arn": None, "mturk": True, "region": "us-east-1"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"job_name": "cats_1"}, r"job name 'cats_1' breaks Ground Truth's naming rule"),
        ({"job_name": "x" * 64}, r"job name 'x+' breaks"),
        ({"label_attribute": "crowdseg-ref"}, r"ends in '-ref'.*use e\.g\. 'crowdseg'"),
        ({"label_attribute": "crowdseg-metadata"}, r"ends in '-metadata'"),
        ({"workers_per_object": 10}, r"workers_per_object 10: Ground Truth allows 1 to 9"),
        ({"task_time_limit": 28_801}, r"task_time_limit 28801 s: custom jobs allow 30 to 28800 s"),
        ({**MTURK}, r"Mechanical Turk jobs need a price: pass price_usd="),
        (
            {**MTURK, "price_usd": "0.10"},
            r"price '0\.10' is not one Ground Truth accepts for custom tasks; use one of 0\.012",
        ),
        (
            {**MTURK, "price_usd": "0.12", "task_availability": 43_201},
            r"task_availability 43201 s: Mechanical Turk allows at most 43200 s",
        ),
        (
            {"mturk": True, "price_usd": "0.12"},
            r"workteam_arn .* is not the public workforce; use mturk_workteam_arn",
        ),
        ({"workteam_arn": None, "mturk": True}, r"mturk=True needs region="),
        ({"workteam_arn": None}, r"workteam_arn= is needed"),
        (
            {"pre_lambda_arn": "arn:aws:lambda:us-east-1:111122223333:function:pre"},
            r"written without a pre-annotation Lambda.*drop pre_lambda_arn",
        ),
    ],
)
def test_ground_truth_rules_are_checked(job, changes, message):
    with pytest.raises(GroundTruthError, match=message):
        request(job, **changes)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"keywords": ["instance-segmentation"]},
            r"TaskKeywords\[0\] 'instance-segmentation' does not match the pattern",
        ),
        (
            {"keywords": []},
            r"parameter HumanTaskConfig\.TaskKeywords, value: 0, valid min length: 1",
        ),
        ({"task_title": "x" * 129}, r"TaskTitle has 129 characters; at most 128 allowed"),
        (
            {"role_arn": "arn:aws:iam::1234:role/x"},
            r"RoleArn 'arn:aws:iam::1234:role/x' does not match the pattern",
        ),
        ({"bucket_uri": "gs://bucket/out/"}, r"S3OutputPath 'gs://bucket/out/' does not match"),
        ({"max_concurrent_tasks": 5001}, r"MaxConcurrentTaskCount is 5001; at most 5000 allowed"),
        (
            {"task_availability": 30},
            r"HumanTaskConfig\.TaskAvailabilityLifetimeInSeconds, value: 30, valid min value: 60",
        ),
        ({"tags": {"team": "cats!"}}, r"Tags\[0\]\.Value 'cats!' does not match the pattern"),
    ],
)
def test_botocores_model_is_checked(job, changes, message):
    with pytest.raises(
        GroundTruthError,
        match=r"create_labeling_job would refuse this request \(botocore's sagemaker model\)",
    ):
        request(job, **changes)
    with pytest.raises(GroundTruthError, match=message):
        request(job, **changes)
    assert request(job, check=False, **changes)  # the caller may skip the checks


def test_unicode_tags_pass_the_model(job):
    assert request(job, tags={"équipe": "chats et chiens"})["Tags"] == [
        {"Key": "équipe", "Value": "chats et chiens"}
    ]


def test_without_botocore_the_ground_truth_rules_still_hold(job, monkeypatch):
    real = importlib.import_module

    def without_botocore(name, *args):
        if name.startswith("botocore"):
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", without_botocore)
    assert request(
        job, keywords=["instance-segmentation"]
    )  # only botocore's model knows this pattern
    with pytest.raises(GroundTruthError, match="workers_per_object 10"):
        request(job, workers_per_object=10)
