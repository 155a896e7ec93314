"""Painting with the mouse on the built widget gives exact masks in Python (harness tier)."""

from __future__ import annotations

import numpy as np
import pytest

from crowdseg_widget import InstanceSegmentation
from reference_raster import bbox, stroke_mask

from .scene import H, W, gradient_image

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]


@pytest.fixture
def painted(h):
    """`widget` at 1:1 with one radius-3 brush stroke from (40, 50) to (120, 50)."""
    h.set_radius(3)
    with h.expect_save():
        h.stroke([(40, 50), (120, 50)])
    return h


def test_a_brush_stroke_paints_exactly_its_footprint(painted, widget):
    masks = widget.masks
    assert masks.shape == (1, H, W)
    # 81 stamps of the r=3 footprint in a row: rows of 87, 87, 87, 85, 85, 83, 83 pixels.
    assert masks[0].sum() == 7 * 81 + 30 == 597
    assert bbox(masks[0]) == (37, 47, 123, 53)
    np.testing.assert_array_equal(masks[0], stroke_mask(W, H, [(40, 50), (120, 50)], 3))
    assert widget.annotation.labels == ["Cat"]
    assert widget.value["instances"] == [{"color": "#2ca02c", "label": "Cat"}]
    assert painted.page_errors() == []


def test_the_eraser_removes_exactly_its_footprint(painted, widget):
    painted.click('button.crowdseg-tool[data-tool="eraser"]')
    painted.set_radius(2)
    with painted.expect_save():
        painted.stroke([(80, 40), (80, 60)])

    expected = stroke_mask(W, H, [(40, 50), (120, 50)], 3) & ~stroke_mask(
        W, H, [(80, 40), (80, 60)], 2
    )
    mask = widget.masks[0]
    assert mask.sum() == 597 - 5 * 7  # columns 78..82 cut out of rows 47..53
    np.testing.assert_array_equal(mask, expected)
    assert not mask[:, 78:83].any()


def test_a_second_instance_of_another_label_gets_its_own_mask(painted, widget):
    with painted.expect_save():  # adding an instance syncs on its own
        painted.click('.crowdseg-label[data-label="Dog"] .crowdseg-add-instance')
    painted.set_radius(0)
    with painted.expect_save():
        painted.stroke([(100, 20), (100, 120)])  # crosses the cat: the later paint wins there

    cat = stroke_mask(W, H, [(40, 50), (120, 50)], 3)
    dog = stroke_mask(W, H, [(100, 20), (100, 120)], 0)
    masks = widget.masks
    assert masks.shape == (2, H, W)
    assert dog.sum() == 101
    np.testing.assert_array_equal(masks[1], dog)
    np.testing.assert_array_equal(masks[0], cat & ~dog)
    assert masks[0].sum() == 597 - 7
    assert widget.annotation.labels == ["Cat", "Dog"]
    assert [i["color"] for i in widget.value["instances"]] == ["#2ca02c", "#1f77b4"]
    label_map = widget.label_map
    assert label_map[50, 100] == 2 and label_map[50, 99] == 1 and label_map[10, 100] == 0


def test_python_edits_reach_the_open_view(painted, widget):
    """Python replaces the annotation; the page reloads it and later strokes build on it."""
    square = np.zeros((H, W), bool)
    square[100:110, 10:20] = True
    assert widget.add_instance("Dog", square) == 2
    overlay = painted.canvas_rgba("canvas.crowdseg-overlay")  # pushes the change first
    assert (overlay[..., 3] > 0).sum() == 597 + 100

    # Erase half of the Python-made square in the page.
    painted.click('button.crowdseg-tool[data-tool="eraser"]')
    painted.set_radius(2)
    with painted.expect_save():
        painted.stroke([(12, 100), (12, 109)])  # covers columns 10..14 of rows 100..109
    masks = widget.masks
    assert masks.shape == (2, H, W)
    assert masks[0].sum() == 597
    assert masks[1].sum() == 50 and masks[1][100:110, 15:20].all()


def test_reassigned_labels_and_header_show_in_the_open_view(harness, widget):
    h = harness(widget)
    h.wait_for_canvas()
    widget.labels = ["Cat", "Dog", "Bird"]
    widget.header = "Paint the birds too"
    h.push()
    labels = h.page.locator(".crowdseg-label").evaluate_all(
        "els => els.map((el) => el.dataset.label)"
    )
    assert labels == ["Cat", "Dog", "Bird"]
    assert h.page.locator(".crowdseg-header").text_content() == "Paint the birds too"


def test_instructions_show_beside_the_canvas_and_the_full_ones_open_on_demand(harness):
    widget = InstanceSegmentation(
        gradient_image(),
        labels=["<b>Cat</b>"],
        header="<i>not markup</i>",
        short_instructions="<p class='mine'>Paint <b>every</b> cat</p>",
        full_instructions="<h3 class='rules'>Rules</h3>",
    )
    h = harness(widget)
    h.wait_for_canvas()
    page = h.page
    # Author HTML goes in as HTML; data (header, labels) only ever as text.
    assert page.locator(".crowdseg-short-instructions p.mine b").text_content() == "every"
    assert page.locator(".crowdseg-header").text_content() == "<i>not markup</i>"
    assert page.locator('.crowdseg-label[data-label="<b>Cat</b>"] b').count() == 0
    full = page.locator(".crowdseg-full-instructions")
    assert full.is_hidden()
    h.click(".crowdseg-full-instructions-button")
    assert full.is_visible() and full.locator("h3.rules").text_content() == "Rules"
    page.keyboard.press("Escape")
    assert full.is_hidden()
    h.click(".crowdseg-full-instructions-button")
    full.locator(".crowdseg-close").click()
    assert full.is_hidden()
    assert h.page_errors() == []


def test_a_view_opened_after_a_delete_does_not_reuse_the_deleted_color(harness, widget):
    widget.add_instance("Cat")
    widget.remove_instance(1)  # "#2ca02c" is gone, but was used in this image
    h = harness(widget)
    h.wait_for_canvas()
    with h.expect_save():
        h.click('.crowdseg-label[data-label="Dog"] .crowdseg-add-instance')
    assert widget.value["instances"] == [{"color": "#1f77b4", "label": "Dog"}]
