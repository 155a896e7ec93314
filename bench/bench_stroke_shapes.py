"""Stroke end → the kernel's label map current, per stroke shape, in a real JupyterLab.

Issue 14's shapes on a uniform grey image at 1 MP and 12 MP: an outline (a
radius-4 brush dragged in 100 moves around an ellipse spanning most of the
image), a thick band (radius 50 across the image), a polygon (six clicks,
closed by Enter), a fill of most of the image (the fill bucket inside the
outline, around the others), and an undo of each. The page stamps the event that ends the
action (pointerup, or the key: Enter, Ctrl+Z) as `performance.timeOrigin +
now()`; the kernel stamps `on_change` (called once the label map holds the
action: the patch applied) and the `value` trait's arrival (the view's PNG),
with `time.time()`: one clock. The same-run reference is the physical floor,
one small websocket message: a custom message from the page to the kernel
(`model.send({})` of a tiny widget in the same notebook, stamped the same way).
A zero-delay task chain in the page measures the longest main-thread block
after the event, and the sync's User Timing entries ("crowdseg-sync") its own
main-thread steps.

    python bench/bench_stroke_shapes.py      # needs /usr/bin/chromium and `npm run build`
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lab_runs import each_size  # noqa: E402
from tests.browser.harness import set_radius  # noqa: E402
from tests.browser.lab import NotebookPage  # noqa: E402

SIZES = [(1000, 1000), (4000, 3000)]
SHAPES = ["outline", "band", "polygon", "fill"]
PINGS = 15

PING_ESM = (
    "export default { render({ model }) { window.__ping = () => {"
    " model.send({ t: performance.timeOrigin + performance.now() }); }; } };"
)

CELL = """\
import time
import anywidget
import numpy as np
from IPython.display import display
from crowdseg_widget import InstanceSegmentation

class Ping(anywidget.AnyWidget):
    _esm = {ping!r}

pings = []
ping = Ping()
ping.on_msg(lambda _w, content, _b: pings.append(time.time() * 1000 - content["t"]))
w = InstanceSegmentation(np.full(({height}, {width}, 3), 128, np.uint8), labels=["Cat"])
current, values = [], []
w.on_change(lambda a: current.append(time.time()))
w.observe(lambda change: values.append(time.time()), "value")
display(ping)
w"""

# Stamps the events that end an action and probes the main thread after them.
PROBE_JS = """() => {
  const state = { end: 0, endNow: 0, maxGap: 0, probing: false, last: 0 };
  window.__shapeBench = state;
  const probe = () => {
    const now = performance.now();
    state.maxGap = Math.max(state.maxGap, now - state.last);
    state.last = now;
    if (state.probing) setTimeout(probe, 0);
  };
  const stamp = () => {
    state.end = performance.timeOrigin + performance.now();
    state.endNow = performance.now();
    state.maxGap = 0;
    state.last = performance.now();
    if (!state.probing) { state.probing = true; setTimeout(probe, 0); }
  };
  window.addEventListener('pointerup', stamp, { capture: true });
  window.addEventListener('keydown', stamp, { capture: true });
}"""

READ_PROBE = (
    "() => { const s = window.__shapeBench; s.probing = false;"
    " const since = (name) => performance.getEntriesByName(name)"
    "   .filter((e) => e.startTime >= s.endNow).map((e) => e.duration);"
    " return { end: s.end, maxGap: s.maxGap, own: Math.max(0, ...since('crowdseg-sync')),"
    "   commit: Math.max(0, ...since('crowdseg-commit')) }; }"
)


@dataclass
class ShapeFigures:
    """Per action: event → label map current, → PNG value, longest block, sync's own step."""

    current_ms: list[float] = field(default_factory=list)
    value_ms: list[float] = field(default_factory=list)
    block_ms: list[float] = field(default_factory=list)
    own_ms: list[float] = field(default_factory=list)
    commit_ms: list[float] = field(default_factory=list)  # the editor's whole action end


@dataclass
class SizeResult:
    ping_ms: float  # median one-way custom message, page → kernel
    shapes: dict[str, ShapeFigures]


class Stage:
    """Screen coordinates of image pixels in the widget's canvas."""

    def __init__(self, nb: NotebookPage, width: int, height: int) -> None:
        self.nb, self.width, self.height = nb, width, height
        canvas = nb.wait_for_widget(0, timeout=180_000)
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        assert box is not None
        self.box = box
        self.canvas = canvas

    def at(self, fx: float, fy: float) -> tuple[float, float]:
        """The screen point at fractions (fx, fy) of the image."""
        return self.box["x"] + fx * self.box["width"], self.box["y"] + fy * self.box["height"]

    def drag(self, points: list[tuple[float, float]]) -> None:
        mouse = self.nb.page.mouse
        mouse.move(*self.at(*points[0]))
        mouse.down()
        for p in points[1:]:
            mouse.move(*self.at(*p))
        mouse.up()

    def key(self, key: str) -> None:
        self.canvas.focus()
        self.nb.page.keyboard.press(key)


def ellipse(scale: float, moves: int = 100) -> list[tuple[float, float]]:
    return [
        (0.5 + 0.45 * scale * math.cos(2 * math.pi * k / moves),
         0.5 + 0.42 * scale * math.sin(2 * math.pi * k / moves))
        for k in range(moves + 1)
    ]  # fmt: skip


def actions(stage: Stage) -> dict[str, Callable[[], None]]:
    """Each shape as the user makes it (tool chosen and sized first, not timed)."""
    radius = stage.nb.output(0).locator("input.crowdseg-radius").first

    def outline() -> None:
        stage.key("b")
        set_radius(radius, 4)
        stage.drag(ellipse(1.0))

    def band() -> None:
        stage.key("b")
        set_radius(radius, 50)
        stage.drag([(0.05 + 0.009 * k, 0.3 + 0.002 * k) for k in range(101)])

    def polygon() -> None:
        stage.key("p")
        for fx, fy in [(0.3, 0.3), (0.6, 0.25), (0.7, 0.5), (0.6, 0.7), (0.35, 0.72), (0.25, 0.5)]:
            stage.nb.page.mouse.click(*stage.at(fx, fy))
        stage.key("Enter")

    def fill() -> None:
        stage.key("f")
        stage.nb.page.mouse.click(*stage.at(0.15, 0.5))  # inside the outline, around the rest

    return {"outline": outline, "band": band, "polygon": polygon, "fill": fill}


def wait_for(nb: NotebookPage, name: str, count: int) -> float:
    """The kernel's `name[count - 1]` once it exists (polled: a kernel round trip each)."""
    deadline = time.monotonic() + 60
    while int(nb.kernel_eval(f"len({name})")) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the kernel's {name} has no entry {count}; {nb.errors}")
        time.sleep(0.02)
    return float(nb.kernel_eval(f"{name}[{count - 1}]"))


def timed(nb: NotebookPage, act: Callable[[], None], figures: ShapeFigures) -> None:
    changes = int(nb.kernel_eval("len(current)"))
    values = int(nb.kernel_eval("len(values)"))
    act()
    current = wait_for(nb, "current", changes + 1)
    value = wait_for(nb, "values", values + 1)
    probe = nb.page.evaluate(READ_PROBE)
    figures.current_ms.append(current * 1000 - probe["end"])
    figures.value_ms.append(value * 1000 - probe["end"])
    figures.block_ms.append(probe["maxGap"])
    figures.own_ms.append(probe["own"])
    figures.commit_ms.append(probe["commit"])
    nb.page.wait_for_timeout(400)


def ping(nb: NotebookPage) -> float:
    for k in range(PINGS):
        nb.page.evaluate("() => window.__ping()")
        wait_for(nb, "pings", k + 1)
        nb.page.wait_for_timeout(50)
    return statistics.median(float(v) for v in nb.kernel_json("pings"))


def measure(nb: NotebookPage, width: int, height: int, repeats: int) -> SizeResult:
    stage = Stage(nb, width, height)
    nb.page.wait_for_timeout(3000)  # the view has loaded and primed its encoder
    nb.page.evaluate(PROBE_JS)
    shapes = {name: ShapeFigures() for name in SHAPES}
    undos = {f"undo {name}": ShapeFigures() for name in SHAPES}
    reference = ping(nb)
    acts = actions(stage)
    for _ in range(repeats):
        for name in SHAPES:  # the outline, a band and a polygon over it, the fill around them
            timed(nb, acts[name], shapes[name])
        for name in reversed(SHAPES):  # then each undone, back to the empty image
            timed(nb, lambda: stage.key("Control+z"), undos[f"undo {name}"])
    return SizeResult(reference, {**shapes, **undos})


def run(repeats: int = 3, sizes: list[tuple[int, int]] = SIZES) -> dict[str, SizeResult]:
    def cell_for(width: int, height: int) -> str:
        return CELL.format(ping=PING_ESM, width=width, height=height)

    def measure_size(
        nb: NotebookPage, width: int, height: int, label: str
    ) -> dict[str, SizeResult]:
        return {label: measure(nb, width, height, repeats)}

    return each_size("shapes", sizes, cell_for, measure_size)


def main() -> None:
    quick = "--quick" in sys.argv  # one repeat, 1 MP only: a check that it runs
    for label, r in run(1 if quick else 3, SIZES[:1] if quick else SIZES).items():
        print(f"{label}: one custom message page → kernel, median {r.ping_ms:.1f} ms")
        for name, f in r.shapes.items():
            current = statistics.median(f.current_ms)
            print(
                f"  {name:14s} label map current {current:6.1f} ms ({current / r.ping_ms:.1f}x);"
                f" PNG value {statistics.median(f.value_ms):6.1f} ms;"
                f" longest block {max(f.block_ms):5.1f} ms; action end {max(f.commit_ms):5.1f} ms,"
                f" of it the sync's {max(f.own_ms):5.1f} ms"
            )


if __name__ == "__main__":
    main()
