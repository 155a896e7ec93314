import json
from itertools import islice
from pathlib import Path

import pytest

from crowdseg_widget.palette import (
    GROUND_TRUTH_COLORS,
    color_sequence,
    next_colors,
    normalize_color,
)

FIXTURE = Path(__file__).parent / "fixtures" / "color_sequence.json"


def test_sequence_starts_with_ground_truths_twenty_colors_in_order():
    assert list(islice(color_sequence(), 20)) == [
        "#2ca02c", "#1f77b4", "#ff7f0e", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#ff9896",
        "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5",
        "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
    ]  # fmt: skip
    assert tuple(islice(color_sequence(), 20)) == GROUND_TRUTH_COLORS


def test_generated_colors_are_distinct_lowercase_and_never_black_or_white():
    colors = list(islice(color_sequence(), 2000))
    assert len(set(colors)) == 2000
    assert "#000000" not in colors and "#ffffff" not in colors
    assert all(normalize_color(c) == c for c in colors)


def test_sequence_matches_the_fixture_shared_with_the_front_end():
    assert list(islice(color_sequence(), 300)) == json.loads(FIXTURE.read_text())


def test_next_colors_skips_used_colors_case_insensitively():
    assert next_colors(2, used=["#2CA02C", "#ff7f0e"]) == ["#1f77b4", "#d62728"]
    assert next_colors(0) == []


@pytest.mark.parametrize("bad", ["red", "#fff", "2ca02c", "#2ca02cff", "#gg0000"])
def test_colors_not_in_hex_form_are_rejected_by_name(bad):
    with pytest.raises(ValueError, match="#rrggbb"):
        normalize_color(bad)


def test_non_string_color_is_a_type_error():
    with pytest.raises(TypeError, match="#rrggbb"):
        normalize_color((44, 160, 44))
