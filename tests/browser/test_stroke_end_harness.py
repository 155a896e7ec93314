"""At 12 MP a fill of most of the image and its undo and redo reach the kernel exactly (harness).

The undo step is runs of ids before and after the action (js/core/undo.ts),
and the kernel is sent the step's own runs: a fill around an outline at
4000 x 3000 is checked pixel for pixel in Python after the fill, its undo,
its redo and undoing everything, with the worker's PNG held back, so the
patches bring each state (on a slow machine the view stops waiting for a
silent worker after 15 s and sends a value from the main thread: the map
must be exact either way).
"""

from __future__ import annotations

import numpy as np
import pytest

from crowdseg_widget import InstanceSegmentation
from reference_raster import flood_region, stroke_mask

from .harness import Harness
from .scene import gradient_image

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]

W, H = 4000, 3000

# The real worker, whose replies never arrive: the patches change the kernel's map.
HELD_WORKER = """
const Native = window.Worker;
window.Worker = class extends Native {
  set onmessage(handler) { super.onmessage = () => {}; }
};
"""

# A closed ring around most of the image, in image pixels.
RING = [
    (2000 + int(1700 * np.cos(t)), 1500 + int(1250 * np.sin(t)))
    for t in np.linspace(0, 2 * np.pi, 61)
]


def check(h: Harness, widget: InstanceSegmentation, expected: np.ndarray) -> None:
    h.wait_until_saved(timeout=60_000)
    np.testing.assert_array_equal(widget.label_map, expected)


def test_a_12_mp_fill_its_undo_and_redo_are_exact_in_python(harness):
    widget = InstanceSegmentation(gradient_image(W, H), labels=["Cat", "Dog"])
    h = harness(widget, init_script=HELD_WORKER)
    h.wait_for_canvas(timeout=60_000)
    h.set_radius(6)
    h.stroke(RING)
    ring = stroke_mask(W, H, RING, 6).astype(np.uint8)
    check(h, widget, ring)
    h.keys("f")
    h.stroke([(10, 10)])  # outside the ring: the background around it, most of the image
    outside = flood_region(ring, 10, 10)
    filled = np.where(outside, 1, ring).astype(np.uint8)
    assert outside.mean() > 0.3
    check(h, widget, filled)
    h.keys("Control+z")
    check(h, widget, ring)
    h.keys("Control+Shift+z")
    check(h, widget, filled)
    h.keys("Control+z", "Control+z")
    check(h, widget, np.zeros((H, W), np.uint8))
    assert h.page_errors() == []
