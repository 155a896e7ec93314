"""Sync integrity: 1,000 random edits through the real UI, then Python's `label_map` equals
the view's label buffer, pixel for pixel (harness tier, real Chromium).

Brush and eraser strokes of random radius, polygons, fills, undos, redos,
new instances and instance switches are driven with the mouse and keys in
random order, without waiting for saves; at checkpoints the page is left to
settle and both sides are compared. The view's buffer is read from the
overlay canvas, which is rendered from it with each instance's exact color
(opacity is CSS, so the pixels are exact), and mapped back to ids by the
colors the panel lists. Seeded: CROWDSEG_SYNC_SEED=<n> replays a run.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable

import numpy as np
import pytest

from crowdseg_widget import Annotation, InstanceSegmentation

from .harness import INPUT_CANVAS, Harness, stroke, to_screen
from .scene import H, W, gradient_image

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]

OPERATIONS = 1000
CHECKPOINT_EVERY = 250
SEED = int(os.environ.get("CROWDSEG_SYNC_SEED", "20261127"))
LABELS = ["Cat", "Dog", "Car"]

# The view's label buffer as drawn on the overlay: ids by the panel's colors (-1: unknown).
READ_VIEW = """() => {
  const canvas = document.querySelector('#root canvas.crowdseg-overlay');
  const rgba = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const rows = [...document.querySelectorAll('#root .crowdseg-instance[data-instance-id]')];
  const byColor = new Map(rows.map((r) => [r.dataset.color, Number(r.dataset.instanceId)]));
  const hex = (v) => v.toString(16).padStart(2, '0');
  const ids = new Array(canvas.width * canvas.height);
  for (let i = 0; i < ids.length; i++) {
    const [r, g, b, a] = rgba.subarray(4 * i, 4 * i + 4);
    ids[i] = a === 0 ? 0 : a === 255 ? byColor.get('#' + hex(r) + hex(g) + hex(b)) ?? -1 : -1;
  }
  const colors = rows.sort((p, q) => p.dataset.instanceId - q.dataset.instanceId)
    .map((r) => r.dataset.color);
  return { width: canvas.width, height: canvas.height, ids, colors };
}"""


class RandomEditor:
    """Drives random edits through the page as a user would (mouse, keys, panel clicks)."""

    def __init__(self, h: Harness, rng: random.Random) -> None:
        self.h, self.rng = h, rng
        self.log: list[str] = []
        self.box = h.canvas_box()
        self.instances = 0
        self.canvas_focused = False  # a press on the canvas focuses it; panel clicks do not

    def point(self) -> tuple[int, int]:
        return self.rng.randrange(W), self.rng.randrange(H)

    def screen(self, x: int, y: int) -> tuple[float, float]:
        return to_screen(self.box, W, H, x, y)

    def keys(self, *presses: str) -> None:
        if not self.canvas_focused:
            self.h.page.focus(INPUT_CANVAS)
            self.canvas_focused = True
        for press in presses:
            self.h.page.keyboard.press(press)

    def paint(self, tool_key: str) -> None:
        points = [self.point() for _ in range(self.rng.randint(1, 4))]
        self.keys(tool_key)
        stroke(self.h.page, [self.screen(x, y) for x, y in points])
        self.log.append(f"{'brush' if tool_key == 'b' else 'eraser'} {points}")

    def polygon(self) -> None:
        vertices = [self.point() for _ in range(self.rng.randint(3, 6))]
        self.keys("p")
        for x, y in vertices:
            self.h.page.mouse.click(*self.screen(x, y))
        self.keys("Enter")
        self.log.append(f"polygon {vertices}")

    def fill(self) -> None:
        x, y = self.point()
        self.keys("f")
        self.h.page.mouse.click(*self.screen(x, y))
        self.log.append(f"fill {(x, y)}")

    def radius(self) -> None:
        r = self.rng.randint(0, 9)
        self.h.set_radius(r)
        self.canvas_focused = False
        self.log.append(f"radius {r}")

    def undo(self) -> None:
        self.keys("Control+z")
        self.log.append("undo")

    def redo(self) -> None:
        self.keys(self.rng.choice(["Control+Shift+z", "Control+y"]))
        self.log.append("redo")

    def add_instance(self) -> None:
        label = self.rng.randrange(len(LABELS))
        self.keys(str(label + 1), "n")
        self.instances += 1
        self.log.append(f"new {LABELS[label]} instance")

    def switch_instance(self) -> None:
        if self.instances == 0:
            return self.add_instance()
        rows = self.h.page.locator("#root .crowdseg-instance .crowdseg-instance-select")
        k = self.rng.randrange(rows.count())
        rows.nth(k).click()
        self.canvas_focused = False
        self.log.append(f"select instance row {k}")
        return None

    def random_operation(self) -> None:
        choices: list[tuple[Callable[[], None], int]] = [
            (lambda: self.paint("b"), 30), (lambda: self.paint("e"), 10), (self.polygon, 12),
            (self.fill, 8), (self.undo, 12), (self.redo, 8), (self.switch_instance, 10),
            (self.add_instance, 5), (self.radius, 5),
        ]  # fmt: skip
        operations, weights = zip(*choices, strict=True)
        self.rng.choices(operations, weights)[0]()


def read_view(h: Harness) -> tuple[np.ndarray, list[str]]:
    """The view's ids (H, W) and its instance colors by id, once its last edit is drawn."""
    h.frames()
    view = h.page.evaluate(READ_VIEW)
    assert (view["width"], view["height"]) == (W, H)
    return np.array(view["ids"]).reshape(H, W), view["colors"]


def compare(h: Harness, widget: InstanceSegmentation, editor: RandomEditor, done: int) -> None:
    where = f"seed {SEED}, after {done} operations; last: {editor.log[-5:]}"
    js_ids, colors = read_view(h)
    assert (js_ids >= 0).all(), f"overlay pixels of no listed instance ({where})"

    def png_value() -> Annotation:
        return Annotation.from_value(widget._stored_value)  # the view's own PNG, as it arrived

    def python_caught_up() -> bool:
        instances = [i["color"] for i in widget.value["instances"]]
        return (
            instances == colors
            and np.array_equal(widget.label_map, js_ids)
            and np.array_equal(png_value().label_map, js_ids)
        )

    # The view's last saves may still be encoding: wait for them, as many as it takes.
    h.wait_until_saved(python_caught_up, timeout=30_000, context=f"({where})")
    assert [i["color"] for i in widget.value["instances"]] == colors, where
    # Both the kernel's map (kept from the patches) and the PNG value equal the view's buffer.
    differ = int((widget.label_map != js_ids).sum())
    assert differ == 0, f"{differ} pixels differ between Python and the view ({where})"
    assert png_value().colors == colors, where
    assert h.page_errors() == [], where


def test_a_thousand_random_edits_leave_python_and_the_view_identical(harness):
    widget = InstanceSegmentation(gradient_image(), labels=LABELS)
    h = harness(widget)
    h.wait_for_canvas()
    editor = RandomEditor(h, random.Random(SEED))
    print(f"sync integrity seed: {SEED}")
    for done in range(1, OPERATIONS + 1):
        editor.random_operation()
        if done % CHECKPOINT_EVERY == 0:
            compare(h, widget, editor, done)
    # The run painted something and left several instances, so the comparison means something.
    assert len(widget.value["instances"]) >= 3
    assert len(np.unique(widget.label_map)) >= 3, "fewer than two instances left painted"
