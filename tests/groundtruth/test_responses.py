"""Worker-response files, consolidation payloads and MTurk CSVs, read back exactly."""

from __future__ import annotations

import base64
import csv
import io
import json

import numpy as np
import pytest

from crowdseg_widget import Annotation
from crowdseg_widget.groundtruth import (
    GroundTruthError,
    read_consolidation_payload,
    read_mturk_csv,
    read_worker_response,
)

from .bucket import (
    HEIGHT,
    WIDTH,
    answer,
    box,
    element_value,
    ground_truth_png,
    png_bit_depth,
    scene,
    worker_annotation,
)
from .conftest import read


def test_the_fake_encoder_writes_bit_depths_1_2_and_4_with_first_appearance_palettes():
    one = worker_annotation([(box(1, 1, 4, 4), "Cat")])
    three = worker_annotation(
        [(box(10, 10, 20, 20), "Cat"), (box(1, 1, 4, 4), "Dog"), (box(30, 1, 40, 9), "Cat")]
    )
    five = worker_annotation([(box(2 * i, 0, 2 * i + 1, 5), "Cat") for i in range(5)])
    assert [
        png_bit_depth(ground_truth_png(np.asarray(a.label_map), a.colors))
        for a in (one, three, five)
    ] == [1, 2, 4]
    from PIL import Image

    image = Image.open(io.BytesIO(ground_truth_png(np.asarray(three.label_map), three.colors)))
    palette = image.getpalette()[:9]
    # the Dog at row 1 appears first: palette entry 1 is its color, not instance 1's
    assert palette[3:6] == [0x1F, 0x77, 0xB4]


@pytest.mark.parametrize("bits", [None, 4, 8])
def test_every_answer_of_a_worker_response_is_read_with_its_pixels(bucket, bits):
    s = bucket["scene"]
    document = {
        "answers": [
            answer(w, a, force_bits=bits) for w, a in zip(s.worker_ids, s.workers, strict=True)
        ]
    }
    workers = read_worker_response(json.dumps(document).encode())
    assert [w.worker_id for w in workers] == s.worker_ids
    assert [w.annotation for w in workers] == s.workers
    assert workers[0].seconds == 160.13
    assert workers[0].submitted == "2026-11-30T14:22:41.321Z"
    assert workers[0].extra == {}


def test_the_file_in_the_bucket_reads_like_its_json(bucket):
    raw = read(bucket["root"], bucket["responses"][0])
    workers = read_worker_response(raw)
    assert [w.annotation for w in workers] == bucket["scene"].workers


def test_other_form_inputs_are_kept_and_added_labels_come_back():
    painted = worker_annotation([(box(1, 1, 9, 9), "Zebra")])
    extra = {"_customLabel": "", "crowdseg-added-labels": json.dumps(["Zebra", "Okapi"])}
    (worker,) = read_worker_response({"answers": [answer("w1", painted, extra=extra)]})
    assert worker.extra == extra
    assert worker.added_labels == ["Zebra", "Okapi"]
    assert worker.labels == ["Zebra", "Okapi"]


def test_a_value_that_arrives_as_a_string_is_parsed_once():
    painted = worker_annotation([(box(1, 1, 9, 9), "Cat")])
    document = answer("w1", painted, name="annotatedResult")
    document["answerContent"]["annotatedResult"] = json.dumps(
        document["answerContent"]["annotatedResult"]
    )
    (worker,) = read_worker_response({"answers": [document]})
    assert worker.annotation == painted


def test_the_element_name_is_found_or_named():
    painted = worker_annotation([(box(1, 1, 9, 9), "Cat")])
    two = answer("w1", painted, name="first", extra={"second": element_value(painted)})
    with pytest.raises(GroundTruthError, match=r"keys \['first', 'second'\] all hold .*Pass name="):
        read_worker_response({"answers": [two]})
    assert read_worker_response({"answers": [two]}, name="second")[0].annotation == painted
    with pytest.raises(
        GroundTruthError, match=r"no answer named 'third'; keys present: \['first', 'second'\]"
    ):
        read_worker_response({"answers": [two]}, name="third")
    none = {"answers": [{"workerId": "w", "answerContent": {"comment": "hi"}}]}
    with pytest.raises(
        GroundTruthError, match=r"no key holds an instance-segmentation value.*\['comment'\]"
    ):
        read_worker_response(none)


def test_a_file_without_answers_is_refused_with_its_keys():
    with pytest.raises(GroundTruthError, match=r"no 'answers' list \(found \['answer'\]\)"):
        read_worker_response({"answer": []})
    with pytest.raises(GroundTruthError, match="worker response is not JSON"):
        read_worker_response(b"{nope")


def _with_png(value: dict, png: bytes) -> dict:
    return {**value, "labeledImage": {"pngImageData": base64.b64encode(png).decode()}}


def test_off_palette_and_partly_transparent_pixels_are_refused_naming_answer_and_worker():
    from PIL import Image

    painted = worker_annotation([(box(1, 1, 9, 9), "Cat")])
    rgba = np.zeros((HEIGHT, WIDTH, 4), np.uint8)
    rgba[1:9, 1:9] = (0x2C, 0xA0, 0x2C, 255)
    rgba[9, 1:9] = (0x2C, 0xA0, 0x2D, 255)  # anti-aliased edge
    buffer = io.BytesIO()
    Image.fromarray(rgba).save(buffer, format="PNG")
    bad = answer("w7", painted)
    bad["answerContent"]["crowdseg"] = _with_png(
        bad["answerContent"]["crowdseg"], buffer.getvalue()
    )
    with pytest.raises(GroundTruthError, match=r"answer 0 \(worker w7\).*#2ca02d on 8 pixels"):
        read_worker_response({"answers": [bad]})
    rgba[9, 1:9] = (0x2C, 0xA0, 0x2C, 128)
    buffer = io.BytesIO()
    Image.fromarray(rgba).save(buffer, format="PNG")
    bad["answerContent"]["crowdseg"] = _with_png(
        bad["answerContent"]["crowdseg"], buffer.getvalue()
    )
    with pytest.raises(GroundTruthError, match=r"worker w7.*alpha 128"):
        read_worker_response({"answers": [bad]})


def test_duplicate_colors_and_wrong_sizes_are_refused():
    painted = worker_annotation([(box(1, 1, 9, 9), "Cat"), (box(20, 20, 30, 30), "Dog")])
    twin = answer("w2", painted)
    twin["answerContent"]["crowdseg"]["instances"][1]["color"] = "#2ca02c"
    with pytest.raises(GroundTruthError, match=r"worker w2.*#2ca02c is used twice"):
        read_worker_response({"answers": [twin]})
    with pytest.raises(GroundTruthError, match=r"worker w2.*64x48 but the image is 32x24"):
        read_worker_response({"answers": [answer("w2", painted)]}, image_size=(32, 24))


def test_a_payload_follows_annotation_data_s3uri(bucket, resolver):
    raw = read(bucket["root"], bucket["payload_uri"])
    objects = read_consolidation_payload(raw, resolver=resolver)
    assert list(objects) == ["0", "1"]
    assert [w.annotation for w in objects["0"]] == bucket["scene"].workers
    assert objects["0"][0].worker_id == "private.us-east-1.166160a28ba80787"
    assert objects["1"][0].annotation == Annotation.empty(WIDTH, HEIGHT)
    with pytest.raises(
        GroundTruthError,
        match=r"data object 1 .*annotation 0.*annotationData.s3Uri needs resolver=",
    ):
        read_consolidation_payload(raw)


MTURK_COLUMNS = [
    "HITId",
    "HITTypeId",
    "Title",
    "Reward",
    "AssignmentId",
    "WorkerId",
    "AssignmentStatus",
    "AcceptTime",
    "SubmitTime",
    "WorkTimeInSeconds",
    "Input.image_url",
    "Answer.taskAnswers",
    "Approve",
    "Reject",
]


def _mturk_csv(rows: list[tuple[str, str, str, Annotation]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MTURK_COLUMNS)
    for hit, worker, status, annotation in rows:
        task_answers = json.dumps([{"crowdseg": element_value(annotation), "comment": "ok"}])
        writer.writerow(
            [
                hit,
                "T1",
                "Segment",
                "$0.12",
                f"A-{worker}",
                worker,
                status,
                "Mon Nov 30 14:20:01 PST 2026",
                "Mon Nov 30 14:22:41 PST 2026",
                "160",
                "https://example.com/a.png",
                task_answers,
                "",
                "",
            ]
        )
    return out.getvalue()


def test_mturk_csv_groups_by_hit_and_skips_rejected_assignments(tmp_path):
    s = scene()
    rows = [
        ("H1", "W1", "Approved", s.workers[0]),
        ("H1", "W2", "Rejected", s.workers[1]),
        ("H1", "W3", "Submitted", s.workers[2]),
        ("H2", "W1", "Approved", s.workers[1]),
    ]
    text = _mturk_csv(rows)
    path = tmp_path / "Batch_1_batch_results.csv"
    path.write_text(text)
    for source in (path, str(path), text):
        results = read_mturk_csv(source)
        assert {hit: [w.worker_id for w in ws] for hit, ws in results.items()} == {
            "H1": ["W1", "W3"],
            "H2": ["W1"],
        }
        assert [w.annotation for w in results["H1"]] == [s.workers[0], s.workers[2]]
        assert results["H1"][0].extra == {"comment": "ok"}
        assert results["H1"][0].seconds == 160.0
    kept = read_mturk_csv(text, skip_rejected=False)
    assert [w.worker_id for w in kept["H1"]] == ["W1", "W2", "W3"]


def test_mturk_csv_without_answers_is_refused_with_its_columns():
    with pytest.raises(
        GroundTruthError,
        match=r"no column \['Answer.taskAnswers'\]; columns present: \['HITId', 'WorkerId'\]",
    ):
        read_mturk_csv("HITId,WorkerId\nH1,W1\n")


def test_a_missing_mturk_csv_file_is_named(tmp_path):
    with pytest.raises(GroundTruthError, match=r"MTurk CSV .*Batch_9\.csv does not exist"):
        read_mturk_csv(tmp_path / "Batch_9.csv")
