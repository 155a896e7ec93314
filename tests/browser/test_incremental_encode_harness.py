"""The worker re-deflates only the strips a stroke changed; Pillow still reads the exact buffer.

An image 2048 wide is cut into strips of 32 rows (js/core/stripPng.ts), so
strokes in different rows reuse the other strips' bytes from earlier encodes.
After every stroke the value Python received decodes (with Pillow, through
`label_map`) to exactly the strokes painted so far.
"""

from __future__ import annotations

import numpy as np
import pytest

from crowdseg_widget import InstanceSegmentation
from reference_raster import stroke_mask

from .scene import gradient_image

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]

W, H = 2048, 200
STROKES = [
    [(100, 20), (700, 24)],  # strip 0
    [(900, 100), (1300, 70)],  # strips 2 and 3
    [(1500, 180), (1900, 185)],  # strips 5 and 6 (the last, short)
    [(300, 40), (320, 150)],  # across strips 1 to 4, over the first stroke's strip edge
]


def test_strokes_in_different_strips_each_arrive_exactly(harness):
    widget = InstanceSegmentation(gradient_image(W, H), labels=["Cat"])
    h = harness(widget)
    h.wait_for_canvas()
    h.set_radius(6)
    expected = np.zeros((H, W), np.uint8)
    for points in STROKES:
        with h.expect_save():
            h.stroke(points)
        expected[stroke_mask(W, H, points, 6)] = 1
        np.testing.assert_array_equal(widget.label_map, expected)
    assert h.page_errors() == []
