"""Instance colors: Ground Truth's own sequence, then generated distinct colors.

`js/core/palette.ts` implements the same sequence; both are pinned by
`tests/fixtures/color_sequence.json`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import count

#: The colors SageMaker Ground Truth hands out, in order, across all instances.
GROUND_TRUTH_COLORS: tuple[str, ...] = (
    "#2ca02c", "#1f77b4", "#ff7f0e", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#ff9896",
    "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5",
    "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
)  # fmt: skip

_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_NEVER = frozenset({"#000000", "#ffffff"})  # reserved for backgrounds


def normalize_color(color: object) -> str:
    """Return `color` as lowercase '#rrggbb', or raise naming what is wrong."""
    if not isinstance(color, str):
        raise TypeError(f"instance color must be a '#rrggbb' string, got {type(color).__name__}")
    if not _HEX_COLOR.fullmatch(color):
        raise ValueError(f"instance color {color!r} is not in '#rrggbb' form (e.g. '#2ca02c')")
    return color.lower()


def color_to_rgb(color: str) -> tuple[int, int, int]:
    value = int(color[1:], 16)
    return (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF


def _generated_color(k: int) -> str:
    """Generated color k: integer HSV, golden-ratio hue steps (no floats, so JS agrees)."""
    h = (k * 40503) % 65536
    s = 160 + 40 * (k % 3)
    v = 255 - 40 * ((k // 3) % 3)
    region, rem = divmod(h * 6, 65536)
    scale = 255 * 65536
    p = v * (255 - s) // 255
    q = v * (scale - s * rem) // scale
    t = v * (scale - s * (65536 - rem)) // scale
    r, g, b = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)][region]
    return f"#{r:02x}{g:02x}{b:02x}"


def color_sequence() -> Iterator[str]:
    """Every instance color in hand-out order: Ground Truth's 20, then generated ones."""
    seen: set[str] = set()
    for color in GROUND_TRUTH_COLORS:
        seen.add(color)
        yield color
    for k in count():
        color = _generated_color(k)
        if color not in seen and color not in _NEVER:
            seen.add(color)
            yield color


def next_colors(n: int, used: Iterable[str] = ()) -> list[str]:
    """The next `n` colors of the sequence that are not in `used`."""
    taken = {c.lower() for c in used}
    out: list[str] = []
    if n <= 0:
        return out
    for color in color_sequence():
        if color not in taken:
            out.append(color)
            if len(out) == n:
                break
    return out
