"""Wheel and key zoom, the brush cursor when zoomed; exact pixels read in Python (harness tier)."""

from __future__ import annotations

import numpy as np
import pytest

from crowdseg_widget import InstanceSegmentation
from reference_raster import stroke_mask

from .harness import INPUT_CANVAS, Harness
from .scene import H, W

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]

READOUT = ".crowdseg-zoom-readout"


def readout(h: Harness) -> str:
    return h.page.locator(READOUT).text_content()


def stage_box(h: Harness) -> dict[str, float]:
    box = h.page.locator(".crowdseg-stage").bounding_box()
    assert box is not None
    return box


def record_leaks(h: Harness) -> None:
    """Canvas keys (bare modifiers aside) and wheels reaching the document go to window.__leaked."""
    h.page.evaluate(
        "window.__leaked = [];"
        "document.addEventListener('keydown', e => e.target.matches('canvas.crowdseg-input')"
        " && !['Shift', 'Control', 'Alt', 'Meta'].includes(e.key) && window.__leaked.push(e.key));"
        "document.addEventListener('wheel', e => window.__leaked.push('wheel'))"
    )


def dot(h: Harness) -> None:
    """Press and release the brush where the mouse is (no move) and wait for the save."""
    with h.expect_save():
        h.page.mouse.down()
        h.page.mouse.up()


def pixels(mask: np.ndarray) -> list[tuple[int, int]]:
    ys, xs = np.nonzero(mask)
    return [(int(x), int(y)) for x, y in zip(xs, ys, strict=True)]


def middle_drag(h, start: tuple[float, float], by: tuple[float, float]) -> None:
    """Pan with the middle button from `start` (screen px) by `by`."""
    h.page.mouse.move(*start)
    h.page.mouse.down(button="middle")
    h.page.mouse.move(start[0] + by[0], start[1] + by[1], steps=4)
    h.page.mouse.up(button="middle")


def test_wheel_zooms_around_the_image_pixel_under_the_pointer(h, widget):
    record_leaks(h)
    h.set_radius(0)
    painted: list[tuple[int, int]] = []
    for (x, y), notches, shown in [((150, 40), 3, "200 %"), ((120, 77), 2, "317 %")]:
        h.page.mouse.move(*h.to_screen(x, y))
        before = readout(h)
        for _ in range(notches):
            h.page.mouse.wheel(0, -100)  # 2^(100/300) per notch
        h.page.wait_for_function(
            "([sel, old]) => document.querySelector(sel).textContent !== old", arg=[READOUT, before]
        )
        assert readout(h) == shown
        dot(h)
        painted.append((x, y))
        assert pixels(widget.masks[0]) == sorted(painted, key=lambda p: (p[1], p[0]))
    # Two more notches out at the last pixel: still under the pointer.
    box = h.canvas_box()
    for _ in range(2):
        h.page.mouse.wheel(0, 100)
    h.page.wait_for_function(
        "([sel, old]) => document.querySelector(sel).textContent !== old", arg=[READOUT, "317 %"]
    )
    assert readout(h) == "200 %"
    assert h.canvas_box()["width"] == pytest.approx(box["width"] / 2 ** (2 / 3), abs=0.01)
    h.set_radius(1)  # 3 x 3
    h.page.mouse.move(*h.to_screen(120, 77))  # the same screen point
    dot(h)
    expected = stroke_mask(W, H, [(120, 77)], 1)
    expected[40, 150] = True
    np.testing.assert_array_equal(widget.masks[0], expected)
    assert h.page.evaluate("window.__leaked") == []
    assert h.page.evaluate("[window.scrollX, window.scrollY]") == [0, 0]


def test_plus_minus_zero_and_shift_zero_keys(h, widget):
    """+ / = and - / _ zoom by 2 around the viewport's centre (no pointer); 0 fits; Shift+0: 1:1."""
    record_leaks(h)
    fitted = h.canvas_box()
    stage = stage_box(h)
    cx, cy = stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 2
    assert readout(h) == "100 %"
    for key, shown, scale in [("+", "200 %", 2), ("=", "400 %", 4), ("-", "200 %", 2)]:
        h.keys(key)
        assert readout(h) == shown
        box = h.canvas_box()
        assert (box["width"], box["height"]) == (scale * W, scale * H)
        assert (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2) == (cx, cy)
    # The minus sign printed on the button (no US key types it, so dispatch it).
    h.page.locator(INPUT_CANVAS).dispatch_event("keydown", {"key": "\u2212", "bubbles": True})
    assert readout(h) == "100 %"
    h.keys("+", "_")
    assert readout(h) == "100 %"
    assert h.canvas_box() == fitted

    # Zoomed and panned, 0 fits: back to the whole image, centred.
    h.keys("+", "+")
    middle_drag(h, (cx, cy), (40, 20))
    h.page.mouse.move(0, 0)  # off the stage: the keys zoom around its centre
    h.keys("0")
    assert readout(h) == "100 %"
    assert h.canvas_box() == fitted

    # Shift+0 from 400 %, panned by (40, 20): 1:1 around the centre, so the pan shrinks to (10, 5).
    h.keys("+", "+")
    middle_drag(h, (cx, cy), (40, 20))
    h.page.mouse.move(0, 0)
    h.keys("Shift+0")
    assert readout(h) == "100 %"
    box = h.canvas_box()
    assert (box["x"] - fitted["x"], box["y"] - fitted["y"]) == (10, 5)
    assert (box["width"], box["height"]) == (W, H)

    # A stroke between two screen points lands on the pixels under them.
    h.set_radius(2)
    a = (fitted["x"] + 60.5, fitted["y"] + 30.5)
    b = (fitted["x"] + 150.5, fitted["y"] + 120.5)
    with h.expect_save():
        _stroke(h, a, b)
    np.testing.assert_array_equal(widget.masks[0], stroke_mask(W, H, [(50, 25), (140, 115)], 2))
    assert h.page.evaluate("window.__leaked") == []


def _stroke(h: Harness, a: tuple[float, float], b: tuple[float, float]) -> None:
    h.page.mouse.move(*a)
    h.page.mouse.down()
    h.page.mouse.move(*b, steps=6)
    h.page.mouse.up()


def test_keys_zoom_around_the_pointer_after_a_pan(h, widget):
    """+ and - zoom around the pointer (the help), also right after a pan without another move."""
    h.keys("+")
    stage = stage_box(h)
    cx, cy = stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 2
    cx, cy = cx + 1, cy + 1  # the centre of image pixel (100, 75)
    h.page.mouse.move(cx, cy)
    h.page.mouse.down(button="middle")
    h.page.mouse.move(cx - 30, cy + 16, steps=3)  # the image follows: same image point
    h.page.mouse.up(button="middle")
    box = h.canvas_box()
    ix, iy = (cx - 30 - box["x"]) / 2, (cy + 16 - box["y"]) / 2  # image point under the pointer
    assert (ix, iy) == (100.5, 75.5)
    assert_cursor(h, 100, 75, 5, 2)  # the brush cursor is back where the pointer is
    h.keys("+")
    assert readout(h) == "400 %"
    box = h.canvas_box()
    assert ((cx - 30 - box["x"]) / 4, (cy + 16 - box["y"]) / 4) == (ix, iy)
    assert_cursor(h, 100, 75, 5, 4)
    h.set_radius(0)
    dot(h)
    assert pixels(widget.masks[0]) == [(100, 75)]


@pytest.mark.parametrize("zoom_ins, radius", [(1, 3), (2, 5)])
def test_the_brush_cursor_is_exactly_the_footprint_outline(h, widget, zoom_ins, radius):
    """The cursor draws exactly the screen pixels within 1.5 px of a footprint edge.

    The outline runs along the footprint pixels' boundary edges (integer screen
    coordinates at an integer zoom), stroked 3 px wide with square joins, so
    the drawn (alpha > 0) screen pixels are exactly those within [-2, +2) of an edge.
    """
    for _ in range(zoom_ins):
        h.click("button.crowdseg-zoom-in")
    scale = 2**zoom_ins
    assert readout(h) == f"{100 * scale} %"
    h.set_radius(radius)
    x, y = 97, 71
    h.page.mouse.move(*h.to_screen(x, y))
    assert_cursor(h, x, y, radius, scale)


def assert_cursor(h: Harness, x: int, y: int, radius: int, scale: int) -> None:
    """The preview canvas draws exactly the screen pixels within [-2, +2) of a footprint edge."""
    drawn = h.canvas_rgba("canvas.crowdseg-preview")[..., 3] > 0
    preview = h.page.locator("canvas.crowdseg-preview").bounding_box()
    image = h.canvas_box()
    tx, ty = image["x"] - preview["x"], image["y"] - preview["y"]
    assert (tx, ty, drawn.shape) == (int(tx), int(ty), (preview["height"], preview["width"]))
    footprint = stroke_mask(W, H, [(x, y)], radius)
    expected = np.zeros(drawn.shape, bool)
    inside = np.pad(footprint, 1)
    for py, px in zip(*np.nonzero(footprint), strict=True):
        sx, sy = int(tx) + px * scale, int(ty) + py * scale  # the pixel's top-left on screen
        assert 2 <= sx <= drawn.shape[1] - scale - 2, "the cursor should be in view"
        assert 2 <= sy <= drawn.shape[0] - scale - 2, "the cursor should be in view"
        for (nx, ny), (x0, y0, x1, y1) in {
            (-1, 0): (sx, sy, sx, sy + scale),
            (1, 0): (sx + scale, sy, sx + scale, sy + scale),
            (0, -1): (sx, sy, sx + scale, sy),
            (0, 1): (sx, sy + scale, sx + scale, sy + scale),
        }.items():
            if not inside[py + 1 + ny, px + 1 + nx]:
                expected[y0 - 2 : y1 + 2, x0 - 2 : x1 + 2] = True
    if not np.array_equal(drawn, expected):
        missing, extra = pixels(expected & ~drawn), pixels(drawn & ~expected)
        pytest.fail(f"cursor differs: missing {missing[:20]}, extra {extra[:20]}")


def test_fit_and_one_to_one_keys_on_an_image_larger_than_the_stage(harness):
    """0 shows the whole image centred (readout: the fit scale); Shift+0 shows it at 1:1."""
    big = InstanceSegmentation(np.zeros((600, 1600, 3), np.uint8), labels=["Cat"])
    h = harness(big)
    h.wait_for_canvas()
    record_leaks(h)
    stage = h.page.evaluate(
        "() => { const s = document.querySelector('.crowdseg-stage');"
        " return [s.clientWidth, s.clientHeight]; }"
    )
    fit = min(stage[0] / 1600, stage[1] / 600)
    assert 0.2 < fit < 0.9
    fitted = h.canvas_box()
    assert readout(h) == f"{round(100 * fit)} %"
    assert fitted["width"] == pytest.approx(1600 * fit, abs=0.01)
    h.keys("Shift+0")
    assert readout(h) == "100 %"
    box = h.canvas_box()
    assert (box["width"], box["height"]) == (1600, 600)
    centre = (fitted["x"] + fitted["width"] / 2, fitted["y"] + fitted["height"] / 2)
    assert (box["x"] + 800, box["y"] + 300) == pytest.approx(centre, abs=0.01)
    h.keys("0")
    assert readout(h) == f"{round(100 * fit)} %"
    assert h.canvas_box() == pytest.approx(fitted, abs=0.01)
    assert h.page.evaluate("window.__leaked") == []
