"""Painting speed in headless Chromium on a 4000x3000 image (prints numbers; not a test).

A radius-50 brush stroke through the built widget (the harness page of
tests/browser, bridged to a real Python widget): per pointermove, the time of
the event handler plus the next frame's render of the dirty rect; and the time
from pointerup to the encoded PNG handed to the model (`save_changes`). Run
with 200 instances and with 1, to show the cost does not grow with their number.

    python bench/bench_paint.py            # needs /usr/bin/chromium and `npm run build`
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scenes import blob_label_map  # noqa: E402
from tests.browser.harness import Harness  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

from crowdseg_widget import InstanceSegmentation  # noqa: E402
from crowdseg_widget.annotation import Annotation  # noqa: E402

WIDTH, HEIGHT, RADIUS, MOVES = 4000, 3000, 50, 400

MEASURE_JS = """
async ([moves, stepCss]) => {
  const stage = document.querySelector('.crowdseg-stage');
  const box = document.querySelector('canvas.crowdseg-input').getBoundingClientRect();
  const pointerId = window.__benchPointer;
  const frame = () =>
    new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
  const at = (i) => {
    // A zigzag over the whole image, stepCss screen pixels per move.
    const perRow = Math.floor((box.width - 40) / stepCss);
    const row = Math.floor(i / perRow), col = i % perRow;
    const x = row % 2 === 0 ? 20 + col * stepCss : box.width - 20 - col * stepCss;
    return [box.left + x, box.top + 20 + ((row * 37) % (box.height - 40))];
  };
  const event = (type, [clientX, clientY]) => new PointerEvent(type, {
    pointerId, clientX, clientY, bubbles: true, button: type === 'pointermove' ? -1 : 0,
    buttons: type === 'pointerup' ? 0 : 1, pointerType: 'mouse', isPrimary: true,
  });
  const times = [];
  await frame();
  for (let i = 0; i < moves; i++) {
    let start = 0;
    requestAnimationFrame(() => { start = performance.now(); });  // runs before the stage's render
    const t0 = performance.now();
    stage.dispatchEvent(event('pointermove', at(i)));
    const handler = performance.now() - t0;
    const end = await frame();  // registered after the stage's render: runs after it
    times.push(handler + (end - start));
  }
  const model = window.__crowdseg.model;
  const save = model.save_changes.bind(model);
  let saved = 0;
  model.save_changes = () => { saved = performance.now(); save(); };
  // The longest main-thread block from pointerup until just after the save: the
  // largest gap between the handler's end and successive zero-delay tasks.
  let maxBlock = 0, last = 0, probing = true;
  const probe = () => {
    const now = performance.now();
    maxBlock = Math.max(maxBlock, now - last);
    last = now;
    if (probing) setTimeout(probe, 0);
  };
  const up = performance.now();
  stage.dispatchEvent(event('pointerup', at(moves - 1)));
  const upHandler = performance.now() - up;
  last = performance.now();
  setTimeout(probe, 0);
  while (saved === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  await new Promise((resolve) => setTimeout(resolve, 30));
  probing = false;
  return { times, toPng: saved - up, upHandler, maxBlock };
}
"""


def image() -> np.ndarray:
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    return np.stack([x * 255 // WIDTH, y * 255 // HEIGHT, (x // 7 + y // 5) % 256], -1).astype(
        np.uint8
    )


def run(browser, photo: np.ndarray, instances: int) -> None:
    widget = InstanceSegmentation(photo, labels=["Cat", "Dog"])
    ids = blob_label_map(WIDTH, HEIGHT, instances)
    widget.set_annotation(Annotation.from_label_map(ids, ["Cat"] * instances))
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    h = Harness(context.new_page(), widget, width=900)
    try:
        h.wait_for_canvas(timeout=60_000)
        h.page.wait_for_timeout(500)
        h.set_radius(RADIUS)
        h.page.evaluate(
            "document.querySelector('.crowdseg-stage').addEventListener('pointerdown',"
            " e => { window.__benchPointer = e.pointerId; }, { capture: true })"
        )
        box = h.canvas_box()
        h.page.mouse.move(box["x"] + 20, box["y"] + 20)
        h.page.mouse.down()
        result = h.page.evaluate(MEASURE_JS, [MOVES, 3])
        h.page.mouse.up()
        times = sorted(result["times"])
        median = statistics.median(times)
        p95 = times[int(0.95 * (len(times) - 1))]
        scale = box["width"] / WIDTH
        print(
            f"{instances:4d} instances: per pointermove median {median:.2f} ms, p95 {p95:.2f} ms, "
            f"max {times[-1]:.2f} ms ({MOVES} moves of {3 / scale:.0f} image px, r = {RADIUS}); "
            f"pointerup -> encoded PNG in the model {result['toPng']:.0f} ms "
            f"(of which 100 ms is the deliberate debounce); pointerup handler "
            f"{result['upHandler']:.0f} ms, then longest main-thread block {result['maxBlock']:.0f} ms"
        )
        assert h.page_errors() == [], h.page_errors()
    finally:
        h.close()
        context.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    photo = image()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            print(f"{WIDTH}x{HEIGHT} image in headless Chromium ({CHROMIUM})")
            for instances in (200, 1):
                run(browser, photo, instances)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
