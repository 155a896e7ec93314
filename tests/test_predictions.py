"""Model predictions in: thresholds, overlaps, class indices, label and class maps."""

import numpy as np
import pytest

from crowdseg_widget import Annotation, InstanceSegmentation


def overlapping() -> np.ndarray:
    masks = np.zeros((3, 4, 6), bool)
    masks[0, :, 0:4] = True
    masks[1, :, 2:6] = True
    masks[2, 0, :] = True
    return masks


def test_without_scores_later_masks_are_on_top():
    ann = Annotation.from_masks(overlapping(), ["a", "b", "c"])
    assert ann.label_map.tolist()[:2] == [[3] * 6, [1, 1, 2, 2, 2, 2]]


def test_with_scores_the_higher_score_is_on_top_and_ties_go_to_the_later_mask():
    ann = Annotation.from_masks(overlapping(), ["a", "b", "c"], scores=[0.9, 0.5, 0.5])
    assert ann.label_map.tolist()[:2] == [[1, 1, 1, 1, 3, 3], [1, 1, 1, 1, 2, 2]]


def test_float_probabilities_are_thresholded_at_one_half_unless_told():
    probs = np.array([[[0.2, 0.5, 0.51, 0.9]]])
    a = Annotation.from_masks(probs > 0.5, ["x"])
    w = InstanceSegmentation.from_predictions(np.zeros((1, 4), np.uint8), probs, ["x"])
    assert w.label_map.tolist() == a.label_map.tolist() == [[0, 0, 1, 1]]
    w = InstanceSegmentation.from_predictions(
        np.zeros((1, 4), np.uint8), probs, ["x"], mask_threshold=0.3
    )
    assert w.label_map.tolist() == [[0, 1, 1, 1]]


def test_uint8_masks_count_any_nonzero_value():
    masks = np.array([[[0, 255, 1]]], np.uint8)
    w = InstanceSegmentation.from_predictions(np.zeros((1, 3), np.uint8), masks, ["x"])
    assert w.label_map.tolist() == [[0, 1, 1]]


def test_instances_below_the_score_threshold_are_left_out():
    image = np.zeros((4, 6), np.uint8)
    w = InstanceSegmentation.from_predictions(
        image, overlapping(), ["a", "b", "c"], scores=[0.9, 0.2, 0.6], score_threshold=0.5
    )
    assert w.annotation.labels == ["a", "c"]
    assert w.annotation.colors == ["#2ca02c", "#1f77b4"]
    assert w.label_map.tolist()[:2] == [[1, 1, 1, 1, 2, 2], [1, 1, 1, 1, 0, 0]]  # a over c
    assert w.initial_annotation == w.annotation


def test_class_index_labels_are_named_by_classes_which_become_the_label_choices():
    w = InstanceSegmentation.from_predictions(
        np.zeros((4, 6), np.uint8), overlapping(), np.array([1, 0, 1]), classes=["cat", "dog"]
    )
    assert w.annotation.labels == ["dog", "cat", "dog"]
    assert w.labels == ["cat", "dog"]


def test_label_choices_default_to_the_predicted_labels_in_order():
    w = InstanceSegmentation.from_predictions(
        np.zeros((4, 6), np.uint8), overlapping(), ["dog", "cat", "dog"]
    )
    assert w.labels == ["dog", "cat"]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"labels": [0, 1, 2]}, ValueError, "pass classes"),
        ({"labels": [0, 1, 5], "classes": ["a", "b"]}, ValueError, "out of range"),
        ({"labels": ["a"]}, ValueError, "1 labels for 3 masks"),
        ({"labels": ["a"] * 3, "scores": [1.0]}, ValueError, "1 scores for 3 masks"),
        ({"labels": ["a"] * 3, "score_threshold": 0.5}, ValueError, "needs scores"),
    ],
)
def test_bad_predictions_raise_clear_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        InstanceSegmentation.from_predictions(np.zeros((4, 6), np.uint8), overlapping(), **kwargs)


def test_predictions_of_another_size_than_the_image_are_rejected():
    with pytest.raises(ValueError, match="initial annotation is 6x4 but the image is 7x4"):
        InstanceSegmentation.from_predictions(np.zeros((4, 7), np.uint8), overlapping(), ["a"] * 3)


def test_probabilities_outside_zero_one_are_rejected():
    with pytest.raises(ValueError, match=r"probabilities in 0\.\.1"):
        InstanceSegmentation.from_predictions(np.zeros((1, 2)), np.full((1, 1, 2), 3.0), ["a"])


def test_from_label_map_keeps_ids_and_labels():
    ann = Annotation.from_label_map(np.array([[0, 2, 1]]), ["a", "b"])
    assert ann.masks.sum(axis=(1, 2)).tolist() == [1, 1] and ann.labels == ["a", "b"]


CLASS_MAP = np.array(
    [
        [1, 1, 0, 2, 2],
        [0, 0, 0, 0, 0],
        [1, 0, 3, 3, 0],
    ]
)


def test_from_class_map_gives_one_instance_per_class_present_without_splitting():
    ann = Annotation.from_class_map(CLASS_MAP, ["cat", "dog", "bird", "fish"])
    assert ann.labels == ["cat", "dog", "bird"]
    assert ann.label_map.tolist() == CLASS_MAP.tolist()
    assert ann.class_map(["cat", "dog", "bird", "fish"]).tolist() == CLASS_MAP.tolist()


def test_from_class_map_splits_4_connected_regions_when_asked():
    ann = Annotation.from_class_map(CLASS_MAP, ["cat", "dog", "bird"], split_components=True)
    assert ann.labels == ["cat", "cat", "dog", "bird"]
    assert ann.label_map.tolist() == [[1, 1, 0, 3, 3], [0, 0, 0, 0, 0], [2, 0, 4, 4, 0]]


def test_from_class_map_rejects_classes_it_does_not_know():
    with pytest.raises(ValueError, match="holds class 3 but 2 classes are given"):
        Annotation.from_class_map(CLASS_MAP, ["cat", "dog"])
