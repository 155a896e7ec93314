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
    photo = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
    photo.save(folder / f"{{k:02d}}.jpg", quality=90)
w = label_images(folder, ["Thing"], store=str(folder) + "-labels")
import time
stamps = {{"sent": [], "leave": []}}  # the kernel's share, on the page's clock (time.time())
def stamped(method, name, leave=False):
    def run(*args, **kwargs):
        start = time.time()
        method(*args, **kwargs)
        stamps[name].append((time.time() - start if leave else time.time()) * 1000)
    return run
w.set_image = stamped(w.set_image, "sent")  # when the image's update has left
w._leave = stamped(w._leave, "leave", leave=True)  # how long marking the image left took
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


#: The parts of the figure, in order (the first includes the second).
STEPS = {
    "to_kernel": "key -> the image's update leaves the kernel",
    "leave": "of it, the image left marked (its store entry written)",
    "transit": "-> the view sees the new image",
    "load": "-> its decoded image in hand",
    "apply": "-> buffer, stage and value ready",
}


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
    page = nb.page.evaluate(
        "() => ({ origin: performance.timeOrigin, presses: window.__nextBench.presses,"
        " arrived: performance.getEntriesByName('crowdseg-image-change').map(e => e.startTime),"
        " load: performance.getEntriesByName('crowdseg-image-load').map(e => e.duration),"
        " apply: performance.getEntriesByName('crowdseg-image-apply').map(e => e.duration) })"
    )
    stamps = nb.kernel_json("stamps")
    sent = stamps["sent"][-presses:]
    presses_at = [page["origin"] + p for p in page["presses"]]
    arrived = [page["origin"] + a for a in page["arrived"][-presses:]]
    return {
        "ready": ready,
        "shown": shown,
        "to_kernel": [s - p for s, p in zip(sent, presses_at, strict=True)],
        "leave": stamps["leave"][-presses:],
        # The User Timing entries below exist from this change on (none on earlier code).
        "transit": [a - s for a, s in zip(arrived, sent, strict=False)] if arrived else [],
        "load": page["load"][-presses:],
        "apply": page["apply"][-presses:],
    }


def run(presses: int, wait: float) -> dict[str, dict[str, list[float]]]:
    def folder(width: int, height: int) -> str:
        return f"next-{width}x{height}"

    def cell_for(width: int, height: int) -> str:
        return CELL.format(
            folder=folder(width, height), count=presses + 1, width=width, height=height
        )

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
        parts = [f"{STEPS[name]} {statistics.median(r[name]):.0f} ms" for name in STEPS if r[name]]
        print(f"  medians: {'; '.join(parts)}")


if __name__ == "__main__":
    main()
