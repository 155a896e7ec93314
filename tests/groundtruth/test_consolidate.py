"""`consolidate`: the method on known disagreements, its refusals, and its properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crowdseg_widget import GROUND_TRUTH_COLORS, Annotation
from crowdseg_widget.groundtruth import GroundTruthError, WorkerAnnotation, consolidate

from .bucket import box, scene, worker_annotation


def test_the_scene_consolidates_to_the_hand_worked_result():
    s = scene()
    workers = [WorkerAnnotation(w, a) for w, a in zip(s.worker_ids, s.workers, strict=True)]
    result, report = consolidate(workers)
    assert result == s.expected
    assert report["minVotes"] == 2
    assert report["workers"] == s.worker_ids
    kitten, cat, dog = report["instances"]
    assert kitten == {
        "label": "Cat",
        "votes": 2,
        "labelVotes": {"Cat": 1, "Dog": 1},
        "pixels": 80,
        "members": [
            {"workerId": s.worker_ids[0], "instance": 3},
            {"workerId": s.worker_ids[1], "instance": 3},
        ],
    }
    assert cat["votes"] == 3 and cat["pixels"] == int(
        ((s.cat[0].astype(int) + s.cat[1] + s.cat[2]) >= 2).sum()
    )
    assert dog["labelVotes"] == {"Dog": 3}
    assert report["dropped"] == [
        {
            "workerId": s.worker_ids[2],
            "instance": 3,
            "label": "Mouse",
            "reason": "drawn by 1 of 3 workers; 2 needed",
        }
    ]


def test_a_label_tie_goes_to_the_earliest_worker():
    s = scene()
    swapped = consolidate([s.workers[1], s.workers[0], s.workers[2]])[0]
    # the kitten: worker 1 (now first) said Dog
    assert swapped.labels == ["Dog", "Cat", "Dog"]
    assert np.array_equal(swapped.label_map, s.expected.label_map)


def test_empty_instances_are_dropped_and_two_workers_need_to_agree():
    a = worker_annotation([(box(1, 1, 10, 10), "Cat")]).with_instance(
        "Dog", "#d62728"
    )  # never painted
    b = worker_annotation([(box(1, 2, 10, 10), "Cat")])
    result, report = consolidate([a, b])
    assert report["minVotes"] == 2
    assert result.labels == ["Cat"]
    assert np.array_equal(result.label_map, box(1, 2, 10, 10).astype(np.uint8))  # the intersection
    assert report["dropped"] == [
        {"workerId": "worker-0", "instance": 2, "label": "Dog", "reason": "no pixels"}
    ]


def test_min_votes_below_a_majority_keeps_the_pixel_with_more_votes():
    a = worker_annotation([(box(0, 0, 10, 10), "Cat")])
    b = worker_annotation([(box(0, 0, 10, 10), "Cat")])
    c = worker_annotation([(box(0, 0, 10, 12), "Dog")])
    d = worker_annotation([(box(30, 30, 40, 40), "Dog")])
    result, report = consolidate([a, b, c, d], min_votes=1)
    assert report["minVotes"] == 1
    assert result.labels == ["Cat", "Dog"]
    assert result.areas.tolist() == [120, 100]


def test_refusals():
    with pytest.raises(GroundTruthError, match="at least one worker"):
        consolidate([])
    small = Annotation.empty(32, 24)
    with pytest.raises(GroundTruthError, match=r"different sizes \(w1: 64x48, w2: 32x24\)"):
        consolidate(
            [WorkerAnnotation("w1", Annotation.empty(64, 48)), WorkerAnnotation("w2", small)]
        )
    with pytest.raises(GroundTruthError, match=r"min_votes must be 1\.\.2"):
        consolidate([small, small], min_votes=3)
    with pytest.raises(GroundTruthError, match="iou_threshold must be between 0 and 1"):
        consolidate([small], iou_threshold=1.0)
    with pytest.raises(TypeError, match="worker 0 is a dict"):
        consolidate([{}])  # type: ignore[list-item]


# ---------------------------------------------------------------- properties

SIZE = (16, 12)


@st.composite
def annotations(draw: st.DrawFn) -> Annotation:
    """Up to 5 rectangles painted in order (later over earlier), labels from three."""
    width, height = SIZE
    label_map = np.zeros((height, width), np.uint8)
    labels = []
    for _ in range(draw(st.integers(0, 5))):
        top, left = draw(st.integers(0, height - 1)), draw(st.integers(0, width - 1))
        bottom, right = draw(st.integers(top + 1, height)), draw(st.integers(left + 1, width))
        labels.append(draw(st.sampled_from(["Cat", "Dog", "Bird"])))
        label_map[top:bottom, left:right] = len(labels)
    present = [i for i in range(1, len(labels) + 1) if (label_map == i).any()]
    lut = np.zeros(len(labels) + 1, np.uint8)
    lut[present] = np.arange(1, len(present) + 1)
    return Annotation(
        lut[label_map], [labels[i - 1] for i in present], list(GROUND_TRUTH_COLORS[: len(present)])
    )


def _in_raster_order(annotation: Annotation) -> Annotation:
    """The same instances, numbered by first pixel and colored in Ground Truth's order."""
    ids, first = np.unique(annotation.label_map.ravel(), return_index=True)
    order = [int(i) for _, i in sorted(zip(first.tolist(), ids.tolist(), strict=True)) if i]
    lut = np.zeros(annotation.num_instances + 1, np.int64)
    lut[order] = np.arange(1, len(order) + 1)
    return Annotation(lut[annotation.label_map], [annotation.labels[i - 1] for i in order])


@settings(max_examples=150, deadline=None)
@given(annotations(), st.integers(1, 5))
def test_identical_workers_give_back_their_annotation(annotation, count):
    result, report = consolidate([annotation] * count)
    assert result == _in_raster_order(annotation)
    assert report["dropped"] == []


@settings(max_examples=150, deadline=None)
@given(st.lists(annotations(), min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_the_order_of_workers_does_not_matter_unless_labels_tie(workers, random):
    result, report = consolidate(workers)
    order = list(range(len(workers)))
    random.shuffle(order)
    shuffled, _ = consolidate([workers[k] for k in order])
    assert np.array_equal(shuffled.label_map, result.label_map)
    assert shuffled.colors == result.colors
    for label, other, item in zip(result.labels, shuffled.labels, report["instances"], strict=True):
        votes = item["labelVotes"]
        if sorted(votes.values())[-1:] != sorted(votes.values())[-2:-1]:  # a clear winner
            assert other == label


@settings(max_examples=150, deadline=None)
@given(st.lists(annotations(), min_size=1, max_size=5))
def test_an_instance_is_kept_only_when_a_strict_majority_drew_it(workers):
    result, report = consolidate(workers)
    need = len(workers) // 2 + 1
    assert report["minVotes"] == need
    for item in report["instances"]:
        assert item["votes"] >= need
        assert len({m["workerId"] for m in item["members"]}) == item["votes"]  # one per worker
    # every kept pixel is covered by a strict majority of the workers
    covered = sum((w.label_map > 0).astype(int) for w in workers)
    assert (covered[result.label_map > 0] >= need).all()
    # every instance of every worker is either a member or dropped, exactly once
    seen = [(m["workerId"], m["instance"]) for i in report["instances"] for m in i["members"]]
    seen += [(d["workerId"], d["instance"]) for d in report["dropped"]]
    every = [
        (f"worker-{k}", i) for k, w in enumerate(workers) for i in range(1, w.num_instances + 1)
    ]
    assert sorted(seen) == sorted(every)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, 12),
    st.integers(0, 12),
    st.integers(2, 8),
    st.integers(2, 8),
    st.floats(0.5, 1.0),
    st.floats(0.5, 1.0),
)
def test_shifting_an_instance_by_half_its_size_in_most_workers_drops_it(top, left, h, w, dx, dy):
    canvas = np.zeros((24, 32), np.uint8)
    canvas[top : top + h, left : left + w] = 1
    right = np.roll(canvas, int(np.ceil(w * dx)), axis=1)
    down = np.roll(canvas, int(np.ceil(h * dy)), axis=0)
    workers = [Annotation(m, ["Cat"]) for m in (canvas, right, down)]
    result, report = consolidate(workers)
    assert result.num_instances == 0
    assert [d["reason"] for d in report["dropped"]] == ["drawn by 1 of 3 workers; 2 needed"] * 3
    kept, _ = consolidate([workers[0], workers[0], workers[1]])
    assert np.array_equal(kept.label_map, canvas)
