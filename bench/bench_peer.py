"""Issue 14's outline strokes, jupyter-paint-segment 0.1.0 beside us: one JupyterLab, one Chromium.

As a user outlining objects would: a thin brush (radius 4) dragged in 100 moves
around an ellipse spanning most of a uniform grey image, five such strokes,
each a little smaller, at 1 MP and 12 MP, first in our widget, then in the
peer's (its own notebook in the same server and browser, shown at the same
size on screen, so the same mouse path paints the same image pixels). Per
widget and size:

- stroke end → Python sees the new state, median of the five: the peer's
  `_drawing_base64` observer (its whole drawing as a Base64 PNG); ours
  `on_change` (the label map holds the stroke) and the `value` trait (the PNG);
  pointerup stamped in the page (`performance.timeOrigin + now()`), the kernel
  with `time.time()`: one clock;
- the pointerup handler on the main thread (pointerup's capture on window to
  the end of the last listener of that input: `pointerup` ours, `mouseup` the
  peer's, which listens to mouse events);
- the longest main-thread block after pointerup (bench_stroke_shapes' probe),
  and the long tasks (PerformanceObserver, over 50 ms) over the five strokes;
- per move: the handlers of that input (pointermove's capture to the last
  listener) plus the animation-frame callbacks that follow it (ours renders
  there; the peer draws in its handler); moves are paced one frame apart so
  each frame is one move's. Chromium's own paint of the canvas is in neither.

The same-run reference is one custom message page → kernel, as in
bench_stroke_shapes, measured in each notebook. Then the painted pixels are
compared: the peer's own result (`segmentation_result()`) against our label map.

    make bench-env && .venv-bench/bin/python bench/bench_peer.py [--quick]

The kernel is this interpreter (tests/browser/lab.py), so the peer must be
installed in it; without it, the script says how and measures us alone.
"""

from __future__ import annotations

import importlib.util
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_stroke_shapes import (  # noqa: E402
    CELL,
    PING_ESM,
    PROBE_JS,
    READ_PROBE,
    SIZES,
    Stage,
    ellipse,
    ping,
    wait_for,
)
from lab_runs import each_size  # noqa: E402
from tests.browser.harness import set_radius  # noqa: E402
from tests.browser.lab import NotebookPage, open_notebook  # noqa: E402

PEER = "jupyter_paint_segment"
PEER_INSTALL = (
    "make bench-env, then run this with .venv-bench/bin/python (or, bench-only:"
    " pip install --no-deps jupyter-paint-segment==0.1.0 opencv-python-headless pandas matplotlib)"
)
RADIUS = 4
STROKES = 5
SCALES = [1.0 - 0.06 * k for k in range(STROKES)]  # each outline a little smaller

# The peer's cell: bench_stroke_shapes' ping widget, then the peer's widget in place of ours.
OURS = "w = InstanceSegmentation("
assert OURS in CELL, "bench_stroke_shapes.CELL no longer makes `w` as this bench expects"
PEER_CELL = (
    CELL.split(OURS)[0]
    + """\
from jupyter_paint_segment import SegmentWidget

w = SegmentWidget(np.full(({height}, {width}, 3), 128, np.uint8), labels=["Cat"],
                  image_scale={scale!r})
current = values = []
w.observe(lambda change: values.append(time.time()), "_drawing_base64")

def save_painted(path):
    # The peer's own result (its colours snapped to the labels' and to black), and the
    # distinct colours its raw drawing holds: more than label + background would be blending.
    np.save(path, w.segmentation_result()[0] != 0)
    rgb = w._drawing_rgb.astype(np.uint32)
    return [f"#{{c:06x}}" for c in np.unique(rgb[..., 0] << 16 | rgb[..., 1] << 8 | rgb[..., 2])]

display(ping)
w"""
)

# Per move and per pointerup, the main-thread time of the page's handlers (window capture
# to the end of the last listener of that input) and, per move, the frame callbacks after it.
INSTRUMENT_JS = """([moveEnd, upEnd]) => {
  const s = { moves: [], ups: [], cur: null, upStart: 0, longTasks: [], from: 0 };
  window.__peerBench = s;
  const now = () => performance.now();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) s.longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask' });
  window.addEventListener('pointermove', (e) => {
    if (!e.buttons) return;
    const cur = { t0: now(), f0: 0 };
    s.cur = cur;
    requestAnimationFrame(() => { cur.f0 = now(); });  // before the page's own callbacks
  }, { capture: true });
  window.addEventListener(moveEnd, (e) => {
    const cur = s.cur;
    if (!e.buttons || cur === null) return;
    s.cur = null;
    const handler = now() - cur.t0;
    requestAnimationFrame(() => { s.moves.push(handler + now() - cur.f0); });  // after them
  });
  window.addEventListener('pointerup', () => { s.upStart = now(); }, { capture: true });
  window.addEventListener(upEnd, () => { s.ups.push(now() - s.upStart); });
}"""

READ_INSTRUMENT = (
    "() => { const s = window.__peerBench; return { moves: s.moves, ups: s.ups,"
    " longTasks: s.longTasks.filter(([t]) => t >= s.from).map(([, d]) => d) }; }"
)
NEXT_FRAME = "() => new Promise((done) => requestAnimationFrame(() => done()))"


@dataclass
class WidgetFigures:
    """One widget's five outline strokes at one size."""

    python_ms: list[float] = field(default_factory=list)  # the peer's trait; our label map
    value_ms: list[float] = field(default_factory=list)  # our `value` trait (the peer: none)
    up_ms: list[float] = field(default_factory=list)  # the pointerup handler
    block_ms: list[float] = field(default_factory=list)  # longest block after pointerup
    move_ms: list[float] = field(default_factory=list)  # per move, handler + its frame
    long_tasks_ms: list[float] = field(default_factory=list)  # over the five strokes
    action_ms: list[float] = field(default_factory=list)  # ours: the editor's action end
    sync_ms: list[float] = field(default_factory=list)  # ours: the sync's longest own step
    ping_ms: float = 0.0  # the same run's custom message page → kernel, median


@dataclass
class PixelCheck:
    """Ours against the peer's painted pixels for the same mouse path."""

    ours: int
    peer: int
    only_ours: int
    only_peer: int
    ours_within: int  # every pixel of ours is within this many px of the peer's (a square)
    peer_within: int  # and every pixel of the peer's within this many of ours
    peer_colours: list[str]

    @property
    def iou(self) -> float:
        both = self.ours - self.only_ours
        return both / (self.ours + self.only_peer) if self.ours + self.only_peer else 1.0


@dataclass
class SizeResult:
    ours: WidgetFigures
    peer: WidgetFigures | None
    pixels: PixelCheck | None


# Where `canvas` shows a `w` x `h` image, in page coordinates: from its content box's corner
# (the peer's has a 1 px border) as drawn (ours is image-sized, scaled by its zoom layer's
# transform), the image fitted and centred in it; or, with `own` > 0, at the widget's own
# scale (the peer maps offsetX / its image_scale, though JupyterLab's border-box sizing makes
# its content 2 px narrower than that).
IMAGE_RECT_JS = """(c, [w, h, own]) => {
  const r = c.getBoundingClientRect(), k = r.width / c.offsetWidth;
  const cw = c.clientWidth * k, ch = c.clientHeight * k;
  const s = own > 0 ? own : Math.min(cw / w, ch / h), fitted = own > 0 ? 0 : 1;
  return { x: r.left + c.clientLeft * k + fitted * (cw - w * s) / 2,
           y: r.top + c.clientTop * k + fitted * (ch - h * s) / 2,
           width: w * s, height: h * s, bottom: window.innerHeight, right: window.innerWidth };
}"""


class ImageOnScreen(Stage):
    """A Stage whose `at` maps fractions of the image itself, for either widget: `selector`
    is the canvas that takes its pointer events; `own_scale`, the peer's image_scale. The
    same fractions, the same image pixels (up to the input's rounding: see bench/README.md)."""

    def __init__(
        self, nb: NotebookPage, width: int, height: int, selector: str, own_scale: float = 0
    ) -> None:
        self.nb, self.width, self.height = nb, width, height
        self.canvas = nb.wait_for_widget(0, selector, timeout=180_000)
        self.canvas.scroll_into_view_if_needed()
        rect = self.canvas.evaluate(IMAGE_RECT_JS, [width, height, own_scale])
        if rect["y"] + rect["height"] > rect["bottom"] or rect["x"] + rect["width"] > rect["right"]:
            raise RuntimeError(f"the image is not all in the viewport: {rect}")
        self.box = {k: float(rect[k]) for k in ("x", "y", "width", "height")}  # type: ignore[assignment]


def paced_drag(stage: Stage, points: list[tuple[float, float]]) -> None:
    """A drag through `points`, each move in its own frame (so the frame is that move's)."""
    mouse, page = stage.nb.page.mouse, stage.nb.page
    mouse.move(*stage.at(*points[0]))
    mouse.down()
    for p in points[1:]:
        mouse.move(*stage.at(*p))
        page.evaluate(NEXT_FRAME)
    mouse.up()


def outlines(stage: Stage, figures: WidgetFigures, arrivals: list[str]) -> None:
    """The five strokes; `arrivals`: the kernel's lists of arrival times (first: python_ms)."""
    nb = stage.nb
    nb.page.evaluate("() => { window.__peerBench.from = performance.now(); }")
    for scale in SCALES:
        counts = [int(nb.kernel_eval(f"len({name})")) for name in arrivals]
        paced_drag(stage, ellipse(scale))
        times = [wait_for(nb, name, n + 1) for name, n in zip(arrivals, counts, strict=True)]
        probe = nb.page.evaluate(READ_PROBE)
        figures.python_ms.append(times[0] * 1000 - probe["end"])
        figures.value_ms.extend(t * 1000 - probe["end"] for t in times[1:])
        figures.block_ms.append(probe["maxGap"])
        figures.action_ms.append(probe["commit"])  # the `crowdseg-commit` entry (the peer: 0)
        figures.sync_ms.append(probe["own"])  # the longest `crowdseg-sync` entry (the peer: 0)
        nb.page.wait_for_timeout(400)
    nb.page.wait_for_timeout(300)  # a long task of the last stroke is reported after it ends
    read = nb.page.evaluate(READ_INSTRUMENT)
    figures.move_ms, figures.up_ms = read["moves"], read["ups"]
    figures.long_tasks_ms = read["longTasks"]


def prepare(nb: NotebookPage, moves_end: str, up_end: str) -> WidgetFigures:
    """The page's probes installed and the reference measured, before any stroke."""
    nb.page.wait_for_timeout(3000)  # the view has loaded (ours: primed its encoder)
    nb.page.evaluate(PROBE_JS)
    nb.page.evaluate(INSTRUMENT_JS, [moves_end, up_end])
    return WidgetFigures(ping_ms=ping(nb))


def measure_ours(
    nb: NotebookPage, width: int, height: int, mask: Path
) -> tuple[WidgetFigures, Stage]:
    stage = ImageOnScreen(nb, width, height, "canvas.crowdseg-input")
    figures = prepare(nb, "pointermove", "pointerup")
    stage.key("b")
    set_radius(nb.output(0).locator("input.crowdseg-radius").first, RADIUS)
    outlines(stage, figures, ["current", "values"])
    nb.kernel_eval(f"np.save({str(mask)!r}, w.label_map != 0)")
    return figures, stage


def peer_brush(nb: NotebookPage, scale: float) -> None:
    """Brush size 2 x RADIUS on the peer's slider (its size is a diameter: its stamp's radius
    is size // 2), checked on its brush cursor. Set as a value with input and change events
    (Playwright's fill of a range): its arrow keys do not reach it in JupyterLab."""
    nb.output(0).locator("input#line-width-range").first.fill(str(2 * RADIUS))
    cursor = nb.page.evaluate("() => document.querySelector('#brush-cursor').style.width")
    assert float(cursor.removesuffix("px")) == 2 * RADIUS * scale, f"peer's brush is {cursor}"


def measure_peer(
    ours: NotebookPage, stage: Stage, width: int, height: int, mask: Path
) -> tuple[WidgetFigures, list[str]]:
    """The peer's notebook in the same server and browser, at our widget's on-screen size;
    our page is closed first (its worker idle too)."""
    scale = stage.box["width"] / width
    cell = PEER_CELL.format(ping=PING_ESM, width=width, height=height, scale=scale)
    browser = ours.context.browser
    assert browser is not None
    ours.close()
    nb = open_notebook(ours.server, browser, f"peer{width}x{height}", [cell])
    try:
        nb.run_cell(0)
        peer_stage = ImageOnScreen(nb, width, height, "canvas#drawing-canvas", scale)
        figures = prepare(nb, "mousemove", "mouseup")
        peer_brush(nb, scale)
        outlines(peer_stage, figures, ["values"])
        colours = [str(c) for c in nb.kernel_json(f"save_painted({str(mask)!r})")]
        if nb.errors:
            raise RuntimeError(f"page errors in the peer's notebook: {nb.errors}")
        return figures, colours
    finally:
        nb.close()


def grown(mask: np.ndarray, by: int) -> np.ndarray:
    """`mask` dilated by a (2 by + 1)-pixel square."""
    out = mask.copy()
    for _ in range(by):
        step = out.copy()
        step[1:] |= out[:-1]
        step[:-1] |= out[1:]
        step[:, 1:] |= step[:, :-1].copy()
        step[:, :-1] |= step[:, 1:].copy()
        out = step
    return out


def within(a: np.ndarray, b: np.ndarray, limit: int = 16) -> int:
    """The smallest k such that every pixel of `a` is within k px (a square) of `b`."""
    reach = b
    for k in range(limit + 1):
        if not (a & ~reach).any():
            return k
        reach = grown(reach, 1)
    return limit + 1


def compare(ours_mask: Path, peer_mask: Path, colours: list[str]) -> PixelCheck:
    a, b = np.load(ours_mask), np.load(peer_mask)
    assert a.shape == b.shape, f"ours {a.shape}, the peer's {b.shape}"
    return PixelCheck(
        int(a.sum()), int(b.sum()), int((a & ~b).sum()), int((b & ~a).sum()),
        within(a, b), within(b, a), colours,
    )  # fmt: skip


def with_peer() -> bool:
    """Is the peer installed in this interpreter (and so in the kernel's)?"""
    return importlib.util.find_spec(PEER) is not None


def run(sizes: list[tuple[int, int]] = SIZES) -> dict[str, SizeResult]:
    peer_here = with_peer()
    if not peer_here:
        print(f"{PEER} is not installed in {sys.executable}: measuring ours alone. {PEER_INSTALL}")
    tmp = Path(tempfile.mkdtemp(prefix="crowdseg-peer-"))

    def cell_for(width: int, height: int) -> str:
        return CELL.format(ping=PING_ESM, width=width, height=height)

    def measure_size(
        nb: NotebookPage, width: int, height: int, label: str
    ) -> dict[str, SizeResult]:
        ours_mask, peer_mask = tmp / f"ours{width}.npy", tmp / f"peer{width}.npy"
        ours, stage = measure_ours(nb, width, height, ours_mask)
        if not peer_here:
            return {label: SizeResult(ours, None, None)}
        peer, colours = measure_peer(nb, stage, width, height, peer_mask)
        return {label: SizeResult(ours, peer, compare(ours_mask, peer_mask, colours))}

    return each_size("peer-ours", sizes, cell_for, measure_size)


def p95(values: list[float]) -> float:
    return float(np.percentile(values, 95)) if values else float("nan")


def report(label: str, r: SizeResult) -> None:
    rows = [("ours", r.ours)] + ([("peer", r.peer)] if r.peer else [])
    print(f"{label}:")
    for name, f in rows:
        arrival = "label map (on_change)" if name == "ours" else "its trait"
        python = statistics.median(f.python_ms)
        long_tasks = f"{len(f.long_tasks_ms)}, longest {max(f.long_tasks_ms, default=0):.0f} ms"
        value = f"; `value` {statistics.median(f.value_ms):.1f} ms" if f.value_ms else ""
        action = (
            f" (the action end {statistics.median(f.action_ms):.1f},"
            f" the sync's longest step {statistics.median(f.sync_ms):.1f})"
            if value
            else ""
        )
        print(
            f"  {name}: stroke end → Python, {arrival}: {python:.1f} ms median"
            f" ({python / f.ping_ms:.1f}x one custom message, {f.ping_ms:.1f} ms){value};"
            f" pointerup handler {statistics.median(f.up_ms):.1f} ms{action}"
            f" (max {max(f.up_ms):.1f});"
            f" longest block after pointerup {max(f.block_ms):.1f} ms;"
            f" long tasks over the five: {long_tasks};"
            f" per move {statistics.median(f.move_ms):.2f} ms median, {p95(f.move_ms):.2f} p95"
            f" ({len(f.move_ms)} moves)"
        )
    if r.peer and r.pixels:
        ratio = statistics.median(r.ours.python_ms) / statistics.median(r.peer.python_ms)
        p = r.pixels
        print(
            f"  ours / peer, stroke end → Python: {ratio:.2f}x;"
            f" pixels painted: ours {p.ours}, the peer's {p.peer}, only ours {p.only_ours},"
            f" only the peer's {p.only_peer} (IoU {p.iou:.3f}); every pixel of ours within"
            f" {p.ours_within} px of the peer's, every one of the peer's within {p.peer_within} px"
            f" of ours; colours in its drawing:"
            f" {', '.join(p.peer_colours)}"
        )


def main() -> None:
    quick = "--quick" in sys.argv  # 1 MP only: a check that it runs
    for label, r in run(SIZES[:1] if quick else SIZES).items():
        report(label, r)


if __name__ == "__main__":
    main()
