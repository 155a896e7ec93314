"""Review metrics on known arrays: exact IoU, pixels added and removed, states."""

import numpy as np
import pytest

from crowdseg_widget import Annotation, InstanceSegmentation
from crowdseg_widget.review import review


def initial() -> Annotation:
    label_map = np.zeros((10, 10), np.uint8)
    label_map[0:4, 0:4] = 1  # 16 px
    label_map[5:10, 5:10] = 2  # 25 px
    label_map[0:2, 6:10] = 3  # 8 px
    return Annotation(label_map, ["cat", "dog", "cat"])


def test_untouched_instances_are_unreviewed_with_iou_one():
    result = review(initial(), initial())
    assert [(r.state, r.iou, r.pixels_added, r.pixels_removed) for r in result.instances] == [
        ("unreviewed", 1.0, 0, 0)
    ] * 3
    assert result.new_instances == []


def test_edits_deletes_relabels_and_new_instances_are_measured_exactly():
    start = initial()
    label_map = start.label_map.copy()
    label_map[0:4, 4:6] = 1  # cat grows by 8 px: IoU 16/24
    label_map[5:10, 5:10] = 0  # dog deleted below ...
    label_map[5:8, 5:10] = 2  # ... then partly kept: 15 of 25 px
    label_map[0:2, 6:10] = 0  # instance 3 deleted entirely (removed from the list)
    label_map[8:10, 0:3] = 3  # a new instance, 6 px
    colors = [start.colors[0], start.colors[1], "#d62728"]
    current = Annotation(label_map, ["cat", "fox", "bird"], colors)
    result = review(start, current, {"#1f77b4": "accepted"})
    cat, dog, gone = result.instances
    assert (cat.state, cat.iou, cat.pixels_added, cat.pixels_removed) == ("edited", 16 / 24, 8, 0)
    assert (dog.state, dog.label, dog.iou) == ("accepted", "fox", 15 / 25)
    assert (dog.pixels_added, dog.pixels_removed, dog.current_index) == (0, 10, 2)
    assert (gone.state, gone.current_index, gone.iou, gone.pixels_removed) == (
        "rejected",
        None,
        0.0,
        8,
    )
    assert [(n.index, n.label, n.pixels) for n in result.new_instances] == [(3, "bird", 6)]
    assert result.counts() == {"unreviewed": 0, "accepted": 1, "rejected": 1, "edited": 1}
    assert len(result.rows()) == 4 and "<table>" in result._repr_html_()


def test_empty_before_and_after_counts_as_a_perfect_match():
    start = Annotation(np.zeros((2, 2), np.uint8), ["cat"])
    assert review(start, start).instances[0].iou == 1.0


def test_annotations_of_different_sizes_cannot_be_compared():
    with pytest.raises(ValueError, match="different image sizes"):
        review(initial(), Annotation.empty(3, 3))


def test_widget_review_compares_the_current_value_with_the_initial_annotation():
    start = initial()
    w = InstanceSegmentation(np.zeros((10, 10), np.uint8), ["cat", "dog"], initial_value=start)
    label_map = start.label_map.copy()
    label_map[0, 0] = 0
    w.set_state({"value": Annotation(label_map, start.labels, start.colors).to_value(),
                 "review_states": {start.colors[2]: "accepted"}})  # fmt: skip
    assert [r.state for r in w.review.instances] == ["edited", "unreviewed", "accepted"]
    assert w.review.instances[0].iou == 15 / 16


def test_the_view_gets_the_starting_annotation_and_keeps_it_through_python_edits():
    start = initial()
    w = InstanceSegmentation(np.zeros((10, 10), np.uint8), ["cat", "dog"], initial_value=start)
    assert w._initial_value == start.to_value() == w.value
    assert "_initial_value" in w.get_state()
    w.clear()
    w.add_instance("dog", np.ones((10, 10), bool))
    assert w._initial_value == start.to_value()
    assert Annotation.from_value(w._initial_value) == start


def test_nothing_to_review_sends_an_empty_starting_value():
    image = np.zeros((10, 10), np.uint8)
    assert InstanceSegmentation(image, ["cat"])._initial_value == {}
    empty = Annotation.empty(10, 10)
    assert InstanceSegmentation(image, ["cat"], initial_value=empty)._initial_value == {}
    url = InstanceSegmentation("https://example.com/a.png", ["cat"])
    assert url._initial_value == {} and url.value == {}
