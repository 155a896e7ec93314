"""All benchmarks of issue 6 in one table (Markdown): `python3 bench/run.py [--quick] [--runs N]`.

Each figure is measured `--runs` times (default 3; `--quick`: once) and shown
as the range over the runs, next to its reference measured in the same run
where there is one, and the goal. Not part of the tests: nothing here fails
a build. Needs /usr/bin/chromium, `npm run build` and node_modules.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import bench_codec
import bench_encode
import bench_lab
import bench_memory
import bench_paint
import bench_peer
import bench_stroke_shapes

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Figure:
    """One line of the table: values over the runs (and the same-run reference, if any)."""

    name: str
    unit: str
    goal: str
    meets: Callable[[float], bool]
    values: list[float] = field(default_factory=list)
    references: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    reference_name: str = ""


def spread(values: Sequence[float], digits: int = 1) -> str:
    if not values:
        return ""
    low, high = min(values), max(values)
    if f"{low:.{digits}f}" == f"{high:.{digits}f}":
        return f"{low:.{digits}f}"
    return f"{low:.{digits}f} to {high:.{digits}f}"


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    chromium = subprocess.run(
        [str(bench_paint.CHROMIUM), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    python = platform.python_version()
    return f"{os.cpu_count()} cores ({cpu}), {chromium or 'Chromium'}, Python {python}, {now}"


class Table:
    def __init__(self) -> None:
        self.figures: dict[str, Figure] = {}

    def add(
        self, key: str, name: str, unit: str, goal: str, meets: Callable[[float], bool],
        value: float, reference: float | None = None, reference_name: str = "",
    ) -> None:  # fmt: skip
        figure = self.figures.setdefault(key, Figure(name, unit, goal, meets))
        figure.values.append(value)
        if reference is not None:
            figure.references.append(reference)
            figure.ratios.append(value / reference)
            figure.reference_name = reference_name

    def markdown(self) -> str:
        lines = [
            "| figure | measured | same-run reference | ratio | goal | met |",
            "|---|---|---|---|---|---|",
        ]
        for f in self.figures.values():
            judged = f.ratios if f.ratios and "x" in f.goal else f.values
            met = "yes" if all(f.meets(v) for v in judged) else "no"
            if f.goal == "—":
                met = "—"
            reference = "—"
            if f.references:
                reference = f"{spread(f.references)} {f.unit} ({f.reference_name})"
            ratio = f"{spread(f.ratios, 2)}x" if f.ratios else "—"
            measured = f"{spread(f.values)} {f.unit}"
            lines.append(f"| {f.name} | {measured} | {reference} | {ratio} | {f.goal} | {met} |")
        return "\n".join(lines)


def codec(table: Table) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        rows = bench_codec.main()
    for row in rows:
        goal = float(row["goal"])
        table.add(
            f"codec {row['name']}", f"1. {row['name']}", "ms", f"≤ {goal:.2f}x",
            lambda ratio, goal=goal: ratio <= goal, row["ours_ms"], row["reference_ms"],
            "Pillow's decode",
        )  # fmt: skip
        # The table's ratio is the codec's own median of back-to-back pairs.
        table.figures[f"codec {row['name']}"].ratios[-1] = row["ratio"]


def paint(table: Table) -> None:
    for r in bench_paint.measure():
        label = f"{r.instances} instance{'s' if r.instances > 1 else ''}"
        table.add(f"paint median {r.instances}", f"2. pointermove, r=50, 12 MP, {label}: median",
                  "ms", "≤ 2 ms", lambda v: v <= 2, r.median_ms)  # fmt: skip
        table.add(f"paint p95 {r.instances}", f"2. pointermove, r=50, 12 MP, {label}: p95",
                  "ms", "—", lambda v: True, r.p95_ms)  # fmt: skip


def stroke_end(table: Table) -> None:
    goals = {"1 MP": 25.0, "12 MP": 80.0}
    for label, r in bench_lab.run().items():
        goal = goals[label]
        table.add(f"lab {label}", f"3. stroke end → kernel `value`, JupyterLab, {label} (median)",
                  "ms", f"≤ {goal:.0f} ms", lambda v, goal=goal: v <= goal,
                  statistics.median(r.latency_ms))  # fmt: skip
        table.add(f"lab block {label}", f"3. longest main-thread block after pointerup, {label}",
                  "ms", "≤ 50 ms", lambda v: v <= 50, max(r.max_block_ms))  # fmt: skip
        table.add(f"lab own {label}", f"3. of it the sync's own longest main-thread step, {label}",
                  "ms", "≤ 50 ms", lambda v: v <= 50, max(r.sync_main_ms))  # fmt: skip


def stroke_shapes(table: Table) -> None:
    """Issue 14: per shape, stroke end → the kernel's label map, against one custom message."""
    goals = {"1 MP": 10.0, "12 MP": 20.0}
    for label, r in bench_stroke_shapes.run().items():
        goal = goals[label]
        for shape, f in r.shapes.items():
            table.add(f"shape {label} {shape}",
                      f"6. {shape} → kernel `label_map` current, JupyterLab, {label} (median)",
                      "ms", f"≤ {goal:.0f} ms", lambda v, goal=goal: v <= goal,
                      statistics.median(f.current_ms), r.ping_ms,
                      "one custom message page → kernel")  # fmt: skip
            table.add(f"shape value {label} {shape}",
                      f"6. {shape} → kernel `value` (the view's PNG), {label} (median)",
                      "ms", "—", lambda v: True, statistics.median(f.value_ms))  # fmt: skip
            table.add(f"shape block {label} {shape}",
                      f"6. {shape}: longest main-thread block after the event, {label}",
                      "ms", "≤ 16 ms", lambda v: v <= 16, max(f.block_ms))  # fmt: skip
            table.add(f"shape own {label} {shape}",
                      f"6. {shape}: the sync's own longest main-thread step, {label}",
                      "ms", "—", lambda v: True, max(f.own_ms))  # fmt: skip



def peer(table: Table) -> None:
    """Issue 14: five outline strokes in jupyter-paint-segment and in ours, the same run."""
    if not bench_peer.with_peer():
        print(f"skip figure 11: {bench_peer.PEER} is not installed here. {bench_peer.PEER_INSTALL}",
              file=sys.stderr)  # fmt: skip
        return
    for label, r in bench_peer.run().items():
        assert r.peer is not None
        theirs = statistics.median(r.peer.python_ms)
        table.add(f"peer python {label}", f"11. outline x5 → Python, jupyter-paint-segment, {label}"
                  " (median)", "ms", "—", lambda v: True, theirs, r.peer.ping_ms,
                  "one custom message page → kernel")  # fmt: skip
        rows = [
            ("label map current (median)", "≤ 1.00x", statistics.median(r.ours.python_ms),
             theirs),
            ("`value` trait (median)", "—", statistics.median(r.ours.value_ms), theirs),
            ("pointerup handler (median)", "—", statistics.median(r.ours.up_ms),
             statistics.median(r.peer.up_ms)),
            ("longest block after pointerup", "—", max(r.ours.block_ms), max(r.peer.block_ms)),
            ("per move: median", "—", statistics.median(r.ours.move_ms),
             statistics.median(r.peer.move_ms)),
            ("per move: p95", "—", bench_peer.p95(r.ours.move_ms), bench_peer.p95(r.peer.move_ms)),
        ]  # fmt: skip
        for name, goal, ours, reference in rows:
            table.add(f"peer {name} {label}", f"11. outline x5, ours: {name}, {label}", "ms", goal,
                      lambda ratio: ratio <= 1.0, ours, reference,
                      "jupyter-paint-segment")  # fmt: skip
        for who, f in (("jupyter-paint-segment", r.peer), ("ours", r.ours)):  # counts: no ratio
            table.add(f"peer long tasks {who} {label}", f"11. outline x5, {who}: long tasks"
                      f" (over 50 ms) over the five, {label}", "tasks", "—", lambda v: True,
                      len(f.long_tasks_ms))  # fmt: skip
            table.add(f"peer longest task {who} {label}", f"11. outline x5, {who}: the longest"
                      f" of them, {label}", "ms", "—", lambda v: True,
                      max(f.long_tasks_ms, default=0))  # fmt: skip

def payload(table: Table) -> None:
    r = bench_encode.run()
    rows = {row.name: row for row in r.rows}
    table.add("payload", "4. PNG synced at a stroke end, 12 MP, 100 instances", "KiB", "≤ 1.1x",
              lambda ratio: ratio <= 1.1, r.widget_kib, r.pillow_optimize_kib,
              "Pillow optimize=True")  # fmt: skip
    before = next(row for name, row in rows.items() if "(before)" in name)
    after = next(row for name, row in rows.items() if "(after)" in name)
    table.add("encode", "4. encode 12 MP from scratch in Chromium (pako RLE, Up, strips)", "ms",
              "—", lambda v: True, statistics.median(after.ms), statistics.median(before.ms),
              "before: fflate level 4")  # fmt: skip
    table.add("encode size", "4. its PNG size", "KiB", "—", lambda v: True, after.kib,
              before.kib, "before: fflate level 4")  # fmt: skip
    for name, row in rows.items():
        if name.startswith("one stroke") or name.startswith("worker's idle"):
            table.add(f"encode {name}", f"4. {name}", "ms", "—", lambda v: True,
                      statistics.median(row.ms))  # fmt: skip


def memory(table: Table) -> None:
    r = bench_memory.measure()
    table.add("memory", "5. JS memory growth after 100 strokes, 12 MP (V8 heap + ArrayBuffers)",
              "MiB", "≤ 64 MiB", lambda v: v <= 64, r.growth_mib)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one run of each")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    table = Table()
    for run in range(runs):
        for step in (codec, paint, stroke_end, stroke_shapes, peer, payload, memory):
            print(f"run {run + 1}/{runs}: {step.__name__} …", file=sys.stderr, flush=True)
            step(table)
    print(f"Machine: {machine()}; {runs} run(s), ranges over the runs.\n")
    print(table.markdown())


if __name__ == "__main__":
    main()
