"""fill_holes / remove_small: exact pixels, originals unchanged, other instances untouched."""

from __future__ import annotations

import numpy as np
import pytest

from crowdseg_widget import Annotation
from crowdseg_widget.cleanup import fill_holes, remove_small


def rows(*lines: str) -> np.ndarray:
    """A label map from rows of digits ('.' = background)."""
    return np.array([[0 if c == "." else int(c) for c in line] for line in lines], np.uint8)


def annotation(label_map: np.ndarray, count: int) -> Annotation:
    return Annotation(label_map, ["thing"] * count)


def test_fill_holes_fills_enclosed_background_and_only_background():
    start = annotation(rows(
        "........",
        ".11111..",
        ".1..21..",
        ".1.221..",
        ".11111..",
        "......1.",
    ), 2)  # fmt: skip
    filled = fill_holes(start)
    assert np.array_equal(filled.label_map, rows(
        "........",
        ".11111..",
        ".11121..",
        ".11221..",
        ".11111..",
        "......1.",
    ))  # fmt: skip
    assert start.label_map[2, 2] == 0  # the original is unchanged
    assert filled.labels == start.labels and filled.colors == start.colors


def test_a_diagonal_gap_does_not_leak_under_4_connectivity():
    start = annotation(rows(
        ".1.",
        "1.1",
        ".1.",
    ), 1)  # fmt: skip
    assert fill_holes(start).label_map[1, 1] == 1


def test_background_reaching_the_border_is_not_a_hole():
    start = annotation(rows(
        "1111",
        "1..1",
        "1...",
        "1111",
    ), 1)  # fmt: skip
    assert np.array_equal(fill_holes(start).label_map, start.label_map)


def test_fill_holes_of_one_instance_leaves_the_others():
    start = annotation(rows(
        "111.222",
        "1.1.2.2",
        "111.222",
    ), 2)  # fmt: skip
    assert np.array_equal(fill_holes(start, 2).label_map, rows(
        "111.222",
        "1.1.222",
        "111.222",
    ))  # fmt: skip
    assert fill_holes(start).label_map[1, 1] == 1


def test_remove_small_drops_regions_under_the_threshold_and_keeps_the_instance():
    start = annotation(rows(
        "11..2",
        "11...",
        "....1",
        "3....",
    ), 3)  # fmt: skip
    cleaned = remove_small(start, 2)
    assert np.array_equal(cleaned.label_map, rows(
        "11...",
        "11...",
        ".....",
        ".....",
    ))  # fmt: skip
    assert cleaned.num_instances == 3  # 2 and 3 are empty now, still listed
    assert list(cleaned.areas) == [4, 0, 0]
    assert list(remove_small(start, 5).areas) == [0, 0, 0]
    assert np.array_equal(remove_small(start, 1).label_map, start.label_map)


def test_remove_small_counts_4_connected_regions():
    start = annotation(rows(
        "1.1",
        ".1.",
        "1.1",
    ), 1)  # fmt: skip
    assert remove_small(start, 2).areas[0] == 0  # five single pixels, none 4-connected
    assert remove_small(start, 2, instance=1).areas[0] == 0


def test_remove_small_on_one_instance():
    start = annotation(rows("1.2", "..."), 2)
    assert np.array_equal(remove_small(start, 2, instance=2).label_map, rows("1..", "..."))


def test_bad_arguments_are_named():
    start = annotation(rows("1."), 1)
    with pytest.raises(ValueError, match="instance 2 does not exist"):
        fill_holes(start, 2)
    with pytest.raises(ValueError, match="min_pixels must be >= 0"):
        remove_small(start, -1)
    with pytest.raises(TypeError, match="min_pixels must be an integer"):
        remove_small(start, 2.5)  # type: ignore[arg-type]
