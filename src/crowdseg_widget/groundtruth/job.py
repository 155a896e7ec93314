"""`prepare_job`: a label store (or images) into the files of a Ground Truth job."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .. import Annotation, LabelStore, StoreError
from ..datasets.listing import IMAGE_SUFFIXES  # the files a label store takes as images
from .errors import GroundTruthError
from .manifest import dump_line, validate_input_manifest
from .requests import (
    PII_FREE,
    check_ground_truth_rules,
    check_with_botocore,
    mturk_workteam_arn,
    price_in_usd,
)
from .rules import check_labels
from .template import INITIAL_FIELD, write_label_categories, write_template

MANIFEST_NAME = "input.manifest"
LABEL_CATEGORIES_NAME = "label-categories.json"
TEMPLATE_NAME = "crowdseg.liquid.html"
DEFAULT_HEADER = "Please label each of the requested objects in this image"


@dataclass(frozen=True)
class JobFiles:
    """Everything a job needs uploaded, as bytes, by name relative to `upload_prefix`.

    `manifest` (`input.manifest`), `label_categories`
    (`label-categories.json`), `template` (`crowdseg.liquid.html`),
    `initial_pngs` (`initial/<key>.png`: the pre-annotations), `keys` (the
    store key of each manifest line, in order), `images` (each line's
    `source-ref` -> the local image file to upload there).
    """

    manifest: bytes
    label_categories: bytes
    template: bytes
    initial_pngs: dict[str, bytes]
    keys: list[str]
    upload_prefix: str
    images: dict[str, Path] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    with_pre_lambda: bool = False

    def files(self) -> dict[str, bytes]:
        """Relative name -> bytes of every file to put under `upload_prefix`."""
        return {MANIFEST_NAME: self.manifest, LABEL_CATEGORIES_NAME: self.label_categories,
                TEMPLATE_NAME: self.template, **self.initial_pngs}  # fmt: skip

    def uri(self, name: str) -> str:
        """Where the file `name` goes: `upload_prefix` + name."""
        return self.upload_prefix + name

    def write_to(self, folder: str | os.PathLike[str]) -> list[Path]:
        """Write every file under `folder` (a local copy of `upload_prefix`); the paths written."""
        written = []
        for name, data in self.files().items():
            path = Path(folder) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(path)
        return written

    def request(
        self,
        *,
        job_name: str,
        bucket_uri: str,
        role_arn: str,
        workteam_arn: str | None = None,
        label_attribute: str = "crowdseg",
        mturk: bool = False,
        region: str | None = None,
        task_title: str = "Segment every object in the image",
        task_description: str = "Paint one mask per object and give it a label",
        workers_per_object: int = 3,
        task_time_limit: int = 3600,
        task_availability: int | None = None,
        keywords: Sequence[str] = ("image", "segmentation"),
        price_usd: str | float | None = None,
        max_concurrent_tasks: int | None = None,
        pre_lambda_arn: str | None = None,
        consolidation_lambda_arn: str | None = None,
        tags: dict[str, str] | None = None,
        check: bool = True,
    ) -> dict[str, Any]:
        """Keyword arguments for boto3's `sagemaker.create_labeling_job(**request)`.

        `bucket_uri`: where Ground Truth writes its output (`S3OutputPath`).
        `role_arn`: the execution role (AmazonSageMakerGroundTruthExecution
        plus access to the bucket). `workteam_arn`: a private or vendor work
        team; with `mturk=True` the public workforce of `region` is the
        default, and the request declares the images free of personal data
        and adult content and pays `price_usd` per task. The Lambda ARNs
        are optional (the template reads the manifest line without them).

        With `check=True` (default) raises GroundTruthError for anything
        Ground Truth or the service model would refuse (requests.py says what
        is checked with and without botocore).
        """
        if bool(pre_lambda_arn) != self.with_pre_lambda:
            raise GroundTruthError(
                "the template was written "
                + ("for" if self.with_pre_lambda else "without")
                + " a pre-annotation Lambda (prepare_job(with_pre_lambda=...)); "
                + ("pass pre_lambda_arn=" if self.with_pre_lambda else "drop pre_lambda_arn")
            )
        if mturk and workteam_arn is None:
            if region is None:
                raise GroundTruthError("mturk=True needs region= (or workteam_arn=)")
            workteam_arn = mturk_workteam_arn(region)
        if workteam_arn is None:
            raise GroundTruthError("workteam_arn= is needed: the ARN of a private or vendor team")
        task: dict[str, Any] = {
            "WorkteamArn": workteam_arn,
            "UiConfig": {"UiTemplateS3Uri": self.uri(TEMPLATE_NAME)},
            "TaskKeywords": list(keywords),
            "TaskTitle": task_title,
            "TaskDescription": task_description,
            "NumberOfHumanWorkersPerDataObject": workers_per_object,
            "TaskTimeLimitInSeconds": task_time_limit,
        }
        if task_availability is not None:
            task["TaskAvailabilityLifetimeInSeconds"] = task_availability
        if max_concurrent_tasks is not None:
            task["MaxConcurrentTaskCount"] = max_concurrent_tasks
        if pre_lambda_arn:
            task["PreHumanTaskLambdaArn"] = pre_lambda_arn
        if consolidation_lambda_arn:
            task["AnnotationConsolidationConfig"] = {
                "AnnotationConsolidationLambdaArn": consolidation_lambda_arn
            }
        if price_usd is not None:
            task["PublicWorkforceTaskPrice"] = {"AmountInUsd": price_in_usd(price_usd)}
        source: dict[str, Any] = {
            "DataSource": {"S3DataSource": {"ManifestS3Uri": self.uri(MANIFEST_NAME)}}
        }
        if mturk:
            source["DataAttributes"] = {"ContentClassifiers": [PII_FREE, "FreeOfAdultContent"]}
        request: dict[str, Any] = {
            "LabelingJobName": job_name,
            "LabelAttributeName": label_attribute,
            "InputConfig": source,
            "OutputConfig": {"S3OutputPath": bucket_uri},
            "RoleArn": role_arn,
            "LabelCategoryConfigS3Uri": self.uri(LABEL_CATEGORIES_NAME),
            "HumanTaskConfig": task,
        }
        if tags:
            request["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        if check:
            check_ground_truth_rules(request, mturk=mturk)
            check_with_botocore(request)
        return request


def _store_keys(store: LabelStore) -> list[str]:
    """The store's entries and every image under its root (the store's own folder left out)."""
    keys = set(store.stored_keys())
    labels_folder = store.path.resolve()
    if store.root.is_dir():
        for path in store.root.rglob("*"):
            if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file():
                resolved = path.resolve()
                if labels_folder != resolved and labels_folder not in resolved.parents:
                    keys.add(store.key(resolved))
    return sorted(keys)


def _initial(store: LabelStore, key: str, labels: list[str]) -> Annotation | None:
    """The stored annotation of `key` when it has instances, checked against `labels`."""
    try:
        stored = store.read(key)
        annotation = store.decode(stored) if stored is not None else None
    except StoreError as err:
        raise GroundTruthError(
            f"{key}: its stored annotation cannot be used as a pre-annotation ({err}); fix or "
            "set it aside, or pass pre_annotate='none'"
        ) from None
    if annotation is None or not annotation.num_instances:
        return None
    unknown = sorted(set(annotation.labels) - set(labels))
    if unknown:
        raise GroundTruthError(
            f"{key}: its stored instances are labeled {unknown}, which are not among the job's "
            f"labels {labels}; add them to labels= or relabel those instances"
        )
    return annotation


def _sources(
    source: LabelStore | Sequence[str | os.PathLike[str]], keys: Sequence[str] | None
) -> tuple[list[str], dict[str, Path]]:
    """(keys, key -> local image) of a store or a list of images."""
    if isinstance(source, LabelStore):
        chosen = list(keys) if keys is not None else _store_keys(source)
        return chosen, {key: source.image_path(key) for key in chosen}
    if isinstance(source, (str, os.PathLike)):
        raise GroundTruthError("source must be a LabelStore or a list of image paths")
    paths = [Path(p).expanduser() for p in source]
    if not paths:
        raise GroundTruthError("source is empty: give a LabelStore or some image paths")
    root = Path(os.path.commonpath([str(p.resolve().parent) for p in paths]))
    by_key = {p.resolve().relative_to(root).as_posix(): p for p in paths}
    return (list(keys) if keys is not None else list(by_key)), by_key


def prepare_job(
    source: LabelStore | Sequence[str | os.PathLike[str]],
    *,
    image_uri: str | Callable[[str], str],
    upload_prefix: str,
    labels: Sequence[str] | None = None,
    header: str = DEFAULT_HEADER,
    short_instructions: str = "",
    full_instructions: str = "",
    name: str = "crowdseg",
    pre_annotate: Literal["stored", "none"] = "stored",
    with_pre_lambda: bool = False,
    allow_new_labels: bool = False,
    allow_background_label: bool = False,
    keys: Sequence[str] | None = None,
) -> JobFiles:
    """The files of a labeling job: input manifest, label categories, template, initial PNGs.

    `source`: a `LabelStore` (its labels, its entries and the images under
    its root; an entry with instances becomes a pre-annotated line, every
    other image a plain line) or a list of image paths (keys: paths relative
    to their common folder). `image_uri`: where each image is in S3, a
    prefix (`"s3://bucket/images/"` + key) or a function of the key.
    `upload_prefix`: the S3 folder the returned files go to. `labels`:
    the job's labels (default: the store's). `header`, instructions (HTML)
    and `name` (the element's) go into the template; `with_pre_lambda` and
    `allow_new_labels` choose its variant (write_template). `pre_annotate=
    "none"` leaves stored annotations out. `keys` limits the images.

    Each line: `source-ref`, `crowdseg-key` (the key) and, pre-annotated,
    `crowdseg-initial` {"instances", "src-ref"}: the PNG is referenced,
    never inlined. The manifest is checked with validate_input_manifest.
    Raises GroundTruthError for bad labels or text (rules.py), a stored
    annotation that cannot be decoded or uses labels outside the job's,
    a line over the manifest limits, an empty source.
    """
    if pre_annotate not in ("stored", "none"):
        raise GroundTruthError(f"pre_annotate must be 'stored' or 'none', got {pre_annotate!r}")
    if labels is None:
        labels = source.labels if isinstance(source, LabelStore) else None
        if not labels:
            raise GroundTruthError("labels= is needed: the source has no label choices")
    labels = check_labels(labels, allow_background_label=allow_background_label)
    prefix = upload_prefix if upload_prefix.endswith("/") else upload_prefix + "/"
    locate = (lambda key: image_uri + key) if isinstance(image_uri, str) else image_uri
    chosen, images = _sources(source, keys)
    missing = [key for key in chosen if key not in images or not images[key].is_file()]
    if missing:
        raise GroundTruthError(
            f"no image file for {missing[:5]}{' ...' if len(missing) > 5 else ''}; every line "
            "needs its image to upload: pass keys= without them (or put the images back)"
        )
    store = source if isinstance(source, LabelStore) and pre_annotate == "stored" else None
    lines, pngs, uploads = [], {}, {}
    for key in chosen:
        line: dict[str, Any] = {"source-ref": locate(key), "crowdseg-key": key}
        uploads[line["source-ref"]] = images[key]
        initial = _initial(store, key, labels) if store is not None else None
        if initial is not None:
            png_name = f"initial/{key}.png"
            pngs[png_name] = base64.b64decode(initial.to_value()["labeledImage"]["pngImageData"])
            line[INITIAL_FIELD] = {"instances": initial.instances, "src-ref": prefix + png_name}
        lines.append(dump_line(line))
    manifest = ("\n".join(lines) + "\n").encode("utf-8")
    validate_input_manifest(manifest)
    template = write_template(
        labels, name=name, header=header, short_instructions=short_instructions,
        full_instructions=full_instructions, with_pre_lambda=with_pre_lambda,
        allow_new_labels=allow_new_labels, allow_background_label=allow_background_label,
    )  # fmt: skip
    return JobFiles(
        manifest=manifest,
        label_categories=write_label_categories(
            labels, allow_background_label=allow_background_label
        ),
        template=template.encode("utf-8"),
        initial_pngs=pngs,
        keys=list(chosen),
        upload_prefix=prefix,
        images=uploads,
        labels=labels,
        with_pre_lambda=with_pre_lambda,
    )
