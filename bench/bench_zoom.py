"""Painting zoomed in at 400 % (panned to the image's corner) against the fit, in a real JupyterLab.

Issue 14, goal 5: zoomed in at 12 MP, the per-move main-thread cost and the
stroke-end figures are as zoomed out, because only what is on screen is drawn
(js/view/screenLayer.ts). At 1 MP and 12 MP (a uniform grey image, as
bench_stroke_shapes.py), the same band stroke (radius 50, 60 moves across the
visible part of the image) is painted alternately at the fit and at 400 % in
the bottom-right corner, three times each. Per stroke: per pointermove the
handler plus the next frame's render (bench_paint.py's MEASURE_JS, the figure
2 method), the longest main-thread block from the pointerup to 1 s after it,
and pointerup → the kernel's label map current (`on_change`, one clock:
`performance.timeOrigin + now()` against `time.time()`). Zoomed in is
reported as a ratio to the fit measured in the same run.

JupyterLab, not the harness page: the stroke end's figures need the kernel.

    python bench/bench_zoom.py       # needs /usr/bin/chromium and `npm run build`
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_paint import MEASURE_JS, RECORD_POINTER_JS  # noqa: E402
from bench_stroke_shapes import CELL, PING_ESM, wait_for  # noqa: E402
from lab_runs import each_size  # noqa: E402
from tests.browser.harness import set_radius  # noqa: E402
from tests.browser.lab import NotebookPage  # noqa: E402

SIZES = [(1000, 1000), (4000, 3000)]
VIEWS = ["fit", "400 %"]
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


# The stage's own main-thread steps since the pointerup (User Timing, js/view/): its frame
# render of the dirty rect, the screen layers' full redraws, the overlay truth's idle slices.
STAGE_STEPS = ["crowdseg-frame", "crowdseg-screen-draw", "crowdseg-overlay-idle"]
STEPS_JS = """([names, since]) => Object.fromEntries(names.map((name) => [name, Math.max(0,
  ...performance.getEntriesByName(name).filter((e) => e.startTime >= since - performance.timeOrigin)
    .map((e) => e.duration))]))"""


@dataclass
class ViewFigures:
    move_ms: list[float] = field(default_factory=list)  # every pointermove of every stroke
    block_ms: list[float] = field(default_factory=list)  # per stroke
    current_ms: list[float] = field(default_factory=list)  # per stroke
    stage_ms: list[float] = field(default_factory=list)  # per stroke: the stage's longest step
    steps: dict[str, float] = field(default_factory=dict)  # the longest of each step name


class Widget:
    """The widget's stage in the notebook: zoom it as a user would, paint bands."""

    def __init__(self, nb: NotebookPage, width: int, height: int) -> None:
        self.nb, self.width, self.height = nb, width, height
        self.canvas = nb.wait_for_widget(0, timeout=180_000)
        self.canvas.scroll_into_view_if_needed()
        nb.page.evaluate(RECORD_POINTER_JS)
        self.canvas.focus()
        nb.page.keyboard.press("b")
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

    def band(self, k: int) -> list[tuple[float, float]]:
        """A band of MOVES client points across the part of the image on screen (row k)."""
        stage, image, _ = self.boxes()
        x0 = max(stage["x"], image["x"]) + 10
        x1 = min(stage["x"] + stage["width"], image["x"] + image["width"]) - 10
        y0 = max(stage["y"], image["y"])
        y1 = min(stage["y"] + stage["height"], image["y"] + image["height"])
        y = y0 + (y1 - y0) * (0.3 + 0.15 * k)
        return [(x0 + (x1 - x0) * i / (MOVES - 1), y + 10 * i / MOVES) for i in range(MOVES)]

    def stroke(self, points: list[tuple[float, float]], figures: ViewFigures) -> None:
        changes = int(self.nb.kernel_eval("len(current)"))
        mouse = self.nb.page.mouse
        mouse.move(*points[0])
        mouse.down()  # a real press: the stage captures this pointer
        result = self.nb.page.evaluate(MEASURE_JS, [points[1:], SETTLE_MS])
        mouse.up()  # the synthetic pointerup ended the stroke; this one is ignored
        current = wait_for(self.nb, "current", changes + 1)
        figures.move_ms.extend(result["times"])
        figures.block_ms.append(result["maxBlock"])
        figures.current_ms.append(current * 1000 - result["upAt"])
        steps = self.nb.page.evaluate(STEPS_JS, [STAGE_STEPS, result["upAt"]])
        figures.stage_ms.append(max(steps.values()))
        for name, ms in steps.items():
            figures.steps[name] = max(ms, figures.steps.get(name, 0.0))
        self.nb.page.wait_for_timeout(300)


def measure(nb: NotebookPage, width: int, height: int) -> dict[str, ViewFigures]:
    widget = Widget(nb, width, height)
    nb.page.wait_for_timeout(3000)  # the view has loaded and primed its encoder
    figures = {view: ViewFigures() for view in VIEWS}
    for k in range(REPEATS):
        for view in VIEWS:  # interleaved, so drift in the machine's load hits both alike
            widget.show(view)
            widget.stroke(widget.band(k), figures[view])
    return figures


def run(sizes: list[tuple[int, int]] = SIZES) -> dict[str, dict[str, ViewFigures]]:
    def cell_for(width: int, height: int) -> str:
        return CELL.format(ping=PING_ESM, width=width, height=height)

    def measure_size(
        nb: NotebookPage, width: int, height: int, label: str
    ) -> dict[str, dict[str, ViewFigures]]:
        return {label: measure(nb, width, height)}

    return each_size("zoom", sizes, cell_for, measure_size)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def main() -> None:
    print(f"band r = {RADIUS}, {MOVES} moves, {REPEATS} strokes per view, JupyterLab + Chromium")
    for label, views in run().items():
        fit = views["fit"]
        print(f"{label}:")
        for view, f in views.items():
            move, block = statistics.median(f.move_ms), max(f.block_ms)
            current = statistics.median(f.current_ms)
            ratios = (
                ""
                if view == "fit"
                else f"  (x fit: move {move / statistics.median(fit.move_ms):.2f},"
                f" block {block / max(fit.block_ms):.2f},"
                f" current {current / statistics.median(fit.current_ms):.2f})"
            )
            print(
                f"  {view:6s} per move median {move:5.2f} ms (p95 {p95(f.move_ms):5.2f});"
                f" longest block {block:5.1f} ms, of it the stage's {max(f.stage_ms):4.1f} ms;"
                f" label map current {current:5.1f} ms{ratios}"
            )
            print(
                "         the stage's longest steps: "
                + ", ".join(
                    f"{name.removeprefix('crowdseg-')} {ms:.1f} ms" for name, ms in f.steps.items()
                )
            )


if __name__ == "__main__":
    main()
