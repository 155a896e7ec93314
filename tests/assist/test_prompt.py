"""Prompt: normalized on construction, bad fields named."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from crowdseg_widget.assist import Prompt


def test_defaults_and_normalized_fields():
    empty = Prompt()
    assert empty.points == () and empty.box is None and empty.extreme_points is None
    assert empty.mask is None and empty.image_key is None and empty.is_empty
    prompt = Prompt(
        points=[[1, 2, True], (3.5, np.int64(4), np.bool_(False))],
        box=np.array([0, 1, 5, 6]),
        extreme_points=[(1, 0), (1, 5), (0, 2), (4, 2)],
        mask=np.eye(3, dtype=np.uint8),
        image_key="photo.jpg",
    )
    assert prompt.points == ((1.0, 2.0, True), (3.5, 4.0, False))
    assert prompt.box == (0.0, 1.0, 5.0, 6.0)
    assert prompt.extreme_points == ((1.0, 0.0), (1.0, 5.0), (0.0, 2.0), (4.0, 2.0))
    assert prompt.mask is not None and prompt.mask.dtype == bool and prompt.mask.sum() == 3
    assert not prompt.mask.flags.writeable
    assert not prompt.is_empty
    with pytest.raises(dataclasses.FrozenInstanceError):
        prompt.box = None  # type: ignore[misc]


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"points": [(1, 2)]}, ValueError, r"Prompt.points\[0\] must be \(x, y, positive\)"),
        ({"points": [(1, 2, 1)]}, TypeError, r"Prompt.points\[0\] positive flag"),
        ({"points": [(1, float("nan"), True)]}, ValueError, "finite"),
        ({"points": "abc"}, TypeError, "Prompt.points must be a sequence"),
        ({"box": (0, 0, 5)}, ValueError, r"Prompt.box must be \(x0, y0, x1, y1\)"),
        ({"box": (5, 0, 5, 3)}, ValueError, "is empty"),
        ({"box": (0, 0, "5", 3)}, TypeError, r"Prompt.box\[2\] must be a number"),
        ({"extreme_points": [(0, 0)] * 3}, ValueError, "four"),
        (
            {"extreme_points": [(0, 0, 1)] * 4},
            ValueError,
            r"extreme_points\[0\] must be an \(x, y\)",
        ),
        ({"mask": np.zeros(3, bool)}, ValueError, r"Prompt.mask must be an \(H, W\)"),
        ({"mask": np.full((2, 2), 0.5)}, ValueError, "boolean"),
        ({"image_key": ["unhashable"]}, TypeError, "image_key must be hashable"),
    ],
)
def test_bad_fields_are_named(fields, error, message):
    with pytest.raises(error, match=message):
        Prompt(**fields)


def test_the_callers_mask_stays_writable():
    mask = np.zeros((2, 3), bool)
    prompt = Prompt(mask=mask)
    mask[0, 0] = True  # no copy: the prompt sees the caller's array, read-only
    assert mask.flags.writeable and prompt.mask is not None and prompt.mask[0, 0]
    assert not prompt.mask.flags.writeable


def test_check_within():
    Prompt(points=[(9.5, 4, True)], box=(-3, -3, 2, 2)).check_within(10, 5)
    with pytest.raises(ValueError, match=r"extreme point 2 \(10, 0\) is outside the 10x5"):
        Prompt(extreme_points=[(0, 0), (1, 1), (10, 0), (2, 2)]).check_within(10, 5)
    with pytest.raises(ValueError, match="prompt box"):
        Prompt(box=(10, 0, 12, 3)).check_within(10, 5)
    with pytest.raises(ValueError, match=r"mask has shape \(5, 5\)"):
        Prompt(mask=np.zeros((5, 5), bool)).check_within(10, 5)
