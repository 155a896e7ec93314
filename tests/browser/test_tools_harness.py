"""The painter's tools driven with the mouse and keys; exact masks read in Python (harness tier)."""

from __future__ import annotations

import numpy as np
import pytest

from reference_raster import bbox, flood_region, polygon_mask, stroke_mask

from .harness import INPUT_CANVAS, Harness
from .scene import H, W

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]


def tool(h: Harness, name: str) -> None:
    h.click(f'button.crowdseg-tool[data-tool="{name}"]')


def click_pixel(h: Harness, x: int, y: int) -> None:
    h.page.mouse.click(*h.to_screen(x, y))


def add_instance(h: Harness, label: str) -> None:
    with h.expect_save():
        h.click(f'.crowdseg-label[data-label="{label}"] .crowdseg-add-instance')


def selected_id(h: Harness) -> int:
    return int(h.page.locator(".crowdseg-instance.is-selected").get_attribute("data-instance-id"))


def test_polygon_closed_on_its_first_vertex_fills_exactly_its_area(h, widget):
    tool(h, "polygon")
    for x, y in [(20, 20), (80, 20), (80, 60), (20, 60)]:
        click_pixel(h, x, y)
    with h.expect_save():  # within a few screen pixels of the first vertex
        click_pixel(h, 21, 21)
    mask = widget.masks[0]
    assert mask.sum() == 60 * 40  # half-open: columns 20..79, rows 20..59
    assert mask[20:60, 20:80].all()
    assert widget.value["instances"] == [{"color": "#2ca02c", "label": "Cat"}]


def test_polygon_keys_enter_backspace_escape(h, widget):
    tool(h, "polygon")
    for x, y in [(10, 10), (60, 90), (5, 140)]:
        click_pixel(h, x, y)
    h.keys("Escape")  # dropped: nothing painted
    for x, y in [(100, 20), (180, 20), (190, 140), (100, 100)]:
        click_pixel(h, x, y)
    h.keys("Backspace")  # the last vertex goes: a triangle is left
    with h.expect_save():
        h.keys("Enter")
    expected = polygon_mask(W, H, [(100, 20), (180, 20), (190, 140)])
    assert widget.masks.shape == (1, H, W)
    np.testing.assert_array_equal(widget.masks[0], expected)
    assert expected.sum() == 4850  # the shoelace area is 4800
    assert h.page_errors() == []


def test_fill_bucket_fills_the_4_connected_region_of_the_clicked_id(h, widget):
    h.set_radius(1)
    ring = [(30, 30), (90, 30), (90, 90), (30, 90), (30, 30)]
    with h.expect_save():
        h.stroke(ring)
    before = widget.label_map.copy()
    add_instance(h, "Dog")
    tool(h, "fill")
    with h.expect_save():
        click_pixel(h, 60, 60)
    inside = flood_region(before, 60, 60)
    assert inside.sum() == 57 * 57  # the square ring of width 3 leaves 32..88 free
    np.testing.assert_array_equal(widget.masks[1], inside)
    np.testing.assert_array_equal(widget.masks[0], before == 1)

    # Filling the ring itself with the Dog: the ring's pixels, all of them, and nothing else.
    with h.expect_save():
        click_pixel(h, 30, 60)
    np.testing.assert_array_equal(widget.masks[1], inside | (before == 1))
    assert widget.masks[0].sum() == 0


def test_preserve_mode_changes_only_background_and_the_selected_instance(h, widget):
    h.set_radius(3)
    with h.expect_save():
        h.stroke([(20, 50), (180, 50)])
    cat = widget.masks[0].copy()
    h.click("input.crowdseg-preserve")
    add_instance(h, "Dog")
    h.set_radius(2)
    with h.expect_save():
        h.stroke([(100, 10), (100, 140)])
    dog = stroke_mask(W, H, [(100, 10), (100, 140)], 2)
    np.testing.assert_array_equal(widget.masks[0], cat)  # untouched
    np.testing.assert_array_equal(widget.masks[1], dog & ~cat)

    # The eraser, preserving, erases only the selected (Dog) instance.
    tool(h, "eraser")
    with h.expect_save():
        h.stroke([(60, 40), (140, 60)])
    erased = stroke_mask(W, H, [(60, 40), (140, 60)], 2)
    np.testing.assert_array_equal(widget.masks[0], cat)
    np.testing.assert_array_equal(widget.masks[1], dog & ~cat & ~erased)

    # A polygon over the Cat, preserving: only background around it becomes Dog.
    tool(h, "polygon")
    for x, y in [(10, 45), (40, 45), (40, 70)]:
        click_pixel(h, x, y)
    with h.expect_save():
        h.keys("Enter")
    tri = polygon_mask(W, H, [(10, 45), (40, 45), (40, 70)])
    np.testing.assert_array_equal(widget.masks[0], cat)
    np.testing.assert_array_equal(widget.masks[1], (dog & ~cat & ~erased) | (tri & ~cat))

    # The fill bucket on the Cat while preserving changes nothing.
    tool(h, "fill")
    with h.expect_save():
        click_pixel(h, 25, 50)
    np.testing.assert_array_equal(widget.masks[0], cat)


def test_undo_and_redo_restore_the_exact_label_maps(h, widget):
    empty = widget.label_map.copy()
    h.set_radius(4)
    with h.expect_save():
        h.stroke([(20, 20), (150, 100)])
    first = widget.label_map.copy()
    add_instance(h, "Dog")
    with h.expect_save():
        h.stroke([(20, 100), (150, 20)])
    second = widget.label_map.copy()
    tool(h, "fill")
    with h.expect_save():
        click_pixel(h, 5, 140)
    third = widget.label_map.copy()
    h.click('.crowdseg-instance[data-instance-id="1"] .crowdseg-instance-select')
    assert selected_id(h) == 1

    with h.expect_save():
        h.keys("Control+z")
    np.testing.assert_array_equal(widget.label_map, second)
    with h.expect_save():
        h.keys("Control+z")
    np.testing.assert_array_equal(widget.label_map, first)
    assert selected_id(h) == 1  # undo never changes the selection
    with h.expect_save():
        h.keys("Control+Shift+z")
    np.testing.assert_array_equal(widget.label_map, second)
    with h.expect_save():
        h.keys("Control+y")
    np.testing.assert_array_equal(widget.label_map, third)
    with h.expect_save():
        h.click("button.crowdseg-undo")
    with h.expect_save():
        h.click("button.crowdseg-undo")
    with h.expect_save():
        h.click("button.crowdseg-undo")
    np.testing.assert_array_equal(widget.label_map, empty)
    assert h.page.locator("button.crowdseg-undo").is_disabled()
    with h.expect_save():
        h.click("button.crowdseg-redo")
    np.testing.assert_array_equal(widget.label_map, first)
    assert selected_id(h) == 1
    # Both instances stay listed: undo reverts pixels, not "add instance".
    assert len(widget.value["instances"]) == 2


def test_delete_relabel_hide_reach_the_value_and_png(h, widget):
    h.set_radius(2)
    with h.expect_save():
        h.stroke([(20, 30), (180, 30)])
    add_instance(h, "Dog")
    with h.expect_save():
        h.stroke([(20, 80), (180, 80)])
    add_instance(h, "Cat")
    with h.expect_save():
        h.stroke([(20, 120), (180, 120)])
    before = widget.label_map.copy()
    counts = [int(c) for c in np.bincount(before.ravel(), minlength=4)[1:]]
    shown = h.page.locator(".crowdseg-instance .crowdseg-pixel-count").all_text_contents()
    assert shown == [f"{counts[0]} px", f"{counts[2]} px", f"{counts[1]} px"]  # Cat 1, Cat 2, Dog 1

    # Hide is display only: the value keeps every instance and pixel.
    h.click('.crowdseg-instance[data-instance-id="2"] .crowdseg-hide')
    assert "is-hidden" in h.page.locator('.crowdseg-instance[data-instance-id="2"]').get_attribute(
        "class"
    )
    np.testing.assert_array_equal(widget.label_map, before)

    # Relabel instance 3 (a Cat) as Dog: same pixels and color, new label.
    relabel = h.page.locator('.crowdseg-instance[data-instance-id="3"] select.crowdseg-relabel')
    with h.expect_save():
        relabel.select_option("Dog")
    assert [i["label"] for i in widget.value["instances"]] == ["Cat", "Dog", "Dog"]
    np.testing.assert_array_equal(widget.label_map, before)

    # Delete the middle instance: its pixels become background, the third becomes id 2.
    with h.expect_save():
        h.click('.crowdseg-instance[data-instance-id="2"] .crowdseg-delete')
    assert widget.value["instances"] == [
        {"color": "#2ca02c", "label": "Cat"},
        {"color": "#ff7f0e", "label": "Dog"},
    ]
    expected = before.copy()
    expected[before == 2] = 0
    expected[before == 3] = 2
    np.testing.assert_array_equal(widget.label_map, expected)
    with h.expect_save():
        h.keys("Control+z")
    np.testing.assert_array_equal(widget.label_map, before)
    assert [i["color"] for i in widget.value["instances"]] == ["#2ca02c", "#1f77b4", "#ff7f0e"]
    # The relabel before it is a step of its own.
    with h.expect_save():
        h.keys("Control+z")
    assert [i["label"] for i in widget.value["instances"]] == ["Cat", "Dog", "Cat"]
    np.testing.assert_array_equal(widget.label_map, before)


def test_a_stroke_at_4x_zoom_after_panning_lands_under_the_cursor(h, widget):
    h.click("button.crowdseg-zoom-in")
    h.click("button.crowdseg-zoom-in")
    assert h.page.locator(".crowdseg-zoom-readout").text_content() == "400 %"
    box = h.canvas_box()
    assert (box["width"], box["height"]) == (4 * W, 4 * H)
    # Middle-drag pans by (40, 20) screen pixels; then space-drag by (-8, 12).
    stage = h.page.locator(".crowdseg-stage").bounding_box()
    cx, cy = stage["x"] + 100, stage["y"] + 75
    h.page.mouse.move(cx, cy)
    h.page.mouse.down(button="middle")
    h.page.mouse.move(cx + 40, cy + 20, steps=4)
    h.page.mouse.up(button="middle")
    h.page.focus(INPUT_CANVAS)
    h.page.keyboard.down(" ")
    h.page.mouse.move(cx, cy)
    h.page.mouse.down()
    h.page.mouse.move(cx - 8, cy + 12, steps=3)
    h.page.mouse.up()
    h.page.keyboard.up(" ")
    moved = h.canvas_box()
    assert (moved["x"] - box["x"], moved["y"] - box["y"]) == (32, 32)
    assert widget.value["instances"] == []  # panning painted nothing

    h.set_radius(2)
    with h.expect_save():
        h.stroke([(70, 62), (100, 80)], steps=6)
    np.testing.assert_array_equal(widget.masks[0], stroke_mask(W, H, [(70, 62), (100, 80)], 2))


def test_keyboard_shortcuts_and_help_never_reach_the_page(h, widget):
    h.page.evaluate(
        "window.__leaked = [];"
        "document.addEventListener('keydown', e => window.__leaked.push(e.key))"
    )
    h.keys("p")
    assert "is-active" in h.page.locator('button.crowdseg-tool[data-tool="polygon"]').get_attribute(
        "class"
    )
    h.keys("f", "e", "b")
    assert "is-active" in h.page.locator('button.crowdseg-tool[data-tool="brush"]').get_attribute(
        "class"
    )
    h.keys("]", "]", "[")
    assert h.page.locator("input.crowdseg-radius").input_value() == "6"
    with h.expect_save():  # label 2, a new Dog instance (syncs)
        h.keys("2", "n")
    assert widget.value["instances"] == [{"color": "#2ca02c", "label": "Dog"}]
    h.keys("h")
    assert "is-hidden" in h.page.locator(".crowdseg-instance.is-selected").get_attribute("class")
    h.keys("?")
    help_ = h.page.locator(".crowdseg-help")
    assert help_.is_visible()
    assert help_.locator("tr").count() >= 15
    tools = "b / e / p / f / w / x / k"  # brush, eraser, polygon, fill; wand and the assist tools
    for shortcut in ["Ctrl/Cmd + Z", "Space + drag, middle drag", tools, "[ / ]"]:
        assert help_.get_by_text(shortcut, exact=True).count() == 1
    h.page.keyboard.press("Escape")
    assert not help_.is_visible()
    assert h.page.evaluate("window.__leaked") == []


def test_the_brush_cursor_outlines_the_footprint_at_4x_zoom(h, widget):
    """The cursor's box is the footprint's 2r+1 pixels, on the image pixels under the pointer."""
    h.click("button.crowdseg-zoom-in")
    h.click("button.crowdseg-zoom-in")
    h.set_radius(5)
    h.page.mouse.move(*h.to_screen(100, 75))
    box = h.canvas_box()
    stage = h.page.locator(".crowdseg-stage").bounding_box()
    alpha = h.canvas_rgba("canvas.crowdseg-preview")[..., 3]
    x0, y0, x1, y1 = bbox(alpha > 0)
    mid = alpha[(alpha.shape[0] + 1) // 2, (alpha.shape[1] + 1) // 2]  # the page's Math.round
    # Footprint columns/rows 95..105 → screen edges at 4 * 95 and 4 * 106, plus the 3 px line.
    left = box["x"] - stage["x"] + 4 * 95
    top = box["y"] - stage["y"] + 4 * 70
    assert abs(x0 - (left - 1.5)) <= 1 and abs(x1 - (left + 44 + 1.5)) <= 1
    assert abs(y0 - (top - 1.5)) <= 1 and abs(y1 - (top + 44 + 1.5)) <= 1
    assert mid == 0  # an outline, not a filled disk


def overlay_pixels(h: Harness) -> int:
    """Opaque pixels of the instance overlay, after the next frames."""
    return int((h.canvas_rgba("canvas.crowdseg-overlay")[..., 3] > 0).sum())


def test_hidden_instances_and_the_outline_view_change_only_the_display(h, widget):
    tool(h, "polygon")
    for x, y in [(20, 20), (60, 20), (60, 50), (20, 50)]:
        click_pixel(h, x, y)
    with h.expect_save():
        h.keys("Enter")
    add_instance(h, "Dog")
    for x, y in [(100, 20), (150, 20), (150, 120), (100, 120)]:
        click_pixel(h, x, y)
    with h.expect_save():
        h.keys("Enter")
    value = widget.value
    assert overlay_pixels(h) == 40 * 30 + 50 * 100
    h.keys("h")  # hides the selected Dog
    assert overlay_pixels(h) == 40 * 30
    h.keys("o")  # outlines: the Cat rectangle's border pixels
    assert overlay_pixels(h) == 2 * 40 + 2 * 30 - 4
    both = (2 * 40 + 2 * 30 - 4) + (2 * 50 + 2 * 100 - 4)
    solo_cat = '.crowdseg-instance[data-instance-id="1"] .crowdseg-solo'
    h.click(solo_cat)  # the Cat is already alone: show everything again
    assert overlay_pixels(h) == both
    h.click(solo_cat)  # only the Cat
    assert overlay_pixels(h) == 2 * 40 + 2 * 30 - 4
    h.click('.crowdseg-instance[data-instance-id="2"] .crowdseg-hide')
    assert overlay_pixels(h) == both
    assert widget.value == value
