"""Painting speed in headless Chromium on a 4000x3000 image (prints numbers; not a test).

A radius-50 brush stroke through the built widget (the harness page of
tests/browser, bridged to a real Python widget): per pointermove, the time of
the event handler plus the next frame's render of the dirty rect; and the time
from pointerup to the encoded PNG handed to the model (`save_changes`). Run
with 200 instances and with 1, to show the cost does not grow with their number.
The stroke zigzags over the whole image, so its encode re-deflates most strips.

    python bench/bench_paint.py            # needs /usr/bin/chromium and `npm run build`
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scenes import blob_label_map, gradient_image  # noqa: E402
from tests.browser.harness import Harness  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

from crowdseg_widget import InstanceSegmentation  # noqa: E402
from crowdseg_widget.annotation import Annotation  # noqa: E402

WIDTH, HEIGHT, RADIUS, MOVES = 4000, 3000, 50, 400

# A stroke through `points` (client coordinates) as synthetic pointer events of the
# pointer Playwright pressed (`window.__benchPointer`), one per frame: per pointermove, the
# time of the handler plus the next frame's render (and `ends`: when each frame's callbacks
# ended, so frame intervals show what the rest of the frame cost); then the pointerup, and
# the longest main-thread block from it until `settleMs` after the encoded PNG reached the model's
# `save_changes` (the harness page), or after the pointerup (any other page).
MEASURE_JS = """
async ([points, settleMs]) => {
  const stage = document.querySelector('.crowdseg-stage');
  const pointerId = window.__benchPointer;
  const frame = () =>
    new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
  const event = (type, [clientX, clientY]) => new PointerEvent(type, {
    pointerId, clientX, clientY, bubbles: true, button: type === 'pointermove' ? -1 : 0,
    buttons: type === 'pointerup' ? 0 : 1, pointerType: 'mouse', isPrimary: true,
  });
  const times = [], ends = [];
  ends.push(await frame());
  for (const point of points) {
    let start = 0;
    requestAnimationFrame(() => { start = performance.now(); });  // runs before the stage's render
    const t0 = performance.now();
    stage.dispatchEvent(event('pointermove', point));
    const handler = performance.now() - t0;
    const end = await frame();  // registered after the stage's render: runs after it
    times.push(handler + (end - start));
    ends.push(end);
  }
  const model = window.__crowdseg?.model;
  let saved = model === undefined ? -1 : 0;
  if (model !== undefined) {
    const save = model.save_changes.bind(model);
    model.save_changes = () => { saved = performance.now(); save(); };
  }
  // The longest main-thread block: the largest gap between the pointerup handler's end
  // and successive zero-delay tasks.
  let maxBlock = 0, last = 0, probing = true;
  const probe = () => {
    const now = performance.now();
    maxBlock = Math.max(maxBlock, now - last);
    last = now;
    if (probing) setTimeout(probe, 0);
  };
  const upAt = performance.timeOrigin + performance.now();
  const up = performance.now();
  stage.dispatchEvent(event('pointerup', points[points.length - 1]));
  const upHandler = performance.now() - up;
  last = performance.now();
  setTimeout(probe, 0);
  while (saved === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  probing = false;
  return { times, ends, toPng: saved - up, upHandler, maxBlock, upAt };
}
"""

# Records the pointerId of the next press on the stage as `window.__benchPointer`.
RECORD_POINTER_JS = (
    "document.querySelector('.crowdseg-stage').addEventListener('pointerdown',"
    " e => { window.__benchPointer = e.pointerId; }, { capture: true })"
)


def zigzag(box: dict[str, float], moves: int, step: float) -> list[tuple[float, float]]:
    """`moves` client points zigzagging over the whole of `box`, `step` screen pixels apart."""
    per_row = int((box["width"] - 40) // step)
    points = []
    for i in range(moves):
        row, col = divmod(i, per_row)
        x = 20 + col * step if row % 2 == 0 else box["width"] - 20 - col * step
        points.append((box["x"] + x, box["y"] + 20 + (row * 37) % (box["height"] - 40)))
    return points


@dataclass
class PaintResult:
    instances: int
    median_ms: float
    p95_ms: float
    max_ms: float
    to_png_ms: float
    max_block_ms: float


def run(browser: Any, photo: np.ndarray, instances: int) -> PaintResult:
    widget = InstanceSegmentation(photo, labels=["Cat", "Dog"])
    ids = blob_label_map(WIDTH, HEIGHT, instances)
    widget.set_annotation(Annotation.from_label_map(ids, ["Cat"] * instances))
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    h = Harness(context.new_page(), widget, width=900)
    try:
        h.wait_for_canvas(timeout=60_000)
        h.page.wait_for_timeout(2000)  # the view primes its encoder with the loaded annotation
        h.set_radius(RADIUS)
        h.page.evaluate(RECORD_POINTER_JS)
        box = h.canvas_box()
        h.page.mouse.move(box["x"] + 20, box["y"] + 20)
        h.page.mouse.down()
        result = h.page.evaluate(MEASURE_JS, [zigzag(box, MOVES, 3), 30])
        h.page.mouse.up()
        times = sorted(result["times"])
        assert h.page_errors() == [], h.page_errors()
        return PaintResult(
            instances,
            statistics.median(times),
            times[int(0.95 * (len(times) - 1))],
            times[-1],
            result["toPng"],
            result["maxBlock"],
        )
    finally:
        h.close()
        context.close()


def measure(counts: tuple[int, ...] = (200, 1)) -> list[PaintResult]:
    from playwright.sync_api import sync_playwright

    photo = gradient_image(WIDTH, HEIGHT)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            return [run(browser, photo, instances) for instances in counts]
        finally:
            browser.close()


def main() -> None:
    print(f"{WIDTH}x{HEIGHT} image in headless Chromium ({CHROMIUM}), r = {RADIUS}, {MOVES} moves")
    for r in measure():
        print(
            f"{r.instances:4d} instances: per pointermove median {r.median_ms:.2f} ms, "
            f"p95 {r.p95_ms:.2f} ms, max {r.max_ms:.2f} ms; pointerup -> encoded PNG in the "
            f"model {r.to_png_ms:.0f} ms, longest main-thread block {r.max_block_ms:.0f} ms"
        )


if __name__ == "__main__":
    main()
