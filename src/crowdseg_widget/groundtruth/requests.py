"""`create_labeling_job` keyword arguments, checked before AWS sees them.

With botocore installed, every field is checked against the `sagemaker`
service model: botocore's own `ParamValidator` (required members, types,
minimums) plus the model's maximums, patterns and enums, which botocore
leaves to the server. Always (botocore or not) the rules the model does not
encode: the label attribute's `-metadata`/`-ref` endings, a task time limit
of at most 8 hours for custom jobs, and for Mechanical Turk the
`FreeOfPersonallyIdentifiableInformation` classifier, a price from AWS's
table for custom tasks and a task availability of at most 12 hours.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import GroundTruthError
from .rules import check_job_name, check_label_attribute

#: Mechanical Turk prices for custom tasks (USD, from botocore's PublicWorkforceTaskPrice doc).
MTURK_PRICES = tuple(
    Decimal(p) for p in ("0.012", "0.024", "0.036", "0.048", "0.060", "0.072", "0.120", "0.240",
                         "0.360", "0.480", "0.600", "0.720", "0.840", "0.960", "1.080", "1.200")
)  # fmt: skip
MTURK_MAX_AVAILABILITY = 12 * 3600
CUSTOM_MAX_TASK_TIME = 8 * 3600
MTURK_ACCOUNT = "394669845002"
PII_FREE = "FreeOfPersonallyIdentifiableInformation"


def mturk_workteam_arn(region: str) -> str:
    """The Mechanical Turk public workforce's ARN in `region` (e.g. 'us-east-1')."""
    return f"arn:aws:sagemaker:{region}:{MTURK_ACCOUNT}:workteam/public-crowd/default"


def price_in_usd(price: str | float | Decimal) -> dict[str, int]:
    """`AmountInUsd` for a price from the custom-task table, e.g. '0.036'."""
    try:
        amount = Decimal(str(price))
    except InvalidOperation:
        raise GroundTruthError(f"price {price!r} is not a number of US dollars") from None
    if amount not in MTURK_PRICES:
        table = ", ".join(str(p) for p in MTURK_PRICES)
        raise GroundTruthError(
            f"Mechanical Turk price {price!r} is not one Ground Truth accepts for custom tasks; "
            f"use one of {table} (USD)"
        )
    mills = int(amount * 1000)
    return {
        "Dollars": mills // 1000,
        "Cents": mills % 1000 // 10,
        "TenthFractionsOfACent": mills % 10,
    }


def _matches(pattern: str, text: str) -> bool:
    if "\\p{" in pattern:  # e.g. tags: ([\p{L}\p{Z}\p{N}_.:/=+\-@]*): check per character
        categories = set(re.findall(r"\\p\{(\w)\}", pattern))
        others = re.sub(r"\\p\{\w\}", "", pattern.strip("()").rstrip("*").strip("[]"))
        return all(
            unicodedata.category(ch)[0] in categories or re.fullmatch(f"[{others}]", ch)
            for ch in text
        )
    return re.fullmatch(pattern, text, re.DOTALL) is not None


def _model_errors(value: Any, shape: Any, path: str) -> list[str]:
    """Maximums, patterns and enums of the model (botocore's validator checks the rest)."""
    errors: list[str] = []
    meta = shape.metadata
    if shape.type_name == "structure" and isinstance(value, Mapping):
        for key, member in shape.members.items():
            if key in value:
                errors += _model_errors(value[key], member, f"{path}.{key}")
    elif shape.type_name == "list" and isinstance(value, list):
        if "max" in meta and len(value) > meta["max"]:
            errors.append(f"{path} has {len(value)} items; at most {meta['max']} allowed")
        for index, item in enumerate(value):
            errors += _model_errors(item, shape.member, f"{path}[{index}]")
    elif shape.type_name == "string" and isinstance(value, str):
        if "max" in meta and len(value) > meta["max"]:
            errors.append(f"{path} has {len(value)} characters; at most {meta['max']} allowed")
        if "pattern" in meta and not _matches(meta["pattern"], value):
            errors.append(f"{path} {value!r} does not match the pattern {meta['pattern']}")
        if "enum" in meta and value not in meta["enum"]:
            errors.append(f"{path} {value!r} is not one of {meta['enum']}")
    elif shape.type_name in ("integer", "long") and isinstance(value, int):
        limit = meta.get("max")
        if limit is not None and value > limit:
            errors.append(f"{path} is {value}; at most {limit} allowed")
    return errors


def check_with_botocore(request: Mapping[str, Any]) -> bool:
    """Check `request` against botocore's model of CreateLabelingJob; False without botocore."""
    try:
        session = importlib.import_module("botocore.session")
        validate = importlib.import_module("botocore.validate")
    except ImportError:
        return False
    model = session.get_session().get_service_model("sagemaker")
    shape = model.operation_model("CreateLabelingJob").input_shape
    report = validate.ParamValidator().validate(dict(request), shape)
    errors = report.generate_report().splitlines() if report.has_errors() else []
    errors += _model_errors(request, shape, "request")
    if errors:
        raise GroundTruthError(
            "create_labeling_job would refuse this request (botocore's sagemaker model): "
            + "; ".join(errors)
        )
    return True


def check_ground_truth_rules(request: Mapping[str, Any], *, mturk: bool) -> None:
    """The rules botocore's model does not hold (see the module doc)."""
    check_job_name(request.get("LabelingJobName"))
    check_label_attribute(request.get("LabelAttributeName"))
    task = request.get("HumanTaskConfig", {})
    time_limit = task.get("TaskTimeLimitInSeconds")
    if isinstance(time_limit, int) and not 30 <= time_limit <= CUSTOM_MAX_TASK_TIME:
        raise GroundTruthError(
            f"task_time_limit {time_limit} s: custom jobs allow 30 to {CUSTOM_MAX_TASK_TIME} s "
            "(8 hours)"
        )
    workers = task.get("NumberOfHumanWorkersPerDataObject")
    if isinstance(workers, int) and not 1 <= workers <= 9:
        raise GroundTruthError(f"workers_per_object {workers}: Ground Truth allows 1 to 9")
    if not mturk:
        return
    classifiers = (
        request.get("InputConfig", {}).get("DataAttributes", {}).get("ContentClassifiers", [])
    )
    if PII_FREE not in classifiers:
        raise GroundTruthError(
            f"Mechanical Turk jobs must declare the data {PII_FREE!r} (ContentClassifiers), or "
            "the job fails; make sure the images hold no personal data"
        )
    if "PublicWorkforceTaskPrice" not in task:
        raise GroundTruthError("Mechanical Turk jobs need a price: pass price_usd= e.g. '0.120'")
    availability = task.get("TaskAvailabilityLifetimeInSeconds")
    if isinstance(availability, int) and availability > MTURK_MAX_AVAILABILITY:
        raise GroundTruthError(
            f"task_availability {availability} s: Mechanical Turk allows at most "
            f"{MTURK_MAX_AVAILABILITY} s (12 hours)"
        )
    if f":{MTURK_ACCOUNT}:workteam/public-crowd/" not in str(task.get("WorkteamArn")):
        raise GroundTruthError(
            f"mturk=True but workteam_arn {task.get('WorkteamArn')!r} is not the public "
            "workforce; use mturk_workteam_arn(region)"
        )
