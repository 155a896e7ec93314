"""Driving the widget from Python: add, remove, relabel, clear, on_change."""

import numpy as np
import pytest

from crowdseg_widget import Annotation, InstanceSegmentation


@pytest.fixture
def widget() -> InstanceSegmentation:
    return InstanceSegmentation(np.zeros((4, 5), np.uint8), labels=["cat", "dog"])


def square(y: slice, x: slice) -> np.ndarray:
    mask = np.zeros((4, 5), bool)
    mask[y, x] = True
    return mask


def test_add_instance_paints_the_mask_with_the_next_color_and_returns_its_id(widget):
    assert widget.add_instance("cat", square(slice(0, 2), slice(0, 2))) == 1
    assert widget.add_instance("dog") == 2
    assert widget.value["instances"] == [
        {"color": "#2ca02c", "label": "cat"},
        {"color": "#1f77b4", "label": "dog"},
    ]
    assert widget.masks.sum(axis=(1, 2)).tolist() == [4, 0]


def test_a_removed_instances_color_is_not_handed_out_again(widget):
    widget.add_instance("cat", square(slice(0, 2), slice(0, 2)))
    widget.add_instance("dog", square(slice(2, 4), slice(3, 5)))
    widget.remove_instance(1)
    assert widget.value["instances"] == [{"color": "#1f77b4", "label": "dog"}]
    assert widget.label_map.tolist()[3] == [0, 0, 0, 1, 1]
    widget.add_instance("cat")
    assert widget.annotation.colors == ["#1f77b4", "#ff7f0e"]


def test_relabel_keeps_pixels_and_color(widget):
    widget.add_instance("cat", square(slice(0, 1), slice(0, 5)))
    widget.relabel(1, "dog")
    assert widget.value["instances"] == [{"color": "#2ca02c", "label": "dog"}]
    assert widget.masks[0].sum() == 5


def test_clear_removes_everything(widget):
    widget.add_instance("cat", square(slice(0, 4), slice(0, 5)))
    widget.clear()
    assert widget.value["instances"] == [] and not widget.label_map.any()


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda w: w.add_instance("bird"), "'bird' is not one of the labels"),
        (lambda w: w.add_instance("cat", np.ones((2, 2), bool)), "mask has shape"),
        (lambda w: w.remove_instance(3), "instance 3 does not exist"),
        (lambda w: w.relabel(0, "cat"), "instance 0 does not exist"),
        (lambda w: w.relabel(1, "fish"), "'fish' is not one of the labels"),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(widget, call, match):
    widget.add_instance("cat")
    before = widget.value
    with pytest.raises(ValueError, match=match):
        call(widget)
    assert widget.value == before


def test_on_change_fires_once_per_new_value_with_the_annotation(widget):
    seen: list[Annotation] = []
    widget.on_change(seen.append)
    painted = Annotation(np.ones((4, 5), np.uint8), ["cat"])
    widget.set_state({"value": painted.to_value()})  # one finished stroke in the browser
    assert seen == [painted]


def test_every_color_ever_used_is_synced_for_views_opened_later(widget):
    widget.add_instance("cat")
    widget.add_instance("dog")
    widget.remove_instance(1)
    assert widget.get_state("_used_colors")["_used_colors"] == ["#2ca02c", "#1f77b4"]
