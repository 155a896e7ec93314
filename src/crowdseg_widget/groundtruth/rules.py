"""Ground Truth's naming rules: label attributes, job names, labels, template text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .errors import GroundTruthError

#: `LabelAttributeName` (botocore's sagemaker model): letters, digits, inner hyphens.
ATTRIBUTE_PATTERN = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,126}")
#: `LabelingJobName`: the same rule, at most 63 characters.
JOB_NAME_PATTERN = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")
#: Liquid's delimiters: text baked into the template must not contain them (injection).
LIQUID_DELIMITERS = ("{{", "}}", "{%", "%}")
#: The longest label Ground Truth accepts in a label category file.
MAX_LABEL_CHARS = 256


def check_label_attribute(name: object, *, semantic: bool = False) -> str:
    """`name` if Ground Truth accepts it as the label attribute, else GroundTruthError.

    Custom (instance segmentation) jobs must not end in `-ref`; semantic
    segmentation outputs must. No attribute may end in `-metadata`.
    """
    hint = "e.g. 'crowdseg-ref'" if semantic else "e.g. 'crowdseg'"
    if not isinstance(name, str) or not ATTRIBUTE_PATTERN.fullmatch(name):
        raise GroundTruthError(
            f"label attribute {name!r} breaks Ground Truth's naming rule: 1-127 letters, "
            f"digits and inner hyphens ([a-zA-Z0-9](-*[a-zA-Z0-9]){{0,126}}); use {hint}"
        )
    if name.endswith("-metadata"):
        raise GroundTruthError(
            f"label attribute {name!r} ends in '-metadata', which Ground Truth reserves for "
            f"the attribute's metadata; use {hint}"
        )
    if semantic and not name.endswith("-ref"):
        raise GroundTruthError(
            f"label attribute {name!r} of a semantic segmentation job must end in '-ref'; "
            f"use {hint}"
        )
    if not semantic and name.endswith("-ref"):
        raise GroundTruthError(
            f"label attribute {name!r} ends in '-ref', which Ground Truth keeps for semantic "
            "segmentation, video and 3D jobs (read those with read_semantic_output); "
            f"use {hint}"
        )
    return name


def check_job_name(name: object) -> str:
    """`name` if it is a valid `LabelingJobName` (1-63, letters, digits, inner hyphens)."""
    if not isinstance(name, str) or not JOB_NAME_PATTERN.fullmatch(name):
        raise GroundTruthError(
            f"job name {name!r} breaks Ground Truth's naming rule: 1-63 letters, digits and "
            "inner hyphens (e.g. 'crowdseg-cats-2026-12-01'); names are unique per account "
            "and region, case-insensitively"
        )
    return name


def check_template_text(text: object, what: str) -> str:
    """`text` (a label, header, instructions) if it holds no Liquid delimiter."""
    if not isinstance(text, str):
        raise GroundTruthError(f"{what} must be a string, got {type(text).__name__}")
    for delimiter in LIQUID_DELIMITERS:
        if delimiter in text:
            raise GroundTruthError(
                f"{what} {text[:80]!r} contains the Liquid delimiter {delimiter!r}; Ground "
                "Truth would run it as template code. Remove it (or put a space inside it)"
            )
    return text


def check_labels(labels: Iterable[object], *, allow_background_label: bool = False) -> list[str]:
    """The job's labels, checked as Ground Truth and the template need them.

    Refused: no labels, non-strings, empty strings, duplicates (after Unicode
    NFC normalization), longer than 256 characters, Liquid delimiters, and
    `BACKGROUND` (any case; semantic outputs reserve it) unless allowed.
    """
    if isinstance(labels, str):
        raise GroundTruthError(f"labels must be a list of strings, got the string {labels!r}")
    checked: list[str] = []
    seen: dict[str, str] = {}
    for label in labels:
        if not isinstance(label, str) or not label.strip():
            raise GroundTruthError(f"label {label!r} must be a non-empty string")
        check_template_text(label, "label")
        if len(label) > MAX_LABEL_CHARS:
            raise GroundTruthError(
                f"label {label[:40]!r}... has {len(label)} characters; Ground Truth allows "
                f"{MAX_LABEL_CHARS}: shorten it"
            )
        if label.casefold() == "background" and not allow_background_label:
            raise GroundTruthError(
                f"label {label!r}: Ground Truth reserves BACKGROUND for unlabeled pixels in "
                "semantic outputs; rename it, or pass allow_background_label=True"
            )
        normal = unicodedata.normalize("NFC", label)
        if normal in seen:
            raise GroundTruthError(
                f"label {label!r} is given twice (as {seen[normal]!r} too); labels must be "
                "unique: remove the repeat"
            )
        seen[normal] = label
        checked.append(label)
    if not checked:
        raise GroundTruthError("labels is empty: a job needs at least one label, e.g. ['Cat']")
    return checked
