"""Zoomed out, the image and overlay are shown shrunk at screen resolution (js/view/screenLayer.ts).

The screen layers exist for speed (a 12 MP canvas composited every frame is
the cost they remove); these tests prove that zoomed out they show exactly
what was painted, as the nearest label pixel to each canvas pixel's centre,
and that at 1:1 they switch to the viewport's grid. The image-sized canvases
are never shown. Zoomed in: test_zoom_screen_harness.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from crowdseg_widget import InstanceSegmentation

from .harness import Harness
from .scene import gradient_image

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]

W, H = 2000, 1500  # shown at about 0.44 in the 900 px harness
GREEN = (0x2C, 0xA0, 0x2C)  # the first instance color

STATE = """() => [...document.querySelectorAll('#root .crowdseg-stage canvas')].map(c => ({
  name: c.className === 'crowdseg-screen' ? 'screen-' + c.dataset.layer : c.className,
  mode: c.dataset.mode ?? '', width: c.width, height: c.height,
  shown: getComputedStyle(c).display !== 'none' }))"""
SCREEN_OVERLAY = "#root canvas.crowdseg-screen[data-layer=overlay]"


def canvases(h: Harness) -> dict[str, dict[str, object]]:
    """Stage canvases by class; the screen layers as screen-image and screen-overlay."""
    return {c["name"]: c for c in h.page.evaluate(STATE)}


def wait_for_mode(h: Harness, mode: str) -> None:
    """Until both screen layers are shown and drawn in `mode` ("shrunk" or "view")."""
    h.page.wait_for_function(
        "mode => [...document.querySelectorAll('#root canvas.crowdseg-screen')]"
        ".every(c => getComputedStyle(c).display !== 'none' && c.dataset.mode === mode)",
        arg=mode,
    )


def test_zoomed_out_the_screen_shows_each_painted_pixel_and_switches_grid_at_1_to_1(harness):
    w = InstanceSegmentation(gradient_image(W, H), labels=["Cat"])
    h = harness(w)
    h.wait_for_canvas()
    wait_for_mode(h, "shrunk")
    state = canvases(h)
    assert not state["crowdseg-image"]["shown"] and not state["crowdseg-overlay"]["shown"]
    scale_width = state["screen-overlay"]["width"]
    assert isinstance(scale_width, int) and 0 < scale_width < W

    h.set_radius(30)
    with h.expect_save():
        h.stroke([(200, 200), (1600, 1200)], steps=8)
    rgba = h.canvas_rgba(SCREEN_OVERLAY)
    mh, mw = rgba.shape[:2]
    # Each canvas pixel shows the label pixel nearest its centre.
    # The same float steps as the page: (m + 0.5) / (mirror pixels per label pixel).
    sx = np.minimum(W - 1, np.floor((np.arange(mw) + 0.5) / (mw / W)).astype(int))
    sy = np.minimum(H - 1, np.floor((np.arange(mh) + 0.5) / (mh / H)).astype(int))
    painted = w.label_map[np.ix_(sy, sx)] == 1
    assert painted.sum() > 1000
    np.testing.assert_array_equal(rgba[..., 3] == 255, painted)
    np.testing.assert_array_equal(rgba[painted][:, :3], np.tile(GREEN, (int(painted.sum()), 1)))
    assert (rgba[~painted] == 0).all()

    # Panned (middle drag), the shrunk layers still cover exactly where the image is.
    before = h.canvas_box()
    h.page.mouse.move(before["x"] + 200, before["y"] + 200)
    h.page.mouse.down(button="middle")
    h.page.mouse.move(before["x"] + 130, before["y"] + 150, steps=3)
    h.page.mouse.up(button="middle")
    after = h.canvas_box()
    assert (after["x"] - before["x"], after["y"] - before["y"]) == pytest.approx((-70, -50), abs=1)
    for layer in h.page.locator("#root canvas.crowdseg-screen").all():
        box = layer.bounding_box()
        assert box is not None
        for key in ("x", "y", "width", "height"):
            assert box[key] == pytest.approx(after[key], abs=1), key

    # The image-sized truth holds the same pixels, in the instance's exact color.
    truth = h.canvas_rgba("#root canvas.crowdseg-overlay")
    np.testing.assert_array_equal(truth[..., 3] == 255, w.label_map == 1)
    assert (truth[w.label_map == 1][:, :3] == GREEN).all()

    h.click("button.crowdseg-zoom-100")
    wait_for_mode(h, "view")
    state = canvases(h)
    assert not state["crowdseg-image"]["shown"] and not state["crowdseg-overlay"]["shown"]
    stage = h.page.evaluate(
        "() => [document.querySelector('#root .crowdseg-stage').clientWidth,"
        " document.querySelector('#root .crowdseg-stage').clientHeight]"
    )
    assert (state["screen-overlay"]["width"], state["screen-overlay"]["height"]) == tuple(stage)
    assert h.page_errors() == []
