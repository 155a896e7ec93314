"""Reviewing predictions in the built widget, and Python driving it (harness tier).

Three predictions on a 200x150 image, no overlaps:
A "Cat" rows 20..59, columns 20..69 (2000 px), B "Dog" rows 80..119, columns
100..159 (2400 px), C "Cat" rows 20..49, columns 120..179 (1800 px).
"""

from __future__ import annotations

import numpy as np
import pytest

from crowdseg_widget import InstanceSegmentation
from reference_raster import stroke_mask

from .harness import Harness, set_radius, stroke, to_screen
from .scene import gradient_image

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]

W, H = 200, 150
A, B, C = "#2ca02c", "#1f77b4", "#ff7f0e"
# The changes layer's colors (js/core/review.ts), RGBA.
ADDED, REMOVED, MOVED = (0, 200, 60, 255), (230, 0, 230, 255), (255, 180, 0, 255)


def prediction_masks() -> np.ndarray:
    masks = np.zeros((3, H, W), bool)
    masks[0, 20:60, 20:70] = True
    masks[1, 80:120, 100:160] = True
    masks[2, 20:50, 120:180] = True
    return masks


def start_masks() -> np.ndarray:
    return prediction_masks()


@pytest.fixture
def widget() -> InstanceSegmentation:
    return InstanceSegmentation.from_predictions(
        gradient_image(), prediction_masks(), ["Cat", "Dog", "Cat"], classes=["Cat", "Dog"]
    )


@pytest.fixture
def view(h: Harness) -> Harness:
    """This module's `widget` mounted at 1:1 (the conftest's `h`)."""
    return h


def rows(h: Harness, root: str = "#root") -> list[tuple[str, str | None]]:
    """(instance id, review state or None) of each instance row, in panel order."""
    h.push()
    found = h.page.locator(f"{root} .crowdseg-instance").evaluate_all(
        "els => els.map((el) => [el.dataset.instanceId, el.dataset.reviewState ?? null])"
    )
    return [(i, state) for i, state in found]


def row(h: Harness, instance: int, root: str = "#root") -> str:
    return f'{root} .crowdseg-instance[data-instance-id="{instance}"]'


def canvas_colors(h: Harness, selector: str) -> dict[tuple[int, ...], int]:
    """Pixels per RGBA color of a canvas (transparent ones left out), after the next frames."""
    pixels = h.canvas_rgba(selector).reshape(-1, 4)
    colors, counts = np.unique(pixels[pixels[:, 3] > 0], axis=0, return_counts=True)
    return {tuple(int(v) for v in c): int(n) for c, n in zip(colors, counts, strict=True)}


def rgba(color: str) -> tuple[int, int, int, int]:
    return (int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16), 255)


def select(h: Harness, instance: int, root: str = "#root") -> None:
    h.click(f"{row(h, instance, root)} .crowdseg-swatch")


def test_predictions_start_unreviewed_with_accept_and_reject(view, widget):
    assert widget._initial_value == widget.value
    assert rows(view) == [("1", "unreviewed"), ("3", "unreviewed"), ("2", "unreviewed")]
    assert view.page.locator("#root .crowdseg-accept").count() == 3
    assert view.page.locator("#root .crowdseg-reject").count() == 3
    summary = view.page.locator(".crowdseg-review-summary").text_content()
    assert summary == "3 unreviewed · 0 accepted · 0 rejected · 0 edited"
    assert widget.review_states == {}
    assert view.page_errors() == []


def test_rejecting_removes_the_instance_and_its_pixels(view, widget):
    view.click(f"{row(view, 2)} button.crowdseg-reject")
    view.wait_until_saved(lambda: widget.value["instances"] == [
        {"color": A, "label": "Cat"}, {"color": C, "label": "Cat"}])  # fmt: skip
    masks = widget.masks
    np.testing.assert_array_equal(masks, start_masks()[[0, 2]])
    assert widget.review_states == {B: "rejected"}
    dog = widget.review.instances[1]
    assert (dog.state, dog.iou, dog.pixels_removed, dog.current_index) == (
        "rejected",
        0.0,
        2400,
        None,
    )
    assert widget.review.counts() == {"unreviewed": 2, "accepted": 0, "rejected": 1, "edited": 0}
    # C moved up to id 2 and kept its state; the overlay no longer shows the dog.
    assert rows(view) == [("1", "unreviewed"), ("2", "unreviewed")]
    overlay = canvas_colors(view, "#root canvas.crowdseg-overlay")
    assert overlay == {rgba(A): 2000, rgba(C): 1800}


def test_undoing_a_rejection_brings_the_prediction_back_unreviewed(view, widget):
    view.click(f"{row(view, 1)} button.crowdseg-accept")
    view.click(f"{row(view, 1)} button.crowdseg-reject")
    view.wait_until_saved(lambda: widget.review_states == {A: "rejected"})
    assert len(widget.value["instances"]) == 2
    view.click("button.crowdseg-undo")
    view.wait_until_saved(lambda: widget.review_states == {A: "accepted"})
    np.testing.assert_array_equal(widget.masks, start_masks())
    assert rows(view) == [("1", "accepted"), ("3", "unreviewed"), ("2", "unreviewed")]


def test_accepting_is_sent_to_python(view, widget):
    view.click(f"{row(view, 1)} button.crowdseg-accept")
    view.wait_until_saved(lambda: widget.review_states == {A: "accepted"})
    assert [r.state for r in widget.review.instances] == ["accepted", "unreviewed", "unreviewed"]
    assert rows(view)[0] == ("1", "accepted")
    assert view.page.locator(f"{row(view, 1)} button.crowdseg-accept").count() == 0
    assert "1 accepted" in view.page.locator(".crowdseg-review-summary").text_content()


def test_painting_into_predictions_marks_them_edited_with_exact_iou(view, widget):
    select(view, 3)  # C
    view.set_radius(0)
    view.stroke([(60, 40), (119, 40)])  # 10 px taken from A, 50 px of background
    view.wait_until_saved(lambda: widget.review_states == {A: "edited", C: "edited"})
    a, b, c = widget.review.instances
    assert (a.state, a.iou, a.pixels_added, a.pixels_removed) == ("edited", 1990 / 2000, 0, 10)
    assert (b.state, b.iou) == ("unreviewed", 1.0)
    assert (c.state, c.iou, c.pixels_added, c.pixels_removed) == ("edited", 1800 / 1860, 60, 0)
    assert rows(view) == [("1", "edited"), ("3", "edited"), ("2", "unreviewed")]
    # An edited prediction has no accept button (the edit is the review); reject stays.
    assert view.page.locator(f"{row(view, 1)} button.crowdseg-accept").count() == 0
    assert view.page.locator(f"{row(view, 1)} button.crowdseg-reject").count() == 1


def test_accept_all_accepts_only_the_unreviewed(view, widget):
    select(view, 3)
    view.set_radius(0)
    view.stroke([(100, 30), (119, 30)])  # C grows by 20 px
    view.wait_until_saved(lambda: widget.review_states == {C: "edited"})
    view.click("button.crowdseg-accept-all")
    view.wait_until_saved(
        lambda: widget.review_states == {A: "accepted", B: "accepted", C: "edited"}
    )
    assert widget.review.instances[2].iou == 1800 / 1820
    assert view.page.locator("button.crowdseg-accept-all").is_disabled()
    summary = view.page.locator(".crowdseg-review-summary").text_content()
    assert summary == "0 unreviewed · 2 accepted · 0 rejected · 1 edited"


def test_show_changes_overlays_added_removed_and_moved_pixels(view, widget):
    layer = "#root canvas.crowdseg-changes"
    assert view.page.locator(layer).is_hidden()
    view.click("button.crowdseg-show-changes")
    assert view.page.locator(layer).is_visible()
    assert view.page.locator("button.crowdseg-show-changes").get_attribute("aria-pressed") == "true"
    assert canvas_colors(view, layer) == {}

    select(view, 3)
    view.set_radius(0)
    view.stroke([(60, 40), (119, 40)])  # while shown: only the stroke's rect is rendered
    assert canvas_colors(view, layer) == {ADDED: 50, MOVED: 10}
    view.click(f"{row(view, 2)} button.crowdseg-reject")
    view.wait_until_saved(lambda: widget.review_states.get(B) == "rejected")
    assert canvas_colors(view, layer) == {ADDED: 50, MOVED: 10, REMOVED: 2400}

    view.click("button.crowdseg-show-changes")
    assert view.page.locator(layer).is_hidden()
    assert view.page_errors() == []


def test_python_edits_show_in_the_open_view_and_keep_zoom_tool_radius_and_selection(view, widget):
    select(view, 3)  # C
    view.click('button.crowdseg-tool[data-tool="eraser"]')
    view.set_radius(1)
    view.click("button.crowdseg-zoom-in")
    zoom = view.page.locator(".crowdseg-zoom-readout").text_content()
    zoomed_box = view.canvas_box()
    assert zoom != "100 %" and zoomed_box["width"] > W

    square = np.zeros((H, W), bool)
    square[130:140, 10:20] = True
    assert widget.add_instance("Dog", square) == 4
    view.push()
    assert rows(view) == [
        ("1", "unreviewed"),
        ("3", "unreviewed"),
        ("2", "unreviewed"),
        ("4", None),
    ]
    assert canvas_colors(view, "#root canvas.crowdseg-overlay")[(214, 39, 40, 255)] == 100

    widget.remove_instance(1)  # A: the view reports it rejected, C is id 2 now
    view.wait_until_saved(lambda: widget.review_states == {A: "rejected"})
    assert rows(view) == [("2", "unreviewed"), ("1", "unreviewed"), ("3", None)]
    assert view.page.locator(f"{row(view, 2)}.is-selected").count() == 1  # still C

    widget.relabel(1, "Cat")  # B, the dog, becomes a cat
    view.push()
    cats = view.page.locator('.crowdseg-label[data-label="Cat"] .crowdseg-instance')
    assert cats.evaluate_all("els => els.map((el) => el.dataset.instanceId)") == ["1", "2"]

    # Zoom, tool and radius survived: an r=1 eraser stroke across C and B.
    assert view.page.locator(".crowdseg-zoom-readout").text_content() == zoom
    assert view.canvas_box() == zoomed_box
    view.stroke([(130, 45), (130, 85)])  # inside the zoomed view
    erased = stroke_mask(W, H, [(130, 45), (130, 85)], 1)
    view.wait_until_saved(lambda: widget.masks[1].sum() == 1800 - (erased & start_masks()[2]).sum())
    np.testing.assert_array_equal(widget.masks[0], start_masks()[1] & ~erased)
    np.testing.assert_array_equal(widget.masks[1], start_masks()[2] & ~erased)
    np.testing.assert_array_equal(widget.masks[2], square)
    assert view.page.locator('button.crowdseg-tool[data-tool="eraser"].is-active').count() == 1
    assert view.page.locator("input.crowdseg-radius").input_value() == "1"


def test_python_clear_rejects_everything_and_painting_starts_over(view, widget):
    widget.clear()
    view.wait_until_saved(
        lambda: widget.review_states == {A: "rejected", B: "rejected", C: "rejected"}
    )
    assert rows(view) == []
    assert canvas_colors(view, "#root canvas.crowdseg-overlay") == {}
    view.set_radius(2)
    view.stroke([(30, 100), (60, 100)])
    view.wait_until_saved(lambda: len(widget.value["instances"]) == 1)
    # A fresh color: the three starting colors are never handed out again.
    assert widget.value["instances"] == [{"color": "#d62728", "label": "Cat"}]
    np.testing.assert_array_equal(widget.masks[0], stroke_mask(W, H, [(30, 100), (60, 100)], 2))
    assert [n.color for n in widget.review.new_instances] == ["#d62728"]


def test_two_views_of_one_model_stay_in_sync(view, widget):
    second = view.add_view()
    box = view.page.locator(f"{second} canvas.crowdseg-input")
    box.scroll_into_view_if_needed()
    view.page.wait_for_function(
        "sel => document.querySelector(sel)?.width === 200", arg=f"{second} canvas.crowdseg-input"
    )
    assert rows(view, second) == rows(view)

    # A stroke in the second view reaches Python and the first view.
    view.page.locator(f"{row(view, 2, second)} .crowdseg-swatch").click()
    set_radius(view.page.locator(f"{second} input.crowdseg-radius"), 0)
    rect = box.bounding_box()
    assert rect is not None
    stroke(view.page, [to_screen(rect, W, H, 150, 100), to_screen(rect, W, H, 150, 130)])
    view.wait_until_saved(lambda: widget.review_states == {B: "edited"})
    assert widget.masks[1].sum() == 2400 + 11  # rows 120..130 of column 150
    assert rows(view) == [("1", "unreviewed"), ("3", "unreviewed"), ("2", "edited")]
    first = canvas_colors(view, "#root canvas.crowdseg-overlay")
    assert first == canvas_colors(view, f"{second} canvas.crowdseg-overlay")
    assert first[rgba(B)] == 2411

    # Rejecting in the first view: the second follows.
    view.click(f"{row(view, 1)} button.crowdseg-reject")
    view.wait_until_saved(lambda: widget.review_states == {A: "rejected", B: "edited"})
    assert rows(view, second) == [("2", "unreviewed"), ("1", "edited")]
    assert canvas_colors(view, f"{second} canvas.crowdseg-overlay") == {
        rgba(B): 2411,
        rgba(C): 1800,
    }

    # And a Python edit reaches both.
    widget.remove_instance(2)
    view.wait_until_saved(
        lambda: widget.review_states == {A: "rejected", B: "edited", C: "rejected"}
    )
    assert rows(view) == rows(view, second) == [("1", "edited")]
    assert view.page_errors() == []
