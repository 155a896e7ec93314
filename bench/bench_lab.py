"""Stroke end → Python `value` updated, in a real JupyterLab with headless Chromium.

The page stamps each pointerup (`performance.timeOrigin + performance.now()`),
the kernel stamps each `value` change (`time.time()` in an observer): same
machine, same clock. Meanwhile a zero-delay task chain in the page measures
the longest main-thread block from pointerup until the value has arrived
(whatever blocks: rendering, JupyterLab, the widget), and the sync's own
User Timing entries ("crowdseg-sync", js/sync.ts) its own main-thread work.
Images of 1 MP and 12 MP with 100 instances; strokes of radius 50 across a
third of the image's width.

    python bench/bench_lab.py      # needs /usr/bin/chromium and `npm run build`
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lab_runs import each_size  # noqa: E402
from tests.browser.harness import set_radius  # noqa: E402
from tests.browser.lab import NotebookPage  # noqa: E402

SIZES = [(1000, 1000), (4000, 3000)]
INSTANCES, RADIUS = 100, 50

CELL = """\
import sys, time
sys.path.insert(0, {bench!r})
import numpy as np
from scenes import blob_label_map, gradient_image
from crowdseg_widget import InstanceSegmentation
from crowdseg_widget.annotation import Annotation

w = InstanceSegmentation(gradient_image({width}, {height}), labels=["Cat"])
w.set_annotation(Annotation.from_label_map(blob_label_map({width}, {height}, {instances}),
                                           ["Cat"] * {instances}))
arrivals = []
w.observe(lambda change: arrivals.append(time.time()), "value")
w"""

# Stamps pointerups and probes the main thread: the largest gap between zero-delay tasks.
PROBE_JS = """() => {
  const state = { ups: [], upNow: 0, maxGap: 0, probing: false, last: 0 };
  window.__strokeBench = state;
  const probe = () => {
    const now = performance.now();
    state.maxGap = Math.max(state.maxGap, now - state.last);
    state.last = now;
    if (state.probing) setTimeout(probe, 0);
  };
  window.addEventListener('pointerup', () => {
    state.ups.push(performance.timeOrigin + performance.now());
    state.upNow = performance.now();
    state.maxGap = 0;
    state.last = performance.now();
    if (!state.probing) { state.probing = true; setTimeout(probe, 0); }
  }, { capture: true });
}"""


@dataclass
class StrokeEnd:
    latency_ms: list[float]
    max_block_ms: list[float]
    sync_main_ms: list[float]


def measure(nb: NotebookPage, width: int, height: int, strokes: int) -> StrokeEnd:
    canvas = nb.wait_for_widget(0, timeout=180_000)
    set_radius(nb.output(0).locator("input.crowdseg-radius").first, RADIUS)
    nb.page.wait_for_timeout(3000)  # the view has loaded the annotation and primed its encoder
    nb.page.evaluate(PROBE_JS)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    viewport = nb.page.viewport_size
    assert viewport is not None
    top = box["y"] + 0.1 * box["height"]
    bottom = min(box["y"] + 0.9 * box["height"], viewport["height"] - 20)  # on screen
    latency, blocks, own = [], [], []
    for k in range(strokes):
        before = int(nb.kernel_eval("len(arrivals)"))
        y = top + (bottom - top) * k / max(1, strokes - 1)
        x0, x1 = box["x"] + box["width"] * 0.3, box["x"] + box["width"] * 0.63
        nb.page.mouse.move(x0, y)
        nb.page.mouse.down()
        nb.page.mouse.move(x1, y + 10, steps=15)
        nb.page.mouse.up()
        deadline = time.monotonic() + 60
        while int(nb.kernel_eval("len(arrivals)")) == before:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no value in the kernel after stroke {k}; {nb.errors}")
            time.sleep(0.02)
        arrived = float(nb.kernel_eval(f"arrivals[{before}]"))
        state = nb.page.evaluate(
            "() => { const s = window.__strokeBench; s.probing = false;"
            " const own = performance.getEntriesByName('crowdseg-sync')"
            "   .filter((e) => e.startTime >= s.upNow).map((e) => e.duration);"
            " return { up: s.ups[s.ups.length - 1], maxGap: s.maxGap,"
            "   own: Math.max(0, ...own) }; }"
        )
        latency.append((arrived * 1000) - state["up"])
        blocks.append(state["maxGap"])
        own.append(state["own"])
        nb.page.wait_for_timeout(300)
    return StrokeEnd(latency, blocks, own)


def run(strokes: int = 5) -> dict[str, StrokeEnd]:
    def cell_for(width: int, height: int) -> str:
        return CELL.format(
            bench=str(ROOT / "bench"), width=width, height=height, instances=INSTANCES
        )

    def measure_size(nb: NotebookPage, width: int, height: int, label: str) -> dict[str, StrokeEnd]:
        return {label: measure(nb, width, height, strokes)}

    return each_size("bench", SIZES, cell_for, measure_size)


def main() -> None:
    for label, r in run().items():
        print(
            f"{label}: pointerup -> value in the kernel median "
            f"{statistics.median(r.latency_ms):.0f} ms (all: "
            f"{json.dumps([round(v) for v in r.latency_ms])}); longest main-thread block "
            f"{max(r.max_block_ms):.0f} ms, of it the sync's own work at most "
            f"{max(r.sync_main_ms):.1f} ms"
        )


if __name__ == "__main__":
    main()
