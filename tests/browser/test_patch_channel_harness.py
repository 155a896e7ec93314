"""A stroke's patch reaches the kernel ahead of its PNG value (harness tier, real Chromium).

Over 2 MP (MAIN_THREAD_PIXELS) the value is encoded in the worker; here the
worker's replies are held back, so only the patches can have brought the
strokes: the kernel's `label_map` must equal what was painted exactly, and
`value` read then must already be the value of that painting (built in the
kernel), never the one before. Released, the worker's PNG decodes to the
same map.
"""

from __future__ import annotations

import numpy as np
import pytest

from crowdseg_widget import Annotation, InstanceSegmentation
from reference_raster import flood_region, polygon_mask, stroke_mask

from .harness import Harness
from .scene import gradient_image

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]

W, H = 1600, 1400  # over MAIN_THREAD_PIXELS: the worker encodes

# The real worker, whose replies wait until window.__releaseWorker().
HELD_WORKER = """
window.__held = [];
window.__holding = true;
const Native = window.Worker;
window.Worker = class extends Native {
  set onmessage(handler) {
    super.onmessage = (event) => {
      if (window.__holding) window.__held.push(() => handler(event));
      else handler(event);
    };
  }
};
window.__releaseWorker = () => {
  window.__holding = false;
  for (const reply of window.__held.splice(0)) reply();
};
"""

OUTLINE = [
    (800 + int(600 * np.cos(t)), 700 + int(500 * np.sin(t))) for t in np.linspace(0, 6.3, 40)
]
TRIANGLE = [(100, 100), (700, 150), (300, 900)]


def check(h: Harness, widget: InstanceSegmentation, expected: np.ndarray) -> None:
    """The patches are in: the map, the masks and `value` are the painting, exactly."""
    h.wait_until_saved(timeout=30_000)
    np.testing.assert_array_equal(widget.label_map, expected)
    decoded = Annotation.from_value(widget.value).label_map  # built in the kernel, or the view's
    np.testing.assert_array_equal(decoded, expected)


def test_every_shape_and_its_undo_reaches_the_kernel_before_its_value(harness):
    widget = InstanceSegmentation(gradient_image(W, H), labels=["Cat"])
    h = harness(widget, init_script=HELD_WORKER)
    h.wait_for_canvas(timeout=30_000)
    h.set_radius(4)
    empty = np.zeros((H, W), np.uint8)
    h.stroke(OUTLINE)  # a thin outline crossing most rows
    outline = stroke_mask(W, H, OUTLINE, 4).astype(np.uint8)
    check(h, widget, outline)
    assert widget._stored_value["instances"] == []  # no PNG came: the patch brought it
    h.set_radius(60)
    h.stroke([(100, 1200), (1500, 1250)])  # a thick band
    band = np.maximum(outline, stroke_mask(W, H, [(100, 1200), (1500, 1250)], 60))
    check(h, widget, band)
    h.keys("p")
    for x, y in TRIANGLE:
        h.stroke([(x, y)])  # a click per vertex
    h.keys("Enter")
    polygon = np.maximum(band, polygon_mask(W, H, TRIANGLE))
    check(h, widget, polygon)
    h.keys("f")
    h.stroke([(1590, 10)])  # the background around everything: most of the image
    filled = np.where(flood_region(polygon, 1590, 10), 1, polygon).astype(np.uint8)
    assert filled.mean() > 0.5
    check(h, widget, filled)
    for undone in (polygon, band, outline, empty):
        h.keys("Control+z")
        check(h, widget, undone)
    h.keys("Control+Shift+z")
    check(h, widget, outline)
    assert widget._stored_value["instances"] == []

    h.page.evaluate("window.__releaseWorker()")
    h.wait_until_saved(until=lambda: not widget._live.ahead, timeout=30_000)
    stored = Annotation.from_value(widget._stored_value).label_map  # the view's own PNG
    np.testing.assert_array_equal(stored, outline)
    np.testing.assert_array_equal(widget.label_map, outline)
    assert h.page_errors() == []


def test_on_the_main_thread_the_patch_goes_first_then_the_value(harness):
    widget = InstanceSegmentation(gradient_image(400, 300), labels=["Cat"])
    h = harness(widget)
    h.wait_for_canvas()
    h.set_radius(5)
    seen: list[int] = []
    widget.on_change(lambda a: seen.append(int(a.label_map.sum())))
    points = [(20, 20), (380, 280)]
    with h.expect_save(until=lambda: not widget._live.ahead):
        h.stroke(points)
    expected = stroke_mask(400, 300, points, 5)
    sent = [sorted(save) for save in h.saves]
    assert sent[-2:] == [["_patches"], ["_value_image", "_value_patch", "value"]]
    np.testing.assert_array_equal(widget.label_map, expected)
    assert seen == [
        int(expected.sum())
    ]  # one change: the patch; the value that holds it is no news
    assert h.page_errors() == []
