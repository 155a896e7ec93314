"""Zoomed out, the image and overlay are shown by screen-sized mirrors (js/view/screenMirror.ts).

The mirrors exist for speed (a 12 MP canvas composited every frame is the
cost they remove); these tests prove they show exactly what was painted, as
the nearest label pixel to each mirror pixel's centre, and step aside at 1:1.
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
  cls: c.className, width: c.width, height: c.height,
  shown: getComputedStyle(c).display !== 'none' }))"""


def canvases(h: Harness) -> dict[str, dict[str, object]]:
    """Stage canvases by class; the two mirrors as mirror-image and mirror-overlay (DOM order)."""
    found: dict[str, dict[str, object]] = {}
    mirrors = iter(["mirror-image", "mirror-overlay"])
    for c in h.page.evaluate(STATE):
        name = next(mirrors) if c["cls"] == "crowdseg-mirror" else c["cls"]
        found[name] = c
    return found


def wait_for_mirrors(h: Harness, shown: bool) -> None:
    h.page.wait_for_function(
        "shown => [...document.querySelectorAll('#root canvas.crowdseg-mirror')]"
        ".every(c => (getComputedStyle(c).display !== 'none') === shown)",
        arg=shown,
    )


def test_zoomed_out_the_mirror_shows_each_painted_pixel_and_steps_aside_at_1_to_1(harness):
    w = InstanceSegmentation(gradient_image(W, H), labels=["Cat"])
    h = harness(w)
    h.wait_for_canvas()
    wait_for_mirrors(h, True)
    state = canvases(h)
    assert not state["crowdseg-image"]["shown"] and not state["crowdseg-overlay"]["shown"]
    scale_width = state["mirror-overlay"]["width"]
    assert isinstance(scale_width, int) and 0 < scale_width < W

    h.set_radius(30)
    with h.expect_save():
        h.stroke([(200, 200), (1600, 1200)], steps=8)
    rgba = h.canvas_rgba("#root canvas.crowdseg-mirror", nth=1)  # the overlay's, drawn
    mh, mw = rgba.shape[:2]
    # Each mirror pixel shows the label pixel nearest its centre.
    # The same float steps as the page: (m + 0.5) / (mirror pixels per label pixel).
    sx = np.minimum(W - 1, np.floor((np.arange(mw) + 0.5) / (mw / W)).astype(int))
    sy = np.minimum(H - 1, np.floor((np.arange(mh) + 0.5) / (mh / H)).astype(int))
    painted = w.label_map[np.ix_(sy, sx)] == 1
    assert painted.sum() > 1000
    np.testing.assert_array_equal(rgba[..., 3] == 255, painted)
    np.testing.assert_array_equal(rgba[painted][:, :3], np.tile(GREEN, (int(painted.sum()), 1)))
    assert (rgba[~painted] == 0).all()

    # Panned (middle drag), the mirrors still cover exactly where the image is.
    before = h.canvas_box()
    h.page.mouse.move(before["x"] + 200, before["y"] + 200)
    h.page.mouse.down(button="middle")
    h.page.mouse.move(before["x"] + 130, before["y"] + 150, steps=3)
    h.page.mouse.up(button="middle")
    after = h.canvas_box()
    assert (after["x"] - before["x"], after["y"] - before["y"]) == pytest.approx((-70, -50), abs=1)
    for mirror in h.page.locator("#root canvas.crowdseg-mirror").all():
        box = mirror.bounding_box()
        assert box is not None
        for key in ("x", "y", "width", "height"):
            assert box[key] == pytest.approx(after[key], abs=1), key

    h.click("button.crowdseg-zoom-100")
    wait_for_mirrors(h, False)
    state = canvases(h)
    assert state["crowdseg-image"]["shown"] and state["crowdseg-overlay"]["shown"]
    assert h.page_errors() == []
