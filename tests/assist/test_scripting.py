"""add_instance_from_prompt / accept_mask / add_to_instance: exact label maps, both policies."""

from __future__ import annotations

import numpy as np
import pytest

from crowdseg_widget import Annotation
from crowdseg_widget.assist import (
    AssistError,
    Prompt,
    accept_mask,
    add_instance_from_prompt,
    add_to_instance,
    grabcut,
)
from crowdseg_widget.palette import next_colors

IMAGE = np.zeros((4, 6, 3), np.uint8)


def start() -> Annotation:
    label_map = np.zeros((4, 6), np.uint8)
    label_map[:, :2] = 1  # columns 0-1: instance 1
    return Annotation(label_map, ["cat"])


def box_assist(image: np.ndarray, prompt: Prompt) -> np.ndarray:
    """Exactly the prompt's box (a deterministic assist for exact pixels)."""
    assert prompt.box is not None
    x0, y0, x1, y1 = (int(v) for v in prompt.box)
    mask = np.zeros(image.shape[:2], bool)
    mask[y0:y1, x0:x1] = True
    return mask


def test_the_best_candidate_becomes_a_new_instance_painting_over():
    before = start()
    after, new_id = add_instance_from_prompt(
        before, IMAGE, box_assist, Prompt(box=(1, 1, 4, 3)), "dog"
    )
    assert new_id == 2 and after.labels == ["cat", "dog"]
    expected = before.label_map.copy()
    expected[1:3, 1:4] = 2
    assert np.array_equal(after.label_map, expected)
    assert after.colors == next_colors(2)
    assert before.num_instances == 1  # unchanged


def test_preserve_leaves_other_instances_pixels():
    after, _ = add_instance_from_prompt(
        start(), IMAGE, box_assist, Prompt(box=(1, 1, 4, 3)), "dog", preserve=True
    )
    expected = start().label_map.copy()
    expected[1:3, 2:4] = 2
    assert np.array_equal(after.label_map, expected)


def test_used_colors_are_not_handed_out_again():
    first_two = next_colors(2)
    after, _ = accept_mask(start(), np.ones((4, 6), bool), "dog", used_colors=[first_two[1]])
    assert after.colors == [first_two[0], next_colors(3)[2]]


def test_add_to_instance_under_both_policies():
    two, _ = accept_mask(start(), np.eye(4, 6, 3, dtype=bool), "dog")  # a diagonal, id 2
    grown = add_to_instance(two, 1, np.ones((4, 6), bool))
    assert (grown.label_map == 1).all()
    kept = add_to_instance(two, 1, np.ones((4, 6), bool), preserve=True)
    assert np.array_equal(kept.label_map == 2, np.eye(4, 6, 3, dtype=bool))
    assert ((kept.label_map == 1) == ~np.eye(4, 6, 3, dtype=bool)).all()
    with pytest.raises(ValueError, match="instance 3 does not exist"):
        add_to_instance(two, 3, np.ones((4, 6), bool))


def test_nothing_found_or_a_failing_assist_adds_nothing():
    with pytest.raises(AssistError, match="found no object"):
        add_instance_from_prompt(
            start(), IMAGE, lambda i, p: np.zeros((4, 6), bool), Prompt(box=(0, 0, 1, 1)), "dog"
        )
    with pytest.raises(AssistError, match="raised ZeroDivisionError"):
        add_instance_from_prompt(
            start(), IMAGE, lambda i, p: 1 / 0, Prompt(box=(0, 0, 1, 1)), "dog"
        )
    with pytest.raises(ValueError, match="the image is 5x4 but the annotation is 6x4"):
        add_instance_from_prompt(
            start(), np.zeros((4, 5, 3), np.uint8), box_assist, Prompt(box=(0, 0, 1, 1)), "dog"
        )


def test_labelling_the_coins_with_grabcut(cv2):
    from .scenes import coins_truth, extreme_points, iou

    image, masks = coins_truth()
    annotation = Annotation.empty(image.shape[1], image.shape[0])
    assist = grabcut()
    for mask in masks[:5]:
        annotation, new_id = add_instance_from_prompt(
            annotation, image, assist, Prompt(extreme_points=extreme_points(mask)), "coin"
        )
    assert annotation.num_instances == 5 and new_id == 5
    for got, truth in zip(annotation.masks, masks[:5], strict=True):
        assert iou(got, truth) > 0.9
