"""Benchmark 1, Python decode: a 4000x3000 SageMaker value with 100 instances.

The value → `label_map` and → `masks`, for our own indexed PNG and for a
foreign RGBA PNG of the same labels. Each is compared with Pillow's bare
decode of the same PNG bytes (`np.asarray(Image.open(...))`), run back to back
with it (machines here are shared and noisy; compare ratios, not seconds).
Goals (issue 6): our PNG within 1.25x of the reference, the foreign one within
1.5x. `masks` is (N, H, W) bool, 1.2 GB here, so it costs more than the decode
itself; see docs/hardening.md.

    python bench/bench_codec.py

`main()` prints the rows and returns them (bench/run.py assembles the table).
"""

from __future__ import annotations

import base64
import io
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from PIL import Image
from scenes import blob_label_map

from crowdseg_widget import Annotation
from crowdseg_widget.formats.png_codec import encode_label_png
from crowdseg_widget.palette import next_colors

WIDTH, HEIGHT, INSTANCES = 4000, 3000, 100
GOAL_OWN, GOAL_FOREIGN = 1.25, 1.5


def paired_times(
    ours: Callable[[], object], reference: Callable[[], object], repeat: int = 11
) -> tuple[float, float, float]:
    """Median seconds of each, and the median ratio of runs taken back to back.

    Interleaving keeps a burst of load from other processes out of the ratio.
    """
    pairs = []
    for _ in range(repeat):
        start = time.perf_counter()
        reference()
        middle = time.perf_counter()
        ours()
        pairs.append((time.perf_counter() - middle, middle - start))
    return (
        statistics.median(o for o, _ in pairs),
        statistics.median(r for _, r in pairs),
        statistics.median(o / r for o, r in pairs),
    )


def foreign_rgba_png(ids: np.ndarray, colors: list[str]) -> bytes:
    """The same labels as another tool would write them: RGBA, transparent background."""
    table = np.zeros((len(colors) + 1, 4), np.uint8)
    table[1:, :3] = [list(bytes.fromhex(c[1:])) for c in colors]
    table[1:, 3] = 255
    buffer = io.BytesIO()
    Image.fromarray(table[ids], "RGBA").save(buffer, "PNG")
    return buffer.getvalue()


def sagemaker_value(png: bytes, colors: list[str]) -> dict[str, Any]:
    return {
        "inputImageProperties": {"height": HEIGHT, "width": WIDTH},
        "instances": [{"color": c, "label": "object"} for c in colors],
        "labeledImage": {"pngImageData": base64.b64encode(png).decode("ascii")},
    }


def row(name: str, times: tuple[float, float, float], goal: float) -> dict[str, Any]:
    ours, reference, ratio = times
    return {
        "name": name,
        "ours_ms": ours * 1e3,
        "reference_ms": reference * 1e3,
        "ratio": ratio,
        "goal": goal,
    }


def main() -> list[dict[str, Any]]:
    ids = blob_label_map(WIDTH, HEIGHT, INSTANCES)
    colors = next_colors(INSTANCES)
    rows = []
    for kind, png, goal in [
        ("our indexed PNG", encode_label_png(ids, colors), GOAL_OWN),
        ("foreign RGBA PNG", foreign_rgba_png(ids, colors), GOAL_FOREIGN),
    ]:
        value = sagemaker_value(png, colors)
        decoded = Annotation.from_value(value)
        assert np.array_equal(decoded.label_map, ids), f"{kind} did not decode exactly"

        def pillow(png: bytes = png) -> object:
            return np.asarray(Image.open(io.BytesIO(png)))

        def to_map(value: dict[str, Any] = value) -> object:
            return Annotation.from_value(value).label_map

        def to_masks(value: dict[str, Any] = value) -> object:
            return Annotation.from_value(value).masks

        def to_lazy(value: dict[str, Any] = value) -> object:
            masks = Annotation.from_value(value).instance_masks
            return masks[len(masks) // 2]  # one mask read, as a training loader does

        def to_cropped(value: dict[str, Any] = value) -> object:
            return Annotation.from_value(value).instance_masks.cropped()

        rows.append(row(f"value -> label_map, {kind}", paired_times(to_map, pillow), goal))
        rows.append(row(f"value -> masks, {kind}", paired_times(to_masks, pillow), goal))
        if kind == "our indexed PNG":
            rows.append(row(f"value -> instance_masks + one mask, {kind}",
                            paired_times(to_lazy, pillow), goal))  # fmt: skip
            rows.append(row(f"value -> instance_masks.cropped(), {kind}",
                            paired_times(to_cropped, pillow), goal))  # fmt: skip
    print(f"{WIDTH}x{HEIGHT}, {INSTANCES} instances; reference: Pillow's bare decode of the PNG")
    print(f"{'name':42} | {'ours ms':>8} | {'reference ms':>12} | {'ratio':>5} | goal")
    for r in rows:
        goal = f"<= {r['goal']:.2f}x"
        print(
            f"{r['name']:42} | {r['ours_ms']:8.1f} | {r['reference_ms']:12.1f} | "
            f"{r['ratio']:5.2f} | {goal}"
        )
    return rows


if __name__ == "__main__":
    main()
