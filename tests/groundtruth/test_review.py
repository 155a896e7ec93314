"""Crowd results back into a label store, and opened in the widget to review disagreements."""

from __future__ import annotations

import numpy as np
import pytest

from crowdseg_widget import Annotation, LabelStore
from crowdseg_widget.groundtruth import (
    GroundTruthError,
    ObjectResult,
    WorkerAnnotation,
    consolidate,
    import_results,
    read_output_manifest,
    review_result,
)
from crowdseg_widget.groundtruth.review import matched_to

from .bucket import BUCKET, IMAGES, photo
from .conftest import read


@pytest.fixture
def results(bucket, resolver) -> list[ObjectResult]:
    return read_output_manifest(
        read(bucket["root"], bucket["manifest"]), label_attribute="crowdseg", resolver=resolver
    )


@pytest.fixture
def store(tmp_path) -> LabelStore:
    for i, name in enumerate(IMAGES):
        (tmp_path / "images").mkdir(exist_ok=True)
        (tmp_path / "images" / name).write_bytes(photo(i))
    labels = LabelStore(tmp_path / "labels", tmp_path / "images")
    labels.set_labels(["Cat"])
    return labels


def test_import_results_writes_each_chosen_annotation_and_reports_the_rest(bucket, results, store):
    report = import_results(results, store, which="majority")
    assert report.imported == ["img-0001.png", "img-0002.png"]
    assert store.decode(store.read("img-0001.png")) == bucket["scene"].expected
    assert store.labels == ["Cat", "Dog"]
    again = import_results(results, store, which="worker:private.us-east-1.a12b3cdefg4h5i67")
    assert again.imported == []
    assert again.skipped == [
        (k, "already labeled in the store; pass overwrite=True") for k in IMAGES[:1]
    ] + [
        (
            "img-0002.png",
            "no answer of worker 'private.us-east-1.a12b3cdefg4h5i67'; "
            "workers: ['166160a28ba80787']",
        )
    ]
    replaced = import_results(
        results[:1], store, which="worker:a12b3cdefg4h5i67", overwrite=True, status="done"
    )
    assert replaced.imported == ["img-0001.png"]
    assert store.decode(store.read("img-0001.png")) == bucket["scene"].workers[1]
    assert store.read("img-0001.png").status == "done"


def test_import_results_refuses_what_does_not_fit(results, store):
    no_consolidated = import_results(results[:1], store)
    assert "no consolidated annotation" in no_consolidated.skipped[0][1]
    other_size = ObjectResult(None, "img-0002.png", None, [], Annotation.empty(10, 10), {})
    assert import_results([other_size], store).skipped == [
        ("img-0002.png", "annotation is 10x10 but the image is 64x48")
    ]
    unkeyed = ObjectResult(
        f"{BUCKET}images/img-0002.png", None, None, [], Annotation.empty(64, 48), {}
    )
    assert import_results([unkeyed], store).skipped[0][1].startswith("no crowdseg-key")
    mapped = import_results([unkeyed], store, key_for=lambda uri: uri.rsplit("/", 1)[1])
    assert mapped.imported == ["img-0002.png"]
    assert store.read("img-0001.png") is None


def test_matched_to_gives_the_consensus_the_workers_colors(bucket):
    s = bucket["scene"]
    consensus = consolidate(s.workers)[0]
    second = matched_to(s.workers[1], consensus)
    # worker 1 drew the dog first (#2ca02c), the cat second (#1f77b4), the kitten third (#ff7f0e)
    assert second.colors == ["#ff7f0e", "#1f77b4", "#2ca02c"]
    assert np.array_equal(second.label_map, consensus.label_map)
    third = matched_to(s.workers[2], consensus)
    assert third.colors[1:] == ["#2ca02c", "#1f77b4"]
    assert third.colors[0] not in s.workers[2].colors  # the kitten worker 3 missed: a fresh color


def test_review_result_shows_where_a_worker_disagreed(bucket, results, resolver):
    widget = review_result(results[0], worker="0b1c2d3e4f5a6b7c", resolver=resolver)
    assert widget.annotation == matched_to(
        bucket["scene"].workers[2], consolidate(results[0].workers)[0]
    )
    assert widget.initial_annotation == bucket["scene"].workers[2]
    cat, dog, mouse = widget.review.instances  # worker 3's instances, in its order
    assert (cat.state, dog.state, mouse.state) == ("edited", "unreviewed", "rejected")
    assert 0.5 < cat.iou < 1 and cat.pixels_added == 28 and cat.pixels_removed == 0
    assert dog.iou == 1.0
    assert [n.label for n in widget.review.new_instances] == ["Cat"]  # the kitten it missed
    assert set(widget.labels) == {"Cat", "Dog", "Mouse"}


def test_review_result_refusals(results):
    empty = ObjectResult(None, "k", None, [], Annotation.empty(4, 4), {})
    with pytest.raises(GroundTruthError, match="k: no worker answers to compare"):
        review_result(empty)
    with pytest.raises(GroundTruthError, match=r"worker 5: there are 3 answers"):
        review_result(results[0], worker=5, image=np.zeros((48, 64), np.uint8))
    with pytest.raises(GroundTruthError, match=r"pass image= \(or resolver="):
        review_result(results[0])
    one = ObjectResult(None, "k", None, [WorkerAnnotation("w", Annotation.empty(4, 4))], None, {})
    with pytest.raises(GroundTruthError, match=r"no answer of worker 'x'; workers: \['w'\]"):
        review_result(one, worker="x", image=np.zeros((4, 4), np.uint8))
