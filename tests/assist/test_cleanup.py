"""fill_holes / remove_small: exact pixels, originals unchanged, other instances untouched."""

from __future__ import annotations

import numpy as np
import pytest

from crowdseg_widget import Annotation
from crowdseg_widget.cleanup import fill_holes, remove_small


def grid(text: str) -> np.ndarray:
    """A label map from whitespace-separated rows of digits ('.' = background)."""
    return np.array([[0 if c == "." else int(c) for c in row] for row in text.split()], np.uint8)


def annotation(text: str) -> Annotation:
    label_map = grid(text)
    return Annotation(label_map, ["thing"] * int(label_map.max()))


#: before, instance (None = all), after
FILL_CASES = {
    "enclosed background joins, another instance inside stays": (
        "........ .11111.. .1..21.. .1.221.. .11111.. ......1.",
        None,
        "........ .11111.. .11121.. .11221.. .11111.. ......1.",
    ),
    "a diagonal gap does not leak (4-connectivity)": (".1. 1.1 .1.", None, ".1. 111 .1."),
    "background reaching the border is no hole": (
        "1111 1..1 1... 1111",
        None,
        "1111 1..1 1... 1111",
    ),
    "only the instance asked for": ("111.222 1.1.2.2 111.222", 2, "111.222 1.1.222 111.222"),
    "every instance": ("111.222 1.1.2.2 111.222", None, "111.222 111.222 111.222"),
}


@pytest.mark.parametrize(("before", "instance", "after"), FILL_CASES.values(), ids=FILL_CASES)
def test_fill_holes(before, instance, after):
    start = annotation(before)
    filled = fill_holes(start, instance)
    assert np.array_equal(filled.label_map, grid(after))
    assert np.array_equal(start.label_map, grid(before))  # the original is unchanged
    assert filled.labels == start.labels and filled.colors == start.colors


#: before, min_pixels, instance (None = all), after, areas after
REMOVE_CASES = {
    "regions under the threshold go, emptied instances stay": (
        "11..2 11... ....1 3....",
        2,
        None,
        "11... 11... ..... .....",
        [4, 0, 0],
    ),
    "a threshold above every region empties every instance": (
        "11..2 11... ....1 3....",
        5,
        None,
        "..... ..... ..... .....",
        [0, 0, 0],
    ),
    "min_pixels 1 keeps everything": (
        "11..2 11... ....1 3....",
        1,
        None,
        "11..2 11... ....1 3....",
        [5, 1, 1],
    ),
    "diagonal neighbours are separate regions": ("1.1 .1. 1.1", 2, None, "... ... ...", [0]),
    "only the instance asked for": ("1.2 ...", 2, 2, "1.. ...", [1, 0]),
}


@pytest.mark.parametrize(
    ("before", "min_pixels", "instance", "after", "areas"), REMOVE_CASES.values(), ids=REMOVE_CASES
)
def test_remove_small(before, min_pixels, instance, after, areas):
    start = annotation(before)
    cleaned = remove_small(start, min_pixels, instance)
    assert np.array_equal(cleaned.label_map, grid(after))
    assert list(cleaned.areas) == areas and cleaned.num_instances == start.num_instances
    assert np.array_equal(start.label_map, grid(before))


def test_bad_arguments_are_named():
    start = annotation("1.")
    with pytest.raises(ValueError, match="instance 2 does not exist"):
        fill_holes(start, 2)
    with pytest.raises(ValueError, match="min_pixels must be >= 0"):
        remove_small(start, -1)
    with pytest.raises(TypeError, match="min_pixels must be an integer"):
        remove_small(start, 2.5)  # type: ignore[arg-type]
