"""Painting zoomed in at 400 % (panned to the image's corner) against the fit, in a real JupyterLab.

Issue 14, goal 5: zoomed in at 12 MP, the per-move main-thread cost and the
stroke-end figures are as zoomed out, because only what is on screen is drawn
(js/view/screenLayer.ts); and goal 2's part for the stage: its frame work
after any action, a fill of the whole image included, is well under 16 ms.
At 1 MP and 12 MP (a uniform grey image, as bench_stroke_shapes.py), three
rounds at the fit and at 400 % in the bottom-right corner, interleaved; each
round, on the empty image: a fill (the whole image), its undo, a band stroke
(radius 50, 60 moves across the visible part), its undo. Per action: the
longest main-thread block from the event to the kernel's label map (zero-delay
task probe), the longest animation-frame and idle callback in that time
(`requestAnimationFrame` / `requestIdleCallback` wrapped, so an old build is
measured the same way) and the stage's own longest step (User Timing,
js/view/), event → the kernel's label map current (`on_change`; one clock:
`performance.timeOrigin + now()` against `time.time()`); for the band also per
pointermove the handler plus the next frame's render (bench_paint.py's
MEASURE_JS, the figure 2 method) and the 95th percentile of the interval
from frame to frame while painting (one move per frame: over 16.7 ms means
the rest of the frame, the browser's paint and raster of the canvases, fell
behind). 400 % is reported as a ratio to the fit of
the same run.

JupyterLab, not the harness page: the stroke end's figures need the kernel.

    python bench/bench_zoom.py       # needs /usr/bin/chromium and `npm run build`
"""

from __future__ import annotations

import itertools
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_paint import MEASURE_JS, RECORD_POINTER_JS  # noqa: E402
from bench_stroke_shapes import CELL, PING_ESM, PROBE_JS, ShapeFigures, timed, wait_for  # noqa: E402
from lab_runs import each_size  # noqa: E402
from tests.browser.harness import set_radius  # noqa: E402
from tests.browser.lab import NotebookPage  # noqa: E402

SIZES = [(1000, 1000), (4000, 3000)]
VIEWS = ["fit", "400 %"]
ACTIONS = ["fill", "undo fill", "band", "undo band"]
REPEATS = 3
MOVES = 60
RADIUS = 50
SETTLE_MS = 1000

BOXES_JS = """() => {
  const box = (sel) => { const r = document.querySelector(sel).getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height }; };
  return [box('.crowdseg-stage'), box('canvas.crowdseg-input'),
    document.querySelector('.crowdseg-zoom-readout').textContent];
}"""

# Every animation-frame and idle callback's start and duration, in window.__callbacks.
WRAP_CALLBACKS_JS = """() => {
  window.__callbacks = { requestAnimationFrame: [], requestIdleCallback: [] };
  for (const key of Object.keys(window.__callbacks)) {
    const original = window[key].bind(window);
    const log = window.__callbacks[key];
    window[key] = (callback, ...rest) => original((...args) => {
      const start = performance.now();
      try { callback(...args); } finally {
        log.push([start, performance.now() - start]);
        if (log.length > 4000) log.splice(0, 2000);
      }
    }, ...rest);
  }
}"""

# The stage's own main-thread steps (User Timing, js/view/): its frame render of the dirty
# rect, the screen layers' full redraws, the overlay truth's idle slices.
STAGE_STEPS = ["crowdseg-frame", "crowdseg-screen-draw", "crowdseg-overlay-idle"]
# The longest of each since `since` (performance.timeOrigin + now()).
LONGEST_JS = """([steps, since]) => {
  const from = since - performance.timeOrigin;
  const longest = (times) => Math.max(0, ...times.filter(([s]) => s >= from).map(([, d]) => d));
  const step = (name) => performance.getEntriesByName(name).map((e) => [e.startTime, e.duration]);
  return { frame: longest(window.__callbacks.requestAnimationFrame),
    idle: longest(window.__callbacks.requestIdleCallback),
    stage: Math.max(0, ...steps.map((name) => longest(step(name)))) };
}"""


@dataclass
class Figures:
    """Per action, over its repeats."""

    move_ms: list[float] = field(default_factory=list)  # every pointermove (the band only)
    interval_ms: list[float] = field(default_factory=list)  # frame to frame while painting
    block_ms: list[float] = field(default_factory=list)
    frame_ms: list[float] = field(default_factory=list)  # longest animation-frame callback
    idle_ms: list[float] = field(default_factory=list)  # longest idle callback
    stage_ms: list[float] = field(default_factory=list)  # the stage's longest step
    current_ms: list[float] = field(default_factory=list)

    def add_longest(self, nb: NotebookPage, since: float) -> None:
        longest = nb.page.evaluate(LONGEST_JS, [STAGE_STEPS, since])
        self.frame_ms.append(longest["frame"])
        self.idle_ms.append(longest["idle"])
        self.stage_ms.append(longest["stage"])


class Widget:
    """The widget's stage in the notebook: zoom it, fill, paint bands, undo, as a user would."""

    def __init__(self, nb: NotebookPage) -> None:
        self.nb = nb
        self.canvas = nb.wait_for_widget(0, timeout=180_000)
        self.canvas.scroll_into_view_if_needed()
        nb.page.evaluate(RECORD_POINTER_JS)
        nb.page.evaluate(WRAP_CALLBACKS_JS)
        nb.page.evaluate(PROBE_JS)
        self.keys("b")
        set_radius(nb.output(0).locator("input.crowdseg-radius").first, RADIUS)

    def boxes(self) -> tuple[dict[str, float], dict[str, float], str]:
        stage, image, readout = self.nb.page.evaluate(BOXES_JS)
        return stage, image, readout

    def keys(self, *keys: str) -> None:
        self.canvas.focus()
        for key in keys:
            self.nb.page.keyboard.press(key)

    def show(self, view: str) -> None:
        """The fit, or 400 % around the image's bottom-right pixel, panned so the corner
        sits inside the stage (a middle-button drag)."""
        mouse = self.nb.page.mouse
        self.keys("0")
        if view == "400 %":
            _, image, _ = self.boxes()
            mouse.move(image["x"] + image["width"] - 1, image["y"] + image["height"] - 1)
            self.keys("Shift+0", "+", "+")
            stage, _, _ = self.boxes()
            x, y = stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 2
            mouse.move(x, y)
            mouse.down(button="middle")
            mouse.move(x - 200, y - 150, steps=4)
            mouse.up(button="middle")
        self.nb.page.wait_for_timeout(500)  # the zoom settled and redrawn
        _, _, readout = self.boxes()
        assert view == "fit" or readout == view, f"zoom readout {readout}, wanted {view}"

    def visible(self) -> tuple[float, float, float, float]:
        """The part of the image on screen, client coordinates: x0, y0, x1, y1."""
        stage, image, _ = self.boxes()
        return (
            max(stage["x"], image["x"]),
            max(stage["y"], image["y"]),
            min(stage["x"] + stage["width"], image["x"] + image["width"]),
            min(stage["y"] + stage["height"], image["y"] + image["height"]),
        )

    def band(self, k: int) -> list[tuple[float, float]]:
        """A band of MOVES client points across the part of the image on screen (row k)."""
        x0, y0, x1, y1 = self.visible()
        y = y0 + (y1 - y0) * (0.3 + 0.15 * k)
        return [
            (x0 + 10 + (x1 - x0 - 20) * i / (MOVES - 1), y + 10 * i / MOVES) for i in range(MOVES)
        ]

    def timed(self, act: Callable[[], None], figures: Figures) -> None:
        """An action ended by a click or a key (bench_stroke_shapes' probe)."""
        shape = ShapeFigures()
        timed(self.nb, act, shape)
        figures.block_ms.extend(shape.block_ms)
        figures.current_ms.extend(shape.current_ms)
        figures.add_longest(self.nb, float(self.nb.page.evaluate("window.__shapeBench.end")))

    def fill(self) -> None:
        self.keys("f")
        x0, y0, x1, y1 = self.visible()
        self.nb.page.mouse.click((x0 + x1) / 2, (y0 + y1) / 2)

    def stroke(self, points: list[tuple[float, float]], figures: Figures) -> None:
        self.keys("b")
        changes = int(self.nb.kernel_eval("len(current)"))
        mouse = self.nb.page.mouse
        mouse.move(*points[0])
        mouse.down()  # a real press: the stage captures this pointer
        result = self.nb.page.evaluate(MEASURE_JS, [points[1:], SETTLE_MS])
        mouse.up()  # the synthetic pointerup ended the stroke; this one is ignored
        current = wait_for(self.nb, "current", changes + 1)
        figures.move_ms.extend(result["times"])
        ends = result["ends"]
        figures.interval_ms.extend(b - a for a, b in itertools.pairwise(ends))
        figures.block_ms.append(result["maxBlock"])
        figures.current_ms.append(current * 1000 - result["upAt"])
        figures.add_longest(self.nb, result["upAt"])
        self.nb.page.wait_for_timeout(300)


def measure(nb: NotebookPage) -> dict[str, dict[str, Figures]]:
    widget = Widget(nb)
    nb.page.wait_for_timeout(3000)  # the view has loaded and primed its encoder
    figures = {view: {action: Figures() for action in ACTIONS} for view in VIEWS}
    undo = lambda: widget.keys("Control+z")  # noqa: E731
    for k in range(REPEATS):
        for view in VIEWS:  # interleaved, so drift in the machine's load hits both alike
            f = figures[view]
            widget.show(view)
            widget.timed(widget.fill, f["fill"])
            widget.timed(undo, f["undo fill"])
            widget.stroke(widget.band(k), f["band"])
            widget.timed(undo, f["undo band"])
    return figures


def run(sizes: list[tuple[int, int]] = SIZES) -> dict[str, dict[str, dict[str, Figures]]]:
    def cell_for(width: int, height: int) -> str:
        return CELL.format(ping=PING_ESM, width=width, height=height)

    def measure_size(
        nb: NotebookPage, width: int, height: int, label: str
    ) -> dict[str, dict[str, dict[str, Figures]]]:
        return {label: measure(nb)}

    return each_size("zoom", sizes, cell_for, measure_size)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def summary(f: Figures) -> dict[str, float]:
    return {
        "move": statistics.median(f.move_ms) if f.move_ms else 0.0,
        "interval": p95(f.interval_ms) if f.interval_ms else 0.0,
        "block": max(f.block_ms),
        "frame": max(f.frame_ms),
        "idle": max(f.idle_ms),
        "stage": max(f.stage_ms),
        "current": statistics.median(f.current_ms),
    }


def main() -> None:
    print(f"{REPEATS} rounds per view; band r = {RADIUS}, {MOVES} moves; JupyterLab + Chromium")
    print("longest (max over rounds): main-thread block, animation-frame callback, idle callback,")
    print("the stage's own step; medians: per move, label map current")
    for label, views in run().items():
        print(f"{label}:")
        for action in ACTIONS:
            fit = summary(views["fit"][action])
            for view in VIEWS:
                s = summary(views[view][action])
                move = (
                    f"per move {s['move']:4.2f} ms, frame interval p95 {s['interval']:5.1f} ms; "
                    if action == "band"
                    else ""
                )
                ratio = ""
                if view != "fit":
                    ratio = (
                        "  (x fit: "
                        + ", ".join(
                            f"{key} {s[key] / fit[key]:.2f}"
                            for key in ("move", "interval", "block", "frame", "current")
                            if fit[key] > 0
                        )
                        + ")"
                    )
                print(
                    f"  {action:9s} {view:5s} {move}block {s['block']:5.1f},"
                    f" frame {s['frame']:4.1f}, idle {s['idle']:4.1f}, stage {s['stage']:4.1f} ms;"
                    f" label map current {s['current']:5.1f} ms{ratio}"
                )


if __name__ == "__main__":
    main()
