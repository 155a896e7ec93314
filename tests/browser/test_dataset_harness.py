"""Labeling a dataset in the browser (harness tier): navigation, strokes saved, resume."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from crowdseg_widget import Annotation, InstanceSegmentation
from crowdseg_widget.datasets.labeler import label_images
from crowdseg_widget.datasets.store import LabelStore
from reference_raster import stroke_mask

from .harness import Harness
from .scene import H, W, gradient_image

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]

# The second image has another size, so a stroke can only land on the image it was made on.
W2, H2 = 160, 120


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "photos"
    root.mkdir()
    Image.fromarray(gradient_image()).save(root / "first.png")
    Image.fromarray(gradient_image()[:H2, :W2][::-1].copy()).save(root / "second.png")
    return root


def wait_for_image(h: Harness, width: int, height: int) -> None:
    """Python has moved and the view shows the image of that size."""
    h.push()
    h.page.wait_for_function(
        "([w, h]) => { const c = document.querySelector('canvas.crowdseg-input');"
        " return c !== null && c.width === w && c.height === h; }",
        arg=[width, height],
    )
    h.wait_for_canvas()


def position_text(h: Harness) -> str:
    h.push()
    return h.page.locator(".crowdseg-position").inner_text()


def test_two_images_labeled_with_next_and_previous_survive_a_restart(harness, folder, tmp_path):
    store = tmp_path / "labels"
    w = label_images(folder, ["Thing"], store=store)
    h = harness(w)
    h.wait_for_canvas()
    assert position_text(h) == "1 / 2, 0 done"
    assert not h.page.locator("button.crowdseg-previous").is_enabled()
    h.set_radius(2)
    first = [(20, 30), (90, 40)]
    with h.expect_save():
        h.stroke(first)

    with h.expect_save():
        h.click("button.crowdseg-next")
    wait_for_image(h, W2, H2)
    assert w.position == 1
    assert position_text(h) == "2 / 2, 1 done"
    assert h.page.locator("button.crowdseg-undo").is_disabled()  # the old image's history is gone

    # The stroke and the key right after it, without waiting: the view flushes the stroke first.
    second = [(100, 20), (100, 100)]
    with h.expect_save():
        h.stroke(second)
        h.page.keyboard.press(",")
    wait_for_image(h, W, H)
    assert w.position == 0
    assert h.page_errors() == []

    # A new kernel: a new session on the same store, a new view.
    again = label_images(folder, ["Thing"], store=store)
    # Leaving a painted image (next or previous) finishes it; all done: start at the first.
    assert again.counts() == {"done": 2, "skipped": 0, "open": 0, "unlabeled": 0}
    assert again.position == 0
    assert (again.annotation.label_map == 1).tolist() == stroke_mask(W, H, first, 2).tolist()
    h2 = harness(again)
    h2.wait_for_canvas()
    count = h2.page.locator(".crowdseg-instance .crowdseg-pixel-count").inner_text()
    assert count == f"{int(stroke_mask(W, H, first, 2).sum()):,} px"
    assert position_text(h2) == "1 / 2, 2 done"
    with h2.expect_save():
        h2.click("button.crowdseg-next")
    wait_for_image(h2, W2, H2)
    assert (again.annotation.label_map == 1).tolist() == stroke_mask(W2, H2, second, 2).tolist()
    count = h2.page.locator(".crowdseg-instance .crowdseg-pixel-count").inner_text()
    assert count == f"{int(stroke_mask(W2, H2, second, 2).sum()):,} px"


def test_skip_key_marks_the_image_skipped_and_moves_on(harness, folder, tmp_path):
    w = label_images(folder, ["Thing"], store=tmp_path / "labels")
    h = harness(w)
    h.wait_for_canvas()
    h.page.locator("canvas.crowdseg-input").focus()
    with h.expect_save():
        h.page.keyboard.press("s")
    wait_for_image(h, W2, H2)
    assert LabelStore(tmp_path / "labels").read("first.png").status == "skipped"
    assert position_text(h) == "2 / 2, 0 done, 1 skipped"


def test_a_single_image_widget_has_no_navigation_and_leaves_the_keys_alone(harness):
    w = InstanceSegmentation(gradient_image(), labels=["Thing"])
    h = harness(w)
    h.wait_for_canvas()
    assert h.page.locator(".crowdseg-navigation").is_hidden()
    handled = h.page.evaluate(
        "() => { const e = new KeyboardEvent('keydown',"
        " {key: '.', bubbles: true, cancelable: true});"
        " document.querySelector('canvas.crowdseg-input').dispatchEvent(e);"
        " return e.defaultPrevented; }"
    )
    assert handled is False


def test_the_view_follows_set_image_with_a_fresh_drawing(harness):
    """Python shows another image: new size, its own annotation, no undo, colors start over."""
    w = InstanceSegmentation(gradient_image(), labels=["Thing", "Other"])
    h = harness(w)
    h.wait_for_canvas()
    h.set_radius(1)
    with h.expect_save():
        h.stroke([(10, 10), (60, 10)])
    start = np.zeros((H2, W2), np.uint8)
    start[50:60, 50:70] = 1
    w.set_image(gradient_image()[:H2, :W2].copy(), initial_value=Annotation(start, ["Other"]))
    wait_for_image(h, W2, H2)
    assert h.page.locator("button.crowdseg-undo").is_disabled()
    assert h.page.locator(".crowdseg-instance .crowdseg-pixel-count").inner_text() == "200 px"
    h.page.keyboard.press("1")  # label "Thing": a new instance on the first stroke
    with h.expect_save():
        h.stroke([(5, 100), (40, 100)])
    expected = stroke_mask(W2, H2, [(5, 100), (40, 100)], 1)
    assert w.annotation.labels == ["Other", "Thing"]
    assert w.annotation.colors == ["#2ca02c", "#1f77b4"]  # the old image's colors are not "used"
    assert (w.annotation.label_map == 2).tolist() == expected.tolist()
    assert (w.annotation.label_map == 1).sum() == 200
    assert h.page_errors() == []


def test_python_moving_right_after_a_stroke_keeps_the_stroke_on_its_own_image(
    harness, folder, tmp_path
):
    """`goto` from Python while the stroke's value may still be on its way: wherever it is
    (sent, in the encoder, or not yet encoded), it ends up in the first image's entry."""
    store = tmp_path / "labels"
    w = label_images(folder, ["Thing"], store=store)
    h = harness(w)
    h.wait_for_canvas()
    h.set_radius(2)
    points = [(20, 100), (150, 100)]
    h.stroke(points)
    w.goto(1)  # no wait: the view learns of the move with the next push
    wait_for_image(h, W2, H2)
    saved = LabelStore(store)
    expected = stroke_mask(W, H, points, 2)

    def stored_stroke() -> bool:
        stored = saved.read("first.png")
        return stored is not None and np.array_equal(saved.decode(stored).label_map == 1, expected)

    h.wait_until_saved(stored_stroke)
    h.frames()
    h.wait_until_saved()  # and anything the view sent since
    assert w.value["instances"] == []  # nothing of it on the second image
    h.push()
    assert h.page.locator(".crowdseg-instance").count() == 0
    assert h.page_errors() == []


# A worker that takes every encode and never answers: the stroke is still unsent when
# the image changes, so the view must send it itself, addressed to the image it was made on.
SILENT_WORKER = """
window.Worker = class extends EventTarget {
  postMessage() {}
  terminate() {}
};
"""


def test_a_stroke_still_encoding_when_python_moves_is_rescued_to_its_image(harness, tmp_path):
    # The first image is over 2 MP (MAIN_THREAD_PIXELS, js/sync/valueSync.ts): its strokes go
    # to the worker.
    big_w, big_h = 1600, 1400
    folder = tmp_path / "photos"
    folder.mkdir()
    Image.fromarray(gradient_image(big_w, big_h)).save(folder / "first.png")
    Image.fromarray(gradient_image()[:H2, :W2]).save(folder / "second.png")
    store = tmp_path / "labels"
    w = label_images(folder, ["Thing"], store=store)
    h = harness(w, init_script=SILENT_WORKER)
    h.wait_for_canvas()
    h.set_radius(3)
    points = [(100, 100), (100, 1200)]
    h.stroke(points)
    h.frames()
    # Only the stroke's patch went (the kernel's label map has it); its value is "in the worker".
    h.wait_until_saved()
    assert [sorted(save) for save in h.saves] == [["_patches"]]
    assert w.label_map.tolist() == stroke_mask(big_w, big_h, points, 3).tolist()
    w.goto(1)
    wait_for_image(h, W2, H2)
    h.wait_until_saved(after=1)
    assert [sorted(save) for save in h.saves] == [["_patches"], ["_rescued_value"]]
    saved = LabelStore(store)
    mask = saved.decode(saved.read("first.png")).label_map == 1
    assert mask.tolist() == stroke_mask(big_w, big_h, points, 3).tolist()
    assert w.value["instances"] == []
    assert h.page_errors() == []
