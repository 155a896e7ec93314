"""A value over Jupyter's 10 MiB message limit: the view and Python are told, nothing is lost.

A label map of noise (255 instances, incompressible) makes a PNG whose value
is just over the limit. A small erase is then too big to send: the view says
so, Python's `_sync_error` says so, and the stroke stays in the view. Erasing
more brings the value under the limit, and Python receives both strokes.
"""

from __future__ import annotations

import numpy as np
import pytest

from crowdseg_widget import InstanceSegmentation
from crowdseg_widget.annotation import Annotation
from reference_raster import stroke_mask

from .harness import Harness

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]

# 8.1 M noise pixels: about 10.8 MB of Base64, over the 10 MiB (less 64 KiB) limit.
W, H = 3000, 2700
SMALL = [(1500, 300), (1560, 300)]
BIG = [[(20, 1200), (2980, 1200)], [(20, 1320), (2980, 1320)], [(20, 1440), (2980, 1440)]]


def erase(h: Harness, widget: InstanceSegmentation, points: list[tuple[int, int]]) -> None:
    """One eraser stroke, until its value (or the view's word that it is too big) arrived:
    its patch comes first."""
    before = len(h.saves)

    def answered() -> bool:
        return any("value" in save or "_sync_error" in save for save in h.saves[before:])

    with h.expect_save(until=answered, timeout=60_000):
        h.stroke(points)


def noise_widget(harness) -> tuple[InstanceSegmentation, Harness, np.ndarray]:
    """The noise annotation shown, the eraser at radius 20."""
    noise = np.random.default_rng(3).integers(1, 256, (H, W)).astype(np.uint8)
    widget = InstanceSegmentation(np.full((H, W, 3), 200, np.uint8), labels=["Cat"])
    widget.set_annotation(Annotation.from_label_map(noise, ["Cat"] * 255))
    h = harness(widget)
    h.wait_for_canvas(timeout=60_000)
    h.click('button.crowdseg-tool[data-tool="eraser"]')
    h.set_radius(20)
    return widget, h, noise


def test_a_value_over_the_message_limit_is_reported_and_the_painting_kept(harness):
    widget, h, noise = noise_widget(harness)
    erase(h, widget, SMALL)
    assert "10.0 MiB message limit" in widget._sync_error
    status = h.page.locator(".crowdseg-status")
    assert status.is_visible()
    assert "10.0 MiB message limit" in status.inner_text()
    # The stroke's patch did reach the kernel: its label map has the erase.
    small = np.where(stroke_mask(W, H, SMALL, 20), 0, noise)
    np.testing.assert_array_equal(widget.label_map, small)
    assert widget._stored_value["labeledImage"] != widget.value["labeledImage"]  # built here

    h.set_radius(50)
    for points in BIG:
        erase(h, widget, points)
    assert widget._sync_error == ""
    assert not status.is_visible()
    erased = stroke_mask(W, H, SMALL, 20)
    for points in BIG:
        erased |= stroke_mask(W, H, points, 50)
    np.testing.assert_array_equal(widget.label_map, np.where(erased, 0, noise))
    assert h.page_errors() == []


def test_raising_message_limit_sends_the_value_held_back(harness):
    """A server started with a larger websocket_max_message_size: raise `message_limit` to match."""
    widget, h, noise = noise_widget(harness)
    erase(h, widget, SMALL)
    assert "10.0 MiB message limit" in widget._sync_error
    with h.expect_save(timeout=60_000):  # pushes the new limit; the view sends what it held
        widget.message_limit = 32 * 2**20
    assert widget._sync_error == ""
    erased = stroke_mask(W, H, SMALL, 20)
    np.testing.assert_array_equal(widget.annotation.label_map, np.where(erased, 0, noise))
    assert not widget._live.ahead  # the value itself arrived
    assert h.page_errors() == []
