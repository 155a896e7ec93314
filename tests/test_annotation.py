import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from crowdseg_widget import Annotation
from crowdseg_widget.palette import next_colors


def two_squares() -> Annotation:
    label_map = np.zeros((6, 8), np.uint8)
    label_map[1:3, 1:4] = 1  # 6 px
    label_map[3:6, 4:8] = 2  # 12 px
    return Annotation(label_map, ["Cat", "Dog"])


def test_instances_pair_each_label_with_ground_truths_colors_in_creation_order():
    ann = two_squares()
    assert ann.instances == [
        {"color": "#2ca02c", "label": "Cat"},
        {"color": "#1f77b4", "label": "Dog"},
    ]
    assert (ann.width, ann.height, ann.num_instances) == (8, 6, 2)


def test_masks_are_one_boolean_plane_per_instance():
    masks = two_squares().masks
    assert masks.shape == (2, 6, 8) and masks.dtype == bool
    assert masks.sum(axis=(1, 2)).tolist() == [6, 12]
    assert masks[0, 1:3, 1:4].all() and masks[1, 3:6, 4:8].all()


def test_unpainted_instance_has_an_empty_mask():
    ann = Annotation(np.zeros((2, 2), np.uint8), ["Cat"])
    assert ann.masks.shape == (1, 2, 2) and not ann.masks.any()


def test_label_map_is_uint8_up_to_255_instances_and_uint16_beyond():
    assert Annotation(np.zeros((2, 2), np.int64), ["a"] * 255).label_map.dtype == np.uint8
    assert Annotation(np.zeros((2, 2), np.int64), ["a"] * 256).label_map.dtype == np.uint16


def test_label_map_is_read_only_and_independent_of_the_input_array():
    source = np.zeros((2, 2), np.uint8)
    ann = Annotation(source, ["Cat"])
    source[0, 0] = 1
    assert ann.label_map[0, 0] == 0
    with pytest.raises(ValueError):
        ann.label_map[0, 0] = 1


def test_class_map_numbers_classes_from_one_in_the_order_given():
    label_map = np.array([[0, 1, 2, 3]], np.uint8)
    ann = Annotation(label_map, ["Dog", "Cat", "Dog"])
    assert ann.class_map(["Cat", "Dog", "Bird"]).tolist() == [[0, 2, 1, 2]]


def test_class_map_names_labels_missing_from_classes():
    with pytest.raises(ValueError, match=r"labels \['Dog'\] are not in classes"):
        two_squares().class_map(["Cat"])


def test_from_masks_builds_the_label_map_and_later_masks_win_overlaps():
    masks = np.zeros((2, 4, 4), bool)
    masks[0, 0:3, 0:3] = True
    masks[1, 2:4, 2:4] = True
    ann = Annotation.from_masks(masks, ["Cat", "Dog"])
    assert ann.label_map.tolist() == [
        [1, 1, 1, 0],
        [1, 1, 1, 0],
        [1, 1, 2, 2],
        [0, 0, 2, 2],
    ]
    assert np.array_equal(ann.masks[1], masks[1])


def test_from_masks_accepts_zero_one_integers_and_explicit_colors():
    masks = np.array([[[0, 1], [1, 0]]], np.uint8)
    ann = Annotation.from_masks(masks, ["Cat"], colors=["#ABCDEF"])
    assert ann.colors == ["#abcdef"]
    assert ann.label_map.tolist() == [[0, 1], [1, 0]]


def test_from_masks_with_no_masks_still_needs_the_image_size():
    ann = Annotation.from_masks(np.zeros((0, 3, 5), bool), [])
    assert (ann.width, ann.height, ann.num_instances) == (5, 3, 0)


@pytest.mark.parametrize(
    ("masks", "labels", "error", "match"),
    [
        (np.zeros((4, 4), bool), [], ValueError, r"shape \(N, height, width\)"),
        (np.full((1, 2, 2), 0.7), ["Cat"], ValueError, "threshold probabilities"),
        (np.zeros((2, 2, 2), bool), ["Cat"], ValueError, "1 labels for 2 masks"),
    ],
)
def test_from_masks_rejects_bad_input_with_a_clear_message(masks, labels, error, match):
    with pytest.raises(error, match=match):
        Annotation.from_masks(masks, labels)


@pytest.mark.parametrize(
    ("label_map", "labels", "colors", "error", "match"),
    [
        (np.zeros((2, 2, 3), np.uint8), ["a"], None, ValueError, "must be 2-D"),
        (np.zeros((2, 2), float), ["a"], None, TypeError, "integer instance ids"),
        (np.array([[0, 2]]), ["a"], None, ValueError, "ids must be 0 .background. to 1"),
        (np.zeros((1, 1), np.uint8), ["a", ""], None, ValueError, "must not be empty"),
        (np.zeros((1, 1), np.uint8), ["a", 3], None, TypeError, "not a string"),
        (np.zeros((1, 1), np.uint8), ["a", "b"], ["#2ca02c", "#2CA02C"], ValueError, "twice"),
        (np.zeros((1, 1), np.uint8), ["a"], ["green"], ValueError, "#rrggbb"),
        (np.zeros((1, 1), np.uint8), ["a"], [], ValueError, "0 colors for 1 instances"),
    ],
)
def test_constructor_rejects_bad_input_naming_the_problem(label_map, labels, colors, error, match):
    with pytest.raises(error, match=match):
        Annotation(label_map, labels, colors)


def test_equality_compares_pixels_labels_and_colors():
    assert two_squares() == two_squares()
    other = Annotation(two_squares().label_map, ["Cat", "Bird"])
    assert two_squares() != other


#: Any text a label may be: no control characters or lone surrogates, something visible.
LABEL_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=6
).filter(lambda text: any(not c.isspace() and unicodedata.category(c) != "Cf" for c in text))


@st.composite
def annotations(draw: st.DrawFn) -> Annotation:
    num = draw(st.integers(0, 300))
    height, width = draw(st.integers(1, 24)), draw(st.integers(1, 24))
    label_map = draw(arrays(np.uint16, (height, width), elements=st.integers(0, num)))
    labels = draw(st.lists(LABEL_TEXT, min_size=num, max_size=num))
    shuffled = draw(st.permutations(next_colors(num + 20)))
    return Annotation(label_map, labels, shuffled[:num])


@settings(max_examples=150, deadline=None)
@given(annotations())
def test_value_round_trip_returns_identical_arrays_and_instances(ann):
    back = Annotation.from_value(ann.to_value())
    assert back == ann
    assert back.label_map.dtype == ann.label_map.dtype
    assert np.array_equal(back.masks, ann.masks)
