"""Output manifests in every form Ground Truth (or AWS's samples) write, and the semantic job."""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import pytest
from PIL import Image

from crowdseg_widget import Annotation
from crowdseg_widget.groundtruth import (
    GroundTruthError,
    consolidate,
    local_resolver,
    read_output_manifest,
    read_semantic_output,
)

from .bucket import BUCKET, JOB, box, element_value, lines, metadata, scene, worker_annotation
from .conftest import read


def test_a_job_without_lambdas_follows_worker_response_ref_to_every_worker(bucket, resolver):
    results = read_output_manifest(
        read(bucket["root"], bucket["manifest"]), label_attribute="crowdseg", resolver=resolver
    )
    first, second = results
    assert (first.key, first.source_ref, first.dataset_object_id) == (
        "img-0001.png",
        f"{BUCKET}images/img-0001.png",
        "0",
    )
    assert [w.annotation for w in first.workers] == bucket["scene"].workers
    assert [w.worker_id for w in first.workers] == bucket["scene"].worker_ids
    assert first.consolidated is None
    assert first.metadata["job_name"] == JOB
    assert first.metadata["human_annotated"] == "yes"
    assert second.dataset_object_id == "1"
    assert second.workers[0].annotation.num_instances == 0
    assert consolidate(first.workers)[0] == bucket["scene"].expected


def test_without_a_resolver_the_reference_is_named(bucket):
    with pytest.raises(
        GroundTruthError,
        match=r"line 1 \(img-0001.png\): the answers are only in s3://.*pass resolver=",
    ):
        read_output_manifest(read(bucket["root"], bucket["manifest"]), label_attribute="crowdseg")


def test_a_missing_worker_response_file_names_the_uri(bucket, tmp_path):
    empty = local_resolver({BUCKET: tmp_path})
    with pytest.raises(
        GroundTruthError, match=r"line 1 .*worker-response/iteration-1/0/.*cannot be read"
    ):
        read_output_manifest(
            read(bucket["root"], bucket["manifest"]), label_attribute="crowdseg", resolver=empty
        )


def _line(value, meta=None, **more):
    return {
        "source-ref": f"{BUCKET}images/a.png",
        "crowdseg": value,
        "crowdseg-metadata": meta or metadata(),
        **more,
    }


PAINTED = worker_annotation([(box(1, 1, 9, 9), "Cat"), (box(20, 20, 30, 40), "Dog")])


@pytest.mark.parametrize(
    "value",
    [
        element_value(PAINTED),  # a bare element value (or ours, below)
        {
            **element_value(PAINTED),
            "consolidation": {"method": "crowdseg-iou-majority/1", "instances": []},
        },
        {"crowdseg": element_value(PAINTED)},  # {name: value}
        json.dumps(element_value(PAINTED)),  # a string
    ],
    ids=["bare", "ours", "wrapped", "string"],
)
def test_a_consolidated_value_is_read_in_every_form(value):
    (result,) = read_output_manifest(lines([_line(value)]), label_attribute="crowdseg")
    assert result.consolidated == PAINTED
    assert result.workers == []


def test_our_report_comes_back_with_the_value():
    report = {"method": "crowdseg-iou-majority/1", "instances": [{"votes": 3}]}
    (result,) = read_output_manifest(
        lines([_line({**element_value(PAINTED), "consolidation": report})]),
        label_attribute="crowdseg",
    )
    assert result.report == report


def test_aws_samples_annotations_from_all_workers_gives_each_worker():
    s = scene()
    value = {
        "annotationsFromAllWorkers": [
            {
                "workerId": f"private.us-east-1.{w}",
                "annotationData": {"content": json.dumps({"crowdseg": element_value(a)})},
            }
            for w, a in zip(s.worker_ids, s.workers, strict=True)
        ]
    }
    (result,) = read_output_manifest(lines([_line(value)]), label_attribute="crowdseg")
    assert [w.annotation for w in result.workers] == s.workers
    assert result.consolidated is None


def test_both_metadata_spellings_and_a_top_level_reference(bucket, resolver):
    spelled = {
        "type": "groundTruth/custom",
        "job_name": "labeling-job/other-job",
        "human_annotated": "yes",
        "creation_date": "2019-10-27T10:35:45+0000",
    }
    line = _line({}, spelled, **{"worker-response-ref": bucket["responses"][0]})
    (result,) = read_output_manifest(lines([line]), label_attribute="crowdseg", resolver=resolver)
    assert result.metadata == {
        "type": "groundTruth/custom",
        "job_name": "other-job",
        "human_annotated": "yes",
        "creation_date": "2019-10-27T10:35:45+0000",
    }
    assert len(result.workers) == 3


def test_a_png_stored_in_s3_is_resolved(tmp_path):
    value = element_value(PAINTED)
    png = base64.b64decode(value["labeledImage"]["pngImageData"])
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "0.png").write_bytes(png)
    stored = {**value, "labeledImage": {"s3Uri": f"{BUCKET}out/0.png"}}
    with pytest.raises(
        GroundTruthError, match=r"the PNG is stored at s3://crowdseg-demo/out/0.png; pass resolver="
    ):
        read_output_manifest(lines([_line(stored)]), label_attribute="crowdseg")
    (result,) = read_output_manifest(
        lines([_line(stored)]),
        label_attribute="crowdseg",
        resolver=local_resolver({BUCKET: tmp_path}),
    )
    assert result.consolidated == PAINTED


def test_output_lines_over_the_input_limits_are_read():
    noise = np.random.default_rng(2).integers(0, 11, (400, 500))
    value = element_value(Annotation(noise, ["Cat"] * 10))
    text = lines([_line(value)])
    assert len(text) > 100_000
    (result,) = read_output_manifest(text, label_attribute="crowdseg")
    assert np.array_equal(result.consolidated.label_map, noise)


def test_unlabeled_lines_warn_and_are_skipped_or_refused_when_strict():
    text = lines([_line(element_value(PAINTED)), {"source-ref": f"{BUCKET}images/b.png"}])
    with pytest.warns(
        UserWarning, match=r"line 2 \(s3://crowdseg-demo/images/b.png\): no 'crowdseg'.*skipped"
    ):
        results = read_output_manifest(text, label_attribute="crowdseg")
    assert len(results) == 1
    with pytest.raises(
        GroundTruthError, match=r"line 2 .*no 'crowdseg' \(the object was not labeled or failed\)"
    ):
        read_output_manifest(text, label_attribute="crowdseg", strict=True)


def test_refusals_name_the_line_and_the_fix():
    with pytest.raises(
        GroundTruthError,
        match=r"has the label attribute 'labels'; label attributes present: \['crowdseg'\]",
    ):
        read_output_manifest(lines([_line(element_value(PAINTED))]), label_attribute="labels")
    with pytest.raises(
        GroundTruthError, match=r"line 1 .*not written by Ground Truth\? missing crowdseg-metadata"
    ):
        read_output_manifest(
            lines([{"source-ref": "s3://b/a.png", "crowdseg": {}}]), label_attribute="crowdseg"
        )
    semantic = _line(
        element_value(PAINTED), {**metadata(), "type": "groundtruth/semantic-segmentation"}
    )
    with pytest.raises(
        GroundTruthError,
        match=r"line 1 .*'groundtruth/semantic-segmentation'.*read it with read_semantic_output",
    ):
        read_output_manifest(lines([semantic]), label_attribute="crowdseg")
    boxes = _line(element_value(PAINTED), {**metadata(), "type": "groundtruth/object-detection"})
    with pytest.raises(
        GroundTruthError,
        match=r"type is 'groundtruth/object-detection'.*not an instance or semantic",
    ):
        read_output_manifest(lines([boxes]), label_attribute="crowdseg")
    for bad in ("crowdseg-metadata", "crowdseg-ref", "-crowdseg", "crowd_seg"):
        with pytest.raises(GroundTruthError, match=r"label attribute .* use e\.g\. 'crowdseg'"):
            read_output_manifest(lines([_line({})]), label_attribute=bad)
    with pytest.raises(GroundTruthError, match=r"manifest line 2 is not JSON"):
        read_output_manifest('{"a": 1}\n{oops\n', label_attribute="crowdseg")
    with pytest.raises(
        GroundTruthError,
        match=r"line 1 .*holds no instance-segmentation value \(keys: \['comment'\]\)",
    ):
        read_output_manifest(lines([_line({"comment": {"x": 1}})]), label_attribute="crowdseg")


def _semantic_png(
    class_map: np.ndarray, colors: dict[int, tuple[int, int, int]], mode: str
) -> bytes:
    rgb = np.zeros((*class_map.shape, 3), np.uint8)
    for index, color in colors.items():
        rgb[class_map == index] = color
    image = Image.fromarray(rgb)
    if mode == "P":
        image = image.quantize(
            colors=len(colors), method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("mode", ["RGB", "P"])
def test_a_semantic_job_is_read_by_color_with_a_white_background(tmp_path, mode):
    class_map = np.zeros((48, 64), np.uint8)
    class_map[5:15, 5:15] = 1  # a cat
    class_map[5:15, 40:50] = 1  # another cat, apart
    class_map[30:40, 20:30] = 2  # a dog
    colors = {0: (255, 255, 255), 1: (0x2C, 0xA0, 0x2C), 2: (0x1F, 0x77, 0xB4)}
    png = _semantic_png(class_map, colors, mode)
    if mode == "P":
        assert Image.open(io.BytesIO(png)).mode == "P"
    output = f"{BUCKET}my-cat-job/annotations/consolidated-annotation/output"
    uri = f"{output}/0_2020-04-21T13:48:00.091190.png"
    (tmp_path / uri[len(BUCKET) :]).parent.mkdir(parents=True)
    (tmp_path / uri[len(BUCKET) :]).write_bytes(png)
    color_map = {
        "0": {"class-name": "BACKGROUND", "hex-color": "#ffffff", "confidence": 0.8},
        "1": {"class-name": "cat", "hex-color": "#2ca02c", "confidence": 0.8},
        "2": {"class-name": "dog", "hex-color": "#1f77b4", "confidence": 0.8},
    }
    line = {
        "source-ref": "s3://crowdseg-demo/cat1.jpg",
        "my-cat-job-ref": uri,
        "my-cat-job-ref-metadata": {
            "internal-color-map": color_map,
            "type": "groundtruth/semantic-segmentation",
            "human-annotated": "yes",
            "creation-date": "2020-04-21T13:48:00.562419",
            "job-name": "labeling-job/my-cat-job",
        },
    }
    resolver = local_resolver({BUCKET: tmp_path})
    (result,) = read_semantic_output(
        lines([line]), label_attribute="my-cat-job-ref", resolver=resolver
    )
    assert result.metadata["job_name"] == "my-cat-job"
    assert result.consolidated.labels == ["cat", "dog"]
    assert np.array_equal(result.consolidated.label_map, class_map)
    (split,) = read_semantic_output(
        lines([line]),
        label_attribute="my-cat-job-ref",
        resolver=resolver,
        split_instances="components",
    )
    assert split.consolidated.labels == ["cat", "cat", "dog"]
    assert split.consolidated.areas.tolist() == [100, 100, 100]
    with pytest.raises(GroundTruthError, match="must end in '-ref'"):
        read_semantic_output(lines([line]), label_attribute="my-cat-job", resolver=resolver)
    custom = {
        **line,
        "my-cat-job-ref-metadata": {
            **line["my-cat-job-ref-metadata"],
            "type": "groundtruth/custom",
        },
    }
    with pytest.raises(
        GroundTruthError, match=r"'groundtruth/custom'.*read it with read_output_manifest"
    ):
        read_semantic_output(lines([custom]), label_attribute="my-cat-job-ref", resolver=resolver)
    stray = _semantic_png(class_map, {**colors, 2: (0x1F, 0x77, 0xB5)}, "RGB")
    (tmp_path / uri[len(BUCKET) :]).write_bytes(stray)
    with pytest.raises(GroundTruthError, match=r"line 1 .*#1f77b5 on 100 pixels"):
        read_semantic_output(lines([line]), label_attribute="my-cat-job-ref", resolver=resolver)


def test_check_sizes_compares_every_png_with_its_image(bucket, resolver, tmp_path):
    manifest = read(bucket["root"], bucket["manifest"])
    results = read_output_manifest(
        manifest, label_attribute="crowdseg", resolver=resolver, check_sizes=True
    )
    assert len(results[0].workers) == 3
    small = io.BytesIO()
    Image.new("RGB", (32, 24)).save(small, format="PNG")
    swapped = local_resolver({f"{BUCKET}images/": tmp_path, BUCKET: bucket["root"]})
    (tmp_path / "img-0001.png").write_bytes(small.getvalue())
    with pytest.raises(
        GroundTruthError,
        match=r"line 1 .*answer 0 \(worker 166160a28ba80787\).*64x48 but the image is 32x24",
    ):
        read_output_manifest(
            manifest, label_attribute="crowdseg", resolver=swapped, check_sizes=True
        )
    with pytest.raises(GroundTruthError, match=r"check_sizes=True needs resolver="):
        read_output_manifest(
            lines([_line(element_value(PAINTED))]), label_attribute="crowdseg", check_sizes=True
        )


def test_a_png_of_another_size_than_declared_is_refused():
    value = element_value(PAINTED)
    value["inputImageProperties"] = {"height": 24, "width": 32}
    with pytest.raises(
        GroundTruthError, match=r"line 1 .*labeled PNG is 64x48 but the image is 32x24"
    ):
        read_output_manifest(lines([_line(value)]), label_attribute="crowdseg")


def test_a_failed_objects_reason_is_in_the_warning():
    failed = {
        "source-ref": f"{BUCKET}images/c.png",
        "crowdseg-metadata": {"failure-reason": "ClientError: annotation timed out"},
    }
    text = lines([_line(element_value(PAINTED)), failed])
    with pytest.warns(
        UserWarning, match=r"line 2 .*no 'crowdseg' \(failed: ClientError: annotation timed out\)"
    ):
        assert len(read_output_manifest(text, label_attribute="crowdseg")) == 1
