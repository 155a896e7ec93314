"""Navigation and start-up of a labeling session at 1,000 and 100,000 images.

`python3 bench/bench_navigation.py [--runs 3] [--sizes 1000,100000]` prints, per size,
the start-up of `label_images` on a folder (nothing stored yet; and with every image
but the last stored as done, the worst case for reading statuses; each the median of
three start-ups, wall and CPU time) and the median cost
of one `next()`, `previous()` and `goto(i)` (unpainted images: nothing is written), with
the range over the runs. Goals: ≤ 5 ms per step and ≤ 5 s start-up at 100,000 images.

The images are hard links of a few 32x32 PNGs (100 folders of up to 1,000), so the figure
is the session's own cost, not the image decode's; stored entries are written as the
store writes them, without fsync, to prepare quickly, then one `sync` (the page cache
is warm and clean, as at a kernel restart). Start-up reads the first 4 KiB of each
JSON, so their size does not matter.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from crowdseg_widget import Annotation
from crowdseg_widget.datasets.labeler import ImageLabeler, label_images
from crowdseg_widget.datasets.store import META
from crowdseg_widget.formats.sagemaker import labeled_png

STEPS = 200
SIDE = 32


def make_images(folder: Path, count: int) -> list[str]:
    """`count` hard links of small PNGs (a file system allows ~65,000 links to one
    file: a new one every 10,000); their keys, in the session's order."""
    keys = []
    for i in range(count):
        base = folder / f"base{i // 10_000}.png"
        if i % 10_000 == 0:
            Image.fromarray(np.full((SIDE, SIDE, 3), 90, np.uint8)).save(base)
        sub = folder / "photos" / f"{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True)
        os.link(base, sub / f"{i % 1000:04d}.png")
        keys.append(f"{i // 1000:03d}/{i % 1000:04d}.png")
    return keys


def store_done(store: Path, keys: list[str]) -> None:
    """Entries as `LabelStore.save` writes them (done), for every key but the last."""
    label_map = np.zeros((SIDE, SIDE), np.uint8)
    label_map[4:12, 4:12] = 1
    value = Annotation(label_map, ["thing"]).to_value()
    png = labeled_png(value)
    digest = hashlib.sha256(png).hexdigest()
    for key in keys[:-1]:
        (store / key).parent.mkdir(parents=True, exist_ok=True)
        record = {META: {"image": key, "status": "done", "png_sha256": digest}, **value}
        (store / f"{key}.json").write_text(json.dumps(record))
        (store / f"{key}.png").write_bytes(png)


def per_step_ms(w: ImageLabeler, step: Callable[[int], None]) -> float:
    times = []
    for i in range(STEPS):
        start = time.perf_counter()
        step(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def start_up(folder: Path) -> tuple[ImageLabeler, float, float]:
    """The session, and the wall and CPU seconds of its start-up: the medians of three
    (the CPU time is what other processes on a shared machine disturb least)."""
    walls, cpus = [], []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a problem would make the figure meaningless
            w = label_images(folder / "photos", ["thing"], store=folder / "labels")
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return w, statistics.median(walls), statistics.median(cpus)


def one_run(count: int) -> dict[str, float]:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        keys = make_images(folder, count)
        os.sync()  # the new files' writeback must not land inside the timing
        w, wall, cpu = start_up(folder)
        results["start-up, nothing stored (s)"] = wall
        results["  its CPU time (s)"] = cpu
        w.goto(count // 2)
        results["next() (ms)"] = per_step_ms(w, lambda i: w.next())
        results["previous() (ms)"] = per_step_ms(w, lambda i: w.previous())
        targets = random.Random(count).sample(range(count), STEPS)
        results["goto(i) (ms)"] = per_step_ms(w, lambda i: w.goto(targets[i]))
        w.close()
        store_done(folder / "labels", keys)
        os.sync()
        w, wall, cpu = start_up(folder)
        results["start-up, all but one stored (s)"] = wall
        results["  its CPU time (s) "] = cpu
        assert w.position == count - 1 and w.counts()["done"] == count - 1
        w.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="1000,100000")
    args = parser.parse_args()
    for count in [int(size) for size in args.sizes.split(",")]:
        runs = [one_run(count) for _ in range(args.runs)]
        print(f"{count:,} images, {args.runs} run(s), load average {os.getloadavg()[0]:.1f}")
        for figure in runs[0]:
            values = [run[figure] for run in runs]
            print(f"  {figure:34s} median {statistics.median(values):8.3f}   "
                  f"range {min(values):.3f} to {max(values):.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
