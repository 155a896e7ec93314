"""The next image in a dataset session: key press → the new image shown and paintable.

A real JupyterLab and headless Chromium (bench/lab_runs.py). Per size (1 MP and
12 MP) the kernel writes a few photo-like JPEGs (the shipped samples resized,
with pixel noise so they compress as a camera's do: ~0.3 MB and ~3 MB) into the
notebook folder and opens `label_images` on them. Then, per image: a stroke, a
pause of `--wait` seconds (the time a user spends painting, in which the next
image may be prefetched), and the Next key (`.`), pressed on the canvas.

Measured in the page, on one clock (`performance.now()`):
- start: the `.` keydown (a capture listener on `window`, before the widget's);
- ready: the view has hidden its "Loading image…" notice, which it does in the
  same task as it attaches the new label buffer, sizes the stage and draws the
  image into it, then applies the new image's value: from then on a stroke lands
  on the new image;
- shown: the next animation frame after ready (the new image on screen).
The previous image's stroke is checked saved (its status in the store is "done").

The reference, same page, same run: `createImageBitmap` of each JPEG's bytes (a
Blob), the browser's own decode, median over the files.

    python bench/bench_next_image.py [--presses 5] [--wait 2]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lab_runs import each_size  # noqa: E402
from tests.browser.harness import set_radius  # noqa: E402
from tests.browser.lab import NotebookPage  # noqa: E402

SIZES = [(1000, 1000), (4000, 3000)]

CELL = """\
import numpy as np
from pathlib import Path
from PIL import Image
from crowdseg_widget import label_images
from crowdseg_widget.samples import sample_image

folder = Path({folder!r})
folder.mkdir(exist_ok=True)
rng = np.random.default_rng(0)
names = ["astronaut", "coffee", "cat", "coins"]
for k in range({count}):
    base = Image.open(sample_image(names[k % len(names)])).convert("RGB")
    base = base.resize(({width}, {height}), Image.BICUBIC)
    noisy = np.asarray(base, np.int16) + rng.integers(-12, 13, ({height}, {width}, 3), np.int16)
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(folder / f"{{k:02d}}.jpg", quality=90)
w = label_images(folder, ["Thing"], store=str(folder) + "-labels")
moves = []  # the kernel's own share: each navigation's handling, in ms
def timed(move, clock=__import__("time").perf_counter):
    def run(action):
        start = clock()
        move(action)
        moves.append((clock() - start) * 1000)
    return run
w._move = timed(w._move)
sent = []  # when each image's message left the kernel (time.time(), the page's clock too)
def stamped(set_image, clock=__import__("time").time):
    def run(*args, **kwargs):
        set_image(*args, **kwargs)
        sent.append(clock() * 1000)
    return run
w.set_image = stamped(w.set_image)
leaves = []  # of each navigation: marking the image left (its store entry written)
def timed_leave(leave, clock=__import__("time").perf_counter):
    def run(action):
        start = clock()
        leave(action)
        leaves.append((clock() - start) * 1000)
    return run
w._leave = timed_leave(w._leave)
w"""

PROBE_JS = """(root) => {
  const state = { presses: [], ready: [], shown: [], waiting: false };
  window.__nextBench = state;
  const loading = document.querySelectorAll('.crowdseg-loading')[root];
  new MutationObserver(() => {
    if (!state.waiting || !loading.hidden) return;
    state.waiting = false;
    state.ready.push(performance.now());
    requestAnimationFrame(() => state.shown.push(performance.now()));
  }).observe(loading, { attributes: true, attributeFilter: ['hidden'] });
  window.addEventListener('keydown', (e) => {
    if (e.key !== '.') return;
    state.waiting = true;
    state.presses.push(performance.now());
  }, { capture: true });
}"""

# createImageBitmap of each file's bytes, read through JupyterLab's contents API.
REFERENCE_JS = """async (paths) => {
  const contents = window.jupyterapp.serviceManager.contents;
  const times = [];
  for (const path of paths) {
    const file = await contents.get(path, { format: 'base64', content: true });
    const raw = atob(file.content);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    const blob = new Blob([bytes], { type: 'image/jpeg' });
    for (let rep = 0; rep < 2; rep++) {
      const start = performance.now();
      const bitmap = await createImageBitmap(blob);
      times.push(performance.now() - start);
      bitmap.close();
    }
  }
  return times;
}"""


def stroke(nb: NotebookPage, k: int) -> None:
    canvas = nb.output(0).locator("canvas.crowdseg-input").first
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] * (0.2 + 0.1 * (k % 6))
    nb.page.mouse.move(box["x"] + box["width"] * 0.3, y)
    nb.page.mouse.down()
    nb.page.mouse.move(box["x"] + box["width"] * 0.6, y + 15, steps=10)
    nb.page.mouse.up()


def measure(nb: NotebookPage, presses: int, wait: float) -> dict[str, list[float]]:
    canvas = nb.wait_for_widget(0, timeout=180_000)
    set_radius(nb.output(0).locator("input.crowdseg-radius").first, 8)
    nb.page.wait_for_timeout(int(wait * 1000))
    nb.page.evaluate(PROBE_JS, 0)
    ready, shown = [], []
    for k in range(presses):
        stroke(nb, k)
        nb.page.wait_for_timeout(int(wait * 1000))
        canvas.focus()
        nb.page.keyboard.press(".")
        nb.page.wait_for_function(f"() => window.__nextBench.shown.length > {k}", timeout=60_000)
        nb.wait_for_kernel("w.position", str(k + 1), timeout=60)
        nb.wait_for_kernel(f"w.status({k})", "'done'", timeout=60)
        state = nb.page.evaluate("() => window.__nextBench")
        ready.append(state["ready"][k] - state["presses"][k])
        shown.append(state["shown"][k] - state["presses"][k])
    own = nb.page.evaluate(
        "() => Object.fromEntries(['crowdseg-image-load', 'crowdseg-image-apply'].map(n =>"
        " [n, performance.getEntriesByName(n).map(e => e.duration)]))"
    )
    kernel = [float(v) for v in nb.kernel_json("moves")]
    sent = [float(v) for v in nb.kernel_json("sent")][-presses:]
    arrived = nb.page.evaluate(
        "() => performance.getEntriesByName('crowdseg-image-change')"
        ".map(e => performance.timeOrigin + e.startTime)"
    )[-presses:]
    transit = [a - s for a, s in zip(arrived, sent, strict=False)]
    origin = nb.page.evaluate("() => performance.timeOrigin")
    presses_at = nb.page.evaluate("() => window.__nextBench.presses")
    to_kernel = [s - (origin + p) for s, p in zip(sent, presses_at, strict=False)]
    leave = [float(v) for v in nb.kernel_json("leaves")]
    return {"ready": ready, "shown": shown, "kernel": kernel, "transit": transit, "to_kernel": to_kernel, "leave": leave,
            "load": own["crowdseg-image-load"][-presses:],
            "apply": own["crowdseg-image-apply"][-presses:]}  # fmt: skip


def run(presses: int, wait: float) -> dict[str, dict[str, list[float]]]:
    def folder(width: int, height: int) -> str:
        return f"next-{width}x{height}"

    def cell_for(width: int, height: int) -> str:
        return CELL.format(folder=folder(width, height), count=presses + 1, width=width, height=height)

    def measure_size(
        nb: NotebookPage, width: int, height: int, label: str
    ) -> dict[str, dict[str, list[float]]]:
        started = time.monotonic()
        result = measure(nb, presses, wait)
        paths = [f"{folder(width, height)}/{k:02d}.jpg" for k in range(presses + 1)]
        result["decode"] = nb.page.evaluate(REFERENCE_JS, paths)
        result["seconds"] = [time.monotonic() - started]
        return {label: result}

    return each_size("next", SIZES, cell_for, measure_size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=5)
    parser.add_argument("--wait", type=float, default=2.0, help="seconds between stroke and key")
    args = parser.parse_args()
    for label, r in run(args.presses, args.wait).items():
        ready, shown = statistics.median(r["ready"]), statistics.median(r["shown"])
        decode = statistics.median(r["decode"])
        print(
            f"{label}: key -> ready median {ready:.0f} ms, shown {shown:.0f} ms "
            f"(all ready: {[round(v) for v in r['ready']]}); createImageBitmap of the same "
            f"JPEGs {decode:.0f} ms (all: {[round(v) for v in r['decode']]}); "
            f"ready / decode {ready / decode:.2f}x"
        )
        parts = [f"kernel's navigation {statistics.median(r['kernel']):.0f} ms"]
        for name in ("to_kernel", "leave", "transit", "load", "apply"):
            if r[name]:
                parts.append(f"view's {name} {statistics.median(r[name]):.0f} ms")
        print(f"  of which (medians): {', '.join(parts)}")


if __name__ == "__main__":
    main()
