"""Zoomed in at 400 % on a 12 MP image, panned to its corner: the screen shows only the
visible part (js/view/screenLayer.ts), and shows it exactly; strokes land exactly.

The screen layers are viewport-sized canvases, each device pixel showing the
image pixel under its centre by the viewport's rule (core/screenGrid.ts), so
these tests rebuild that grid in numpy from the `data-view` the layer states
and compare every screen pixel with Python's `label_map` and the photo.
"""

from __future__ import annotations

import numpy as np
import pytest

from crowdseg_widget import InstanceSegmentation
from reference_raster import stroke_mask

from .harness import Harness
from .scene import gradient_image

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]

W, H = 4000, 3000
GREEN = (0x2C, 0xA0, 0x2C)  # the first instance color
SCREEN = "#root canvas.crowdseg-screen[data-layer={}]"


def grid(h: Harness, layer: str) -> tuple[np.ndarray, np.ndarray]:
    """The image column of each canvas column and row of each row (-1: outside the image)."""
    canvas = h.page.locator(SCREEN.format(layer))
    assert canvas.get_attribute("data-mode") == "view"
    tx, ty, scale, dpr = (float(v) for v in (canvas.get_attribute("data-view") or "").split())
    width, height = (int(canvas.evaluate(f"c => c.{k}")) for k in ("width", "height"))

    def under(n: int, t: float, size: int) -> np.ndarray:
        # The page's float steps: floor(((i + 0.5) / dpr - t) / scale).
        p = np.floor(((np.arange(n) + 0.5) / dpr - t) / scale).astype(int)
        return np.where((p >= 0) & (p < size), p, -1)

    return under(width, tx, W), under(height, ty, H)


def middle_drag(h: Harness, by: tuple[float, float]) -> None:
    """Pan with the middle button, from the stage's centre by `by` (screen px)."""
    stage = h.page.locator("#root .crowdseg-stage").bounding_box()
    assert stage is not None
    x, y = stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 2
    h.page.mouse.move(x, y)
    h.page.mouse.down(button="middle")
    h.page.mouse.move(x + by[0], y + by[1], steps=3)
    h.page.mouse.up(button="middle")
    h.frames()


def zoom_into_corner(h: Harness) -> None:
    """From the fit, zoom to 400 % around the image's bottom-right pixel and pan it into
    view with some of the background beyond it, as a user would."""
    h.page.mouse.move(*h.to_screen(W - 1, H - 1))
    h.keys("Shift+0", "+", "+")  # 1:1, then 2x twice, each around the pointer
    h.page.wait_for_function(
        "() => document.querySelector('.crowdseg-zoom-readout').textContent === '400 %'"
    )
    box = h.canvas_box()
    assert box["width"] == pytest.approx(4 * W)
    middle_drag(h, (-220, -170))


def visible(h: Harness) -> tuple[int, int, int, int]:
    """The image pixels wholly on screen: x0, y0, x1, y1 (exclusive)."""
    box, stage = h.canvas_box(), h.page.locator("#root .crowdseg-stage").bounding_box()
    assert stage is not None
    x0 = int(np.ceil((stage["x"] - box["x"]) / 4)) + 1
    y0 = int(np.ceil((stage["y"] - box["y"]) / 4)) + 1
    x1 = min(W, int((stage["x"] + stage["width"] - box["x"]) / 4) - 1)
    y1 = min(H, int((stage["y"] + stage["height"] - box["y"]) / 4) - 1)
    assert 0 < x0 < x1 and 0 < y0 < y1
    return x0, y0, x1, y1


def outline(label_map: np.ndarray) -> np.ndarray:
    """Instance 1's pixels in the outline view: a 4-neighbour has another id, or at the edge."""
    ids = np.pad(label_map, 1, constant_values=-1)
    centre = ids[1:-1, 1:-1]
    edge = np.zeros(centre.shape, bool)
    for dy, dx in [(-1, 0), (1, 0), (0, -1), (0, 1)]:
        edge |= ids[1 + dy : ids.shape[0] - 1 + dy, 1 + dx : ids.shape[1] - 1 + dx] != centre
    return (centre == 1) & edge


def assert_screen_shows_labels(h: Harness, label_map: np.ndarray, outlined: bool = False) -> None:
    columns, rows = grid(h, "overlay")
    rgba = h.canvas_rgba(SCREEN.format("overlay"))
    inside = (rows[:, None] >= 0) & (columns[None, :] >= 0)
    shown = outline(label_map) if outlined else label_map == 1
    painted = np.zeros(inside.shape, bool)
    painted[inside] = shown[np.ix_(np.maximum(rows, 0), np.maximum(columns, 0))][inside]
    assert painted.sum() > 100 and (~inside).sum() > 100  # the corner: image and beyond it
    np.testing.assert_array_equal(rgba[..., 3] == 255, painted)
    assert (rgba[painted][:, :3] == GREEN).all()
    assert (rgba[~painted] == 0).all()


def test_painting_at_400_percent_in_the_corner_lands_exactly_and_the_screen_shows_it(harness):
    photo = gradient_image(W, H)
    w = InstanceSegmentation(photo, labels=["Cat"])
    h = harness(w)
    h.wait_for_canvas(timeout=60_000)
    zoom_into_corner(h)
    x0, y0, x1, y1 = visible(h)
    assert (x1, y1) == (W, H) and x1 - x0 < 300  # only the corner is on screen
    h.set_radius(3)
    # Through the corner and along the bottom edge: footprints clipped by the image.
    points = [(x0 + 5, y0 + 7), (W - 1, H - 40), (W - 2, H - 1), (x0 + 20, H - 2)]
    with h.expect_save(until=lambda: bool(w.value)):
        h.stroke(points)
    np.testing.assert_array_equal(w.label_map == 1, stroke_mask(W, H, points, 3))
    assert_screen_shows_labels(h, w.label_map)

    # The photo: every device pixel well inside an image pixel shows exactly that pixel.
    columns, rows = grid(h, "image")
    shown = h.canvas_rgba(SCREEN.format("image"))
    inner_c = (columns >= 0) & (np.roll(columns, 1) == columns) & (np.roll(columns, -1) == columns)
    inner_r = (rows >= 0) & (np.roll(rows, 1) == rows) & (np.roll(rows, -1) == rows)
    expected = photo[np.ix_(rows[inner_r], columns[inner_c])]
    np.testing.assert_array_equal(shown[np.ix_(inner_r, inner_c)][..., :3], expected)
    assert (shown[rows < 0][..., 3] == 0).all()  # beyond the image: nothing

    # Panned by a middle drag, the screen is drawn again for the new view, still exact.
    before = grid(h, "overlay")
    middle_drag(h, (37, -23))
    after = grid(h, "overlay")
    assert not np.array_equal(before[0], after[0])
    assert_screen_shows_labels(h, w.label_map)

    # The outline view, sampled by each image pixel's own neighbours (not the screen's).
    h.keys("o")
    assert_screen_shows_labels(h, w.label_map, outlined=True)
    assert h.page_errors() == []


def test_extra_layers_line_up_with_the_input_at_400_percent(harness):
    start = np.zeros((1, H, W), bool)
    # A starting instance, so the review controls (and "Show changes") show.
    start[0, H - 50 : H - 10, W - 50 : W - 10] = True
    w = InstanceSegmentation.from_predictions(gradient_image(W, H), start, ["Cat"], classes=["Cat"])
    h = harness(w)
    h.wait_for_canvas(timeout=60_000)
    zoom_into_corner(h)
    h.click("button.crowdseg-show-changes")
    changes = h.page.locator("#root canvas.crowdseg-changes")
    assert changes.is_visible()
    assert changes.bounding_box() == pytest.approx(h.canvas_box(), abs=0.01)
    assert h.page_errors() == []
