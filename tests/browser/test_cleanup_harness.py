"""Cleanup per instance in the panel (fill holes, remove islands): exact pixels, one undo
step each, and the same rules as Python's `Annotation.fill_holes` / `remove_small`."""

from __future__ import annotations

import numpy as np
import pytest

from crowdseg_widget import Annotation
from reference_raster import stroke_mask

from .scene import H, W

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]

#: A square ring, radius-1 strokes around (60, 40)-(100, 80): a 37 x 37 hole inside.
RING = [(60, 40), (100, 40), (100, 80), (60, 80), (60, 40)]


def row(h, instance: int, action: str) -> str:
    return f'.crowdseg-instance[data-instance-id="{instance}"] .crowdseg-{action}'


def message(h) -> str:
    return h.page.locator(".crowdseg-panel-message").inner_text()


def set_island_size(h, pixels: int) -> None:
    h.page.locator("input.crowdseg-island-size").fill(str(pixels))


@pytest.fixture
def ring(h, widget):
    """Cat 1: the ring and a 1-pixel island at (150, 20); Dog 1: a 1-pixel dot inside the hole."""
    h.set_radius(1)
    with h.expect_save():
        h.stroke(RING)
    h.set_radius(0)
    with h.expect_save():
        h.stroke([(150, 20)])
    with h.expect_save():
        h.click('.crowdseg-label[data-label="Dog"] .crowdseg-add-instance')
    with h.expect_save():
        h.stroke([(80, 60)])
    return h


def test_fill_holes_fills_the_background_the_instance_encloses(ring, widget):
    before = widget.annotation
    ring_mask = stroke_mask(W, H, RING, 1)
    assert before.masks[0].sum() == ring_mask.sum() + 1 == 40 * 4 * 3 + 1

    with ring.expect_save():
        ring.click(row(ring, 1, "fill-holes"))

    after = widget.annotation
    assert after == before.fill_holes(1)  # the same rule as Python's
    hole = np.zeros((H, W), bool)
    hole[42:79, 62:99] = True  # inside the ring's 3-pixel-wide sides
    hole[60, 80] = False  # the dog's pixel stays the dog's
    np.testing.assert_array_equal(after.masks[0], ring_mask | hole | before.masks[0])
    assert after.masks[0].sum() == 481 + 37 * 37 - 1
    assert after.masks[1].sum() == 1 and after.label_map[60, 80] == 2
    assert message(ring) == ""

    ring.page.focus("canvas.crowdseg-input")
    with ring.expect_save():
        ring.page.keyboard.press("Control+z")
    assert widget.annotation == before  # one undo step brings back the exact map


def test_remove_islands_erases_regions_under_the_size(ring, widget):
    before = widget.annotation
    set_island_size(ring, 2)
    with ring.expect_save():
        ring.click(row(ring, 1, "remove-islands"))

    after = widget.annotation
    assert after == before.remove_small(2, 1)
    assert after.masks[0].sum() == before.masks[0].sum() - 1
    assert after.label_map[20, 150] == 0 and after.masks[1].sum() == 1  # the dog is not touched

    saves = ring.acks()
    ring.click(row(ring, 1, "remove-islands"))  # nothing under 2 px is left
    assert message(ring) == "Cat 1 has no islands under 2 px."
    ring.click(row(ring, 2, "fill-holes"))
    assert message(ring) == "Dog 1 has no holes to fill."
    set_island_size(ring, 0)
    ring.click(row(ring, 1, "remove-islands"))
    assert "must be a whole number of pixels, 1 or more" in message(ring)
    ring.frames()
    assert ring.acks() == saves  # nothing changed: nothing was sent
    assert widget.annotation == after


def noise(seed: int) -> Annotation:
    """Three instances scattered as noise: holes of every shape, islands of every size,
    holes touching the instance's box, instances inside other instances' holes."""
    rng = np.random.default_rng(seed)
    label_map = rng.choice(4, size=(H, W), p=[0.45, 0.25, 0.2, 0.1]).astype(np.uint8)
    label_map[:, :40] = np.where(rng.random((H, 40)) < 0.8, 1, label_map[:, :40])
    return Annotation(label_map, ["Cat", "Dog", "Cat"], ["#2ca02c", "#1f77b4", "#ff7f0e"])


@pytest.mark.parametrize("seed", [1, 2])
def test_the_views_cleanup_is_pythons_on_the_same_label_map(h, widget, seed):
    expected = noise(seed)
    widget.annotation = expected
    h.frames()
    set_island_size(h, 7)
    for instance in (1, 2, 3):
        expected = expected.fill_holes(instance)
        with h.expect_save():
            h.click(row(h, instance, "fill-holes"))
        np.testing.assert_array_equal(widget.label_map, expected.label_map)
        expected = expected.remove_small(7, instance)
        with h.expect_save():
            h.click(row(h, instance, "remove-islands"))
        np.testing.assert_array_equal(widget.label_map, expected.label_map)
    assert widget.annotation == expected
    assert h.page_errors() == []
