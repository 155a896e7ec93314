"""The assist's round trip in a real JupyterLab: prompt in the view → pending mask drawn,
minus the time spent inside the callable, at 1 MP and 12 MP.

Click-to-mask, one click per prompt: the page stamps the click's pointerup
(the prompt is sent in that handler) and the animation frame after the
pending layer was updated (`canvas.crowdseg-pending` shown with the reply's
mask: the frame that paints it); the reply says how long the callable ran
(`data-assist-seconds` of `.crowdseg-assist-status`, measured in the kernel
around the call). Overhead = the two stamps' difference minus that time: the
message to the kernel, the prompt parsed and checked, the answer checked,
cropped and bit-packed, the reply, its decoding, the layer drawn. Two
callables: one returning a fixed 400x400-pixel mask at once, one sleeping
200 ms first; and, as the same-run reference, one raising at once: its reply
is a bare error message (no mask checked, cropped, sent, decoded or drawn),
so it is the message round trip through Jupyter itself. The first prompt on
an image is a warm-up (it decodes the image for Python) and is reported apart.

    python bench/bench_assist_roundtrip.py     # needs /usr/bin/chromium and `npm run build`
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lab_runs import each_size  # noqa: E402
from tests.browser.lab import NotebookPage  # noqa: E402

SIZES = [(1000, 1000), (4000, 3000)]
PROMPTS = 9
SLEEP_S = 0.2

CELL = """\
import sys, time
sys.path.insert(0, {bench!r})
import numpy as np
from scenes import gradient_image
from crowdseg_widget import InstanceSegmentation

fixed = np.zeros(({height}, {width}), bool)
fixed[100:500, 100:500] = True

def instant(image, prompt):
    return fixed

def sleepy(image, prompt):
    time.sleep({sleep})
    return fixed

def failing(image, prompt):
    raise ValueError("no mask: the reference round trip")

w = InstanceSegmentation(gradient_image({width}, {height}), labels=["Cat"], assist=instant)
w"""

PROBE_JS = """(root) => {
  const state = { up: 0, times: [], maxGap: 0, last: 0, probing: false };
  window.__assistBench = state;
  const layer = root.querySelector('canvas.crowdseg-pending');
  const status = root.querySelector('.crowdseg-assist-status');
  const ownWork = () =>
    performance.getEntriesByName('crowdseg-assist-reply').at(-1)?.duration ?? -1;
  // The longest main-thread block from pointerup to the reply handled (zero-delay task chain).
  const probe = () => {
    const now = performance.now();
    state.maxGap = Math.max(state.maxGap, now - state.last);
    state.last = now;
    if (state.probing) setTimeout(probe, 0);
  };
  root.addEventListener('pointerup', () => {
    state.up = performance.now();
    state.maxGap = 0;
    state.last = state.up;
    if (!state.probing) { state.probing = true; setTimeout(probe, 0); }
  }, { capture: true });
  new MutationObserver(() => {
    if (layer.hidden || layer.dataset.pixels === undefined) return;
    const drawn = performance.now() - state.up;  // the reply handled: decoded, layer drawn
    state.probing = false;
    const block = state.maxGap;
    const own = ownWork();
    requestAnimationFrame(() => state.times.push({
      ms: performance.now() - state.up, drawn, block, own,
      inside: 1000 * Number(status.dataset.assistSeconds),
    }));
  }).observe(layer, { attributes: true });
  // The reference: an assist that raises at once, so the reply is a bare error message.
  new MutationObserver(() => {
    if (status.dataset.state !== 'error') return;
    const drawn = performance.now() - state.up;
    state.probing = false;
    const block = state.maxGap;
    requestAnimationFrame(() => state.times.push({
      ms: performance.now() - state.up, drawn, block, own: ownWork(), inside: 0,
    }));
  }).observe(status, { attributes: true, attributeFilter: ['data-state'] });
}"""


@dataclass
class RoundTrips:
    overhead_ms: list[float] = field(default_factory=list)
    #: Of the overhead, until the reply was handled (the rest waits for the next frame).
    handled_ms: list[float] = field(default_factory=list)
    #: The longest main-thread block from pointerup until the reply was handled.
    block_ms: list[float] = field(default_factory=list)
    #: The view's own work on the reply: decoded, the pending layer drawn (its User Timing).
    view_ms: list[float] = field(default_factory=list)
    total_ms: list[float] = field(default_factory=list)
    warmup_ms: float = 0.0


def measure(nb: NotebookPage, assist: str, warm_up: bool) -> RoundTrips:
    nb.kernel_eval(f"setattr(w, 'assist', {assist})")
    output = nb.output(0)
    canvas = nb.wait_for_widget(0, timeout=180_000)
    box = canvas.bounding_box()
    assert box is not None
    trips = RoundTrips()
    for k in range(PROMPTS + (1 if warm_up else 0)):
        before = int(nb.page.evaluate("window.__assistBench.times.length"))
        x = box["x"] + box["width"] * (0.3 + 0.04 * (k % 5))
        nb.page.mouse.click(x, box["y"] + min(box["height"] * 0.4, 300))
        deadline = time.monotonic() + 60
        while int(nb.page.evaluate("window.__assistBench.times.length")) == before:
            if time.monotonic() > deadline:
                state = output.locator(".crowdseg-assist-status").first.inner_text()
                raise TimeoutError(f"no pending mask after prompt {k} ({state}); {nb.errors}")
            time.sleep(0.01)
        t = nb.page.evaluate(f"window.__assistBench.times[{before}]")
        nb.page.keyboard.press("Escape")  # discard: the next click is a fresh prompt
        if warm_up and k == 0:
            trips.warmup_ms = t["ms"] - t["inside"]
            continue
        trips.total_ms.append(t["ms"])
        trips.overhead_ms.append(t["ms"] - t["inside"])
        trips.handled_ms.append(t["drawn"] - t["inside"])
        trips.block_ms.append(t["block"])
        trips.view_ms.append(t["own"])
    return trips


def run() -> dict[str, RoundTrips]:
    def cell_for(width: int, height: int) -> str:
        return CELL.format(bench=str(ROOT / "bench"), width=width, height=height, sleep=SLEEP_S)

    def measure_size(
        nb: NotebookPage, width: int, height: int, label: str
    ) -> dict[str, RoundTrips]:
        nb.wait_for_widget(0, timeout=180_000)
        root = nb.output(0).locator(".crowdseg").first
        root.locator("button.crowdseg-tool[data-tool='click-to-mask']").click()
        root.evaluate(PROBE_JS)
        return {
            f"{label}, instant": measure(nb, "instant", True),
            f"{label}, sleeping {SLEEP_S * 1000:.0f} ms": measure(nb, "sleepy", False),
            f"{label}, reference: raising at once (error reply)": measure(nb, "failing", False),
        }

    return each_size("assist", SIZES, cell_for, measure_size)


def main() -> dict[str, RoundTrips]:
    results = run()
    for label, r in results.items():
        warm = f"; first prompt (decodes the image) {r.warmup_ms:.0f} ms" if r.warmup_ms else ""
        print(
            f"{label}: overhead median {statistics.median(r.overhead_ms):.1f} ms "
            f"(range {min(r.overhead_ms):.1f}-{max(r.overhead_ms):.1f}), round trip median "
            f"{statistics.median(r.total_ms):.1f} ms; of the overhead until the reply was "
            f"handled: median {statistics.median(r.handled_ms):.1f} ms; longest main-thread "
            f"block meanwhile: median {statistics.median(r.block_ms):.1f} ms; the view's own "
            f"work on the reply median {statistics.median(r.view_ms):.1f} ms{warm}"
        )
    return results


if __name__ == "__main__":
    main()
