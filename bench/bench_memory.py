"""JS memory after 100 strokes at 12 MP, in headless Chromium (the harness page).

After the annotation is loaded, and again after 100 radius-50 strokes (each
waited for until its value reached Python), a full garbage collection
(CDP `HeapProfiler.collectGarbage`) and `Runtime.getHeapUsage`: the V8 heap
and the ArrayBuffer backing stores (label buffer, undo patches, canvases'
pixel copies are outside V8's heap). The undo history is bounded by bytes
(`HISTORY_LIMIT_BYTES` in js/history.ts).

    python bench/bench_memory.py
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scenes import blob_label_map, gradient_image  # noqa: E402
from tests.browser.harness import Harness  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

from crowdseg_widget import InstanceSegmentation  # noqa: E402
from crowdseg_widget.annotation import Annotation  # noqa: E402

WIDTH, HEIGHT, INSTANCES, STROKES, RADIUS = 4000, 3000, 100, 100, 50
MIB = 2**20


@dataclass
class MemoryResult:
    heap_before_mib: float
    heap_after_mib: float
    backing_before_mib: float
    backing_after_mib: float

    @property
    def growth_mib(self) -> float:
        return (self.heap_after_mib + self.backing_after_mib) - (
            self.heap_before_mib + self.backing_before_mib
        )


def usage(cdp: Any) -> tuple[float, float]:
    cdp.send("HeapProfiler.collectGarbage")
    heap = cdp.send("Runtime.getHeapUsage")
    return heap["usedSize"] / MIB, heap.get("backingStorageSize", 0) / MIB


def measure() -> MemoryResult:
    from playwright.sync_api import sync_playwright

    widget = InstanceSegmentation(gradient_image(WIDTH, HEIGHT), labels=["Cat"])
    ids = blob_label_map(WIDTH, HEIGHT, INSTANCES)
    widget.set_annotation(Annotation.from_label_map(ids, ["Cat"] * INSTANCES))
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(viewport={"width": 1000, "height": 900})
            h = Harness(context.new_page(), widget, width=900)
            h.wait_for_canvas(timeout=60_000)
            h.page.wait_for_timeout(3000)  # loaded and primed
            h.set_radius(RADIUS)
            cdp = context.new_cdp_session(h.page)
            cdp.send("HeapProfiler.enable")
            heap_before, backing_before = usage(cdp)
            box = h.canvas_box()
            for k in range(STROKES):
                acks = h.acks()
                x = box["x"] + box["width"] * (0.1 + 0.8 * ((k * 37) % 100) / 100)
                y = box["y"] + box["height"] * (0.1 + 0.8 * ((k * 61) % 100) / 100)
                h.page.mouse.move(x, y)
                h.page.mouse.down()
                h.page.mouse.move(x + 60, y + 25, steps=6)
                h.page.mouse.up()
                h.wait_until_saved(after=acks, timeout=60_000)
            heap_after, backing_after = usage(cdp)
            assert h.page_errors() == [], h.page_errors()
            h.close()
            context.close()
        finally:
            browser.close()
    return MemoryResult(heap_before, heap_after, backing_before, backing_after)


def main() -> None:
    r = measure()
    print(
        f"{WIDTH}x{HEIGHT}, {STROKES} strokes of r = {RADIUS}: V8 heap {r.heap_before_mib:.0f} -> "
        f"{r.heap_after_mib:.0f} MiB, ArrayBuffers {r.backing_before_mib:.0f} -> "
        f"{r.backing_after_mib:.0f} MiB; growth {r.growth_mib:.0f} MiB"
    )


if __name__ == "__main__":
    main()
