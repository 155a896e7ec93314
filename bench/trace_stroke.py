"""What blocks the main thread after a stroke ends: a Chromium trace per action, attributed.

Drives bench_stroke_shapes' actions (outline, band, polygon, fill and an undo
of each) in a real JupyterLab at 1 MP and 12 MP with Chromium's tracing on,
and for each action lists every main-thread task longer than 16 ms from the
event that ended it (pointerup, Enter, Ctrl+Z) until the kernel has the PNG
value: when it started after the event, how long it ran, and where its time
went, as self time per trace event (layout, paint, GC, a timer, a message
event ...) and per JavaScript function from the sampling profiler (function
and file). That is how to find the next block:

Build with `node js/build.mjs --dev` first to see the widget's functions by
name (the minified bundle calls them Yt, wr ...); `npm run build` after.
Tracing and the sampling profiler slow JavaScript down (up to 2x), so read
the lengths as where the time goes, not as the benchmark's figures.

    python bench/trace_stroke.py             # both sizes, one of each action
    python bench/trace_stroke.py --quick     # 1 MP only
    python bench/trace_stroke.py --keep DIR  # also write each action's trace JSON to DIR
"""

from __future__ import annotations

import itertools
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_stroke_shapes import CELL, PING_ESM, SHAPES, SIZES, Stage, actions, wait_for  # noqa: E402
from lab_runs import each_size  # noqa: E402
from tests.browser.lab import NotebookPage  # noqa: E402

LONG_MS = 16.0
CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "disabled-by-default-devtools.timeline.frame",
    "v8",
    "v8.execute",
    "disabled-by-default-v8.cpu_profiler",
    "disabled-by-default-v8.gc",
    "blink.user_timing",
    "toplevel",
]
#: The mark the page sets at the event that ends an action (its trace timestamp is the origin).
EVENT_MARK = "crowdseg-trace-event"
MARK_JS = f"""() => {{
  const mark = () => performance.mark({EVENT_MARK!r});
  window.addEventListener('pointerup', mark, {{ capture: true }});
  window.addEventListener('keydown', mark, {{ capture: true }});
  // The kernel's websocket: every message each way, with its size (the widget's and the rest).
  const ws = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel._ws;
  const size = (d) => (typeof d === 'string' ? d.length : d.byteLength ?? d.size ?? 0);
  const log = (window.__wsLog = []);
  ws.addEventListener('message', (e) => log.push(['in', performance.now(), size(e.data)]));
  const send = ws.send.bind(ws);
  ws.send = (d) => {{ log.push(['out', performance.now(), size(d)]); send(d); }};
}}"""
#: The kernel websocket's messages since the action's last event: [[way, count, bytes, largest]].
WS_JS = f"""() => {{
  const since = performance.getEntriesByName({EVENT_MARK!r}).at(-1).startTime;
  const out = {{ in: [0, 0, 0], out: [0, 0, 0] }};
  for (const [way, t, n] of window.__wsLog) {{
    if (t < since) continue;
    const w = out[way]; w[0]++; w[1] += n; w[2] = Math.max(w[2], n);
  }}
  window.__wsLog.length = 0;
  return out;
}}"""
#: Trace events that only wrap a task: their time is their children's, or the task's own.
TASKS = {"RunTask", "ThreadControllerImpl::RunTask"}
WRAPPERS = {"RunTask", "ThreadControllerImpl::RunTask", "ThreadPool_RunTask", "RunMicrotasks"}


#: Trace events of the browser's own rendering work, by kind.
LAYOUT = {
    "UpdateLayoutTree",
    "Layout",
    "HitTest",
    "IntersectionObserverController::computeIntersections",
}
PAINT = {"Paint", "PrePaint", "Layerize", "Commit", "UpdateLayer", "RasterTask", "Decode Image"}


@dataclass
class LongTask:
    start_ms: float  # after the event
    duration_ms: float
    events: dict[str, float] = field(default_factory=dict)  # self ms per trace event
    functions: dict[str, float] = field(default_factory=dict)  # self ms per JS function (sampled)

    def kinds(self) -> dict[str, float]:
        """The task's time by whose it is: the widget's JS, Jupyter's (JupyterLab, ipywidgets,
        anywidget), GC, the browser's own (unattributed by the profiler; not sampled: the
        thread was busy outside V8 or not running, e.g. on a loaded machine), and of the
        browser's, layout and paint/composite (from the trace events)."""
        out = {"widget JS": 0.0, "Jupyter JS": 0.0, "GC": 0.0}
        for name, ms in self.functions.items():
            if name.startswith("(garbage collector)"):
                out["GC"] += ms
            elif "@widget" in name:
                out["widget JS"] += ms
            elif "@" in name and not name.startswith("("):
                out["Jupyter JS"] += ms
        out["browser, unattributed"] = self.functions.get("(program)@", 0.0)
        out["not sampled"] = max(0.0, self.duration_ms - sum(self.functions.values()))
        out["layout"] = sum(ms for name, ms in self.events.items() if name in LAYOUT)
        out["paint/composite"] = sum(ms for name, ms in self.events.items() if name in PAINT)
        gc_events = sum(
            ms for name, ms in self.events.items() if "GC" in name or "Collector" in name
        )
        out["GC"] = max(out["GC"], gc_events)
        return out

    def summary(self, top: int = 6) -> str:
        def best(d: dict[str, float]) -> str:
            items = sorted(d.items(), key=lambda kv: -kv[1])[:top]
            return ", ".join(f"{name} {ms:.1f}" for name, ms in items if ms >= 0.5)

        return (
            f"+{self.start_ms:6.1f} ms {self.duration_ms:6.1f} ms | {best(self.kinds())}"
            f"\n{'':24s}JS: {best(self.functions)}"
            f"\n{'':24s}events: {best(self.events)}"
        )


def _main_thread(events: list[dict[str, Any]]) -> tuple[int, int]:
    """The renderer main thread that set the event mark."""
    for e in reversed(events):
        if e.get("name") == EVENT_MARK:
            return e["pid"], e["tid"]
    raise RuntimeError(f"no {EVENT_MARK} mark in the trace")


def _self_times(events: list[dict[str, Any]], t0: float, t1: float) -> dict[str, float]:
    """Self time (ms) per event name of complete events nested in [t0, t1] (µs)."""
    spans = sorted(
        (e for e in events if e.get("ph") == "X" and t0 <= e["ts"] < t1 and e.get("dur", 0) > 0),
        key=lambda e: (e["ts"], -e["dur"]),
    )
    own: dict[str, float] = defaultdict(float)
    stack: list[tuple[float, str]] = []  # (end, name)
    for e in spans:
        while stack and stack[-1][0] <= e["ts"]:
            stack.pop()
        name = _label(e)
        if stack:
            own[stack[-1][1]] -= e["dur"] / 1000
        own[name] += e["dur"] / 1000
        stack.append((e["ts"] + e["dur"], name))
    return {k: v for k, v in own.items() if k not in WRAPPERS}


def _label(e: dict[str, Any]) -> str:
    """An event's name, with what says which one it is (the DOM event's type, the function)."""
    data = e.get("args", {}).get("data", {})
    name = str(e["name"])
    if name == "EventDispatch":
        return f"EventDispatch:{data.get('type', '?')}"
    if name == "FunctionCall":
        where = _file(str(data.get("url", "")))
        return f"FunctionCall:{data.get('functionName') or '(anonymous)'}@{where}"
    return name


def _file(url: str) -> str:
    """A script's file name; "widget" for the widget's module (anywidget loads it from a blob:)."""
    if url.startswith("blob:"):
        return "widget"
    return url.rsplit("/", 1)[-1].split("?", 1)[0][:40]


@dataclass
class _Profile:
    """The sampling profiler's nodes and samples on one thread (µs timestamps)."""

    nodes: dict[int, str] = field(default_factory=dict)
    parents: dict[int, int] = field(default_factory=dict)
    samples: list[tuple[float, int]] = field(default_factory=list)

    def add_chunks(self, events: Iterable[dict[str, Any]], pid: int, tid: int) -> None:
        # A profile starts on the thread it samples; its chunks come from the profiler's thread.
        start = {
            e["id"]: e["args"]["data"]["startTime"]
            for e in events
            if e.get("name") == "Profile" and (e.get("pid"), e.get("tid")) == (pid, tid)
        }
        clock: dict[str, float] = {}
        for e in events:
            if e.get("name") != "ProfileChunk" or e.get("id") not in start:
                continue
            data = e["args"]["data"]
            profile = data.get("cpuProfile", {})
            for node in profile.get("nodes", []):
                frame = node["callFrame"]
                where = _file(str(frame.get("url", "")))
                self.nodes[node["id"]] = f"{frame.get('functionName') or '(anonymous)'}@{where}"
                if "parent" in node:
                    self.parents[node["id"]] = node["parent"]
            t = clock.get(e["id"], start.get(e["id"], e["ts"]))
            deltas = data.get("timeDeltas", [])
            for node_id, delta in zip(profile.get("samples", []), deltas, strict=False):
                t += delta
                self.samples.append((t, node_id))
            clock[e["id"]] = t

    def name(self, node: int) -> str:
        """The function; a built-in (no file: structuredClone, putImageData ...) with its caller."""
        name = self.nodes.get(node, "?")
        if not name.endswith("@") or name.startswith("("):
            return name
        caller = self.parents.get(node)
        while caller is not None and self.nodes.get(caller, "@").endswith("@"):
            caller = self.parents.get(caller)
        return name[:-1] if caller is None else f"{name[:-1]}<{self.nodes[caller]}"

    def self_times(self, t0: float, t1: float) -> dict[str, float]:
        ordered = sorted(self.samples)
        own: dict[str, float] = defaultdict(float)
        for (t, node), (t_next, _) in itertools.pairwise(ordered):
            if t0 <= t < t1:
                own[self.name(node)] += min(t_next, t1) - t
        return {k: v / 1000 for k, v in own.items()}


def long_tasks(trace: dict[str, Any], until_ms: float) -> list[LongTask]:
    """Main-thread tasks over LONG_MS from the event mark to `until_ms` after it."""
    events: list[dict[str, Any]] = trace["traceEvents"]
    pid, tid = _main_thread(events)
    mine = [e for e in events if e.get("pid") == pid and e.get("tid") == tid]
    origin = max(e["ts"] for e in mine if e.get("name") == EVENT_MARK)  # the action's last event
    profile = _Profile()
    profile.add_chunks(events, pid, tid)
    out: list[LongTask] = []
    ended = -1.0  # the end of the last top-level task: a task inside it is not another one
    tasks = [e for e in mine if e.get("name") in TASKS and e.get("ph") == "X"]
    for e in sorted(tasks, key=lambda e: (e["ts"], -e.get("dur", 0))):
        if e["ts"] < ended:
            continue
        ended = e["ts"] + e.get("dur", 0)
        start, dur = (e["ts"] - origin) / 1000, e.get("dur", 0) / 1000
        if dur <= LONG_MS or start + dur < 0 or start > until_ms:
            continue
        t0, t1 = e["ts"], e["ts"] + e["dur"]
        out.append(LongTask(start, dur, _self_times(mine, t0, t1), profile.self_times(t0, t1)))
    return out


def trace_action(nb: NotebookPage, name: str, act: Any, keep: Path | None) -> list[LongTask]:
    browser = nb.page.context.browser
    assert browser is not None
    values = int(nb.kernel_eval("len(values)"))
    browser.start_tracing(page=nb.page, categories=CATEGORIES)
    act()
    value_at = wait_for(nb, "values", values + 1)  # the PNG value: the action's last message
    nb.page.wait_for_timeout(300)
    event_at = float(
        nb.page.evaluate(
            "() => performance.timeOrigin"
            f" + performance.getEntriesByName({EVENT_MARK!r}).at(-1).startTime"
        )
    )
    raw = browser.stop_tracing()
    ws = nb.page.evaluate(WS_JS)
    print(
        f"  {name}: websocket to the kernel {ws['out'][0]} message(s), {ws['out'][1] / 1e3:.1f} kB"
        f" (largest {ws['out'][2] / 1e3:.1f}); from it {ws['in'][0]}, {ws['in'][1] / 1e3:.1f} kB"
        f" (largest {ws['in'][2] / 1e3:.1f})",
        flush=True,
    )
    trace = json.loads(raw)
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / f"{name.replace(' ', '_')}.json").write_bytes(raw)
    return long_tasks(trace, value_at * 1000 - event_at + 300)


def measure(
    nb: NotebookPage, width: int, height: int, label: str, keep: Path | None
) -> dict[str, dict[str, list[LongTask]]]:
    stage = Stage(nb, width, height)
    nb.page.wait_for_timeout(3000)
    nb.page.evaluate(MARK_JS)
    acts = actions(stage)
    rows: dict[str, list[LongTask]] = {}
    where = None if keep is None else keep / label.replace(" ", "")
    for name in SHAPES:
        rows[name] = trace_action(nb, name, acts[name], where)
        nb.page.wait_for_timeout(400)
    for name in reversed(SHAPES):
        rows[f"undo {name}"] = trace_action(
            nb, f"undo {name}", lambda: stage.key("Control+z"), where
        )
        nb.page.wait_for_timeout(400)
    return {label: rows}


def main() -> None:
    quick = "--quick" in sys.argv
    keep = Path(sys.argv[sys.argv.index("--keep") + 1]) if "--keep" in sys.argv else None

    def cell_for(width: int, height: int) -> str:
        return CELL.format(ping=PING_ESM, width=width, height=height)

    def measure_size(
        nb: NotebookPage, width: int, height: int, label: str
    ) -> dict[str, dict[str, list[LongTask]]]:
        return measure(nb, width, height, label, keep)

    results = each_size("trace", SIZES[:1] if quick else SIZES, cell_for, measure_size)
    for label, rows in results.items():
        what = "(start after the event, length | whose; the functions; the trace events)"
        print(f"{label}: main-thread tasks over {LONG_MS:.0f} ms after the event {what}")
        for name, tasks in rows.items():
            print(f"  {name}: {len(tasks)} long task(s)")
            for task in tasks:
                print(f"    {task.summary()}")


if __name__ == "__main__":
    main()
