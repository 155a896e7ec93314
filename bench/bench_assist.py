"""The grabcut() assist: its latency per extreme-point call at 1 MP and 12 MP, and its IoU table.

- Latency: the coffee sample resized to 1224x816 (1 MP) and 4242x2828 (12 MP),
  an object box of 5 % and 30 % of the image, extreme points on its edges;
  the median (and range) of `REPEATS` calls through `run_assist`. Goal: at
  most 300 ms median on 2 cores, independent of the image size.
- IoU of the best candidate against known truth (tests/assist/scenes.py):
  the coins sample (23 coins, truth from an Otsu threshold of this
  high-contrast photo), the same coins upscaled 10x (11.6 MP), smooth
  blobs at contrast 80 / 40 / 20 on a textured background, and thin bars
  4-8 px wide; extreme points exact or moved by up to 3 px; for comparison
  the same objects from their box alone (its edges moved as much) and from
  one click at their centre (the median pixel).

    python bench/bench_assist.py

`main()` prints the rows and returns them.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.assist.scenes import (  # noqa: E402
    bar_scene,
    blob_scene,
    coins_truth,
    extreme_points,
    iou,
    jittered,
)

import crowdseg_widget  # noqa: E402
from crowdseg_widget.assist import Prompt, grabcut, run_assist  # noqa: E402

REPEATS = 7
Scene = tuple[np.ndarray, np.ndarray]


def edge_points(width: int, height: int, area: float) -> tuple[tuple[int, int], ...]:
    """Extreme points of a centred box covering `area` of the image (mid-edges)."""
    side = area**0.5
    w, h = int(width * side), int(height * side)
    x0, y0 = (width - w) // 2, (height - h) // 2
    return (
        (x0 + w // 2, y0),
        (x0 + w // 2, y0 + h - 1),
        (x0, y0 + h // 2),
        (x0 + w - 1, y0 + h // 2),
    )


def latency_rows() -> list[dict[str, Any]]:
    coffee = Image.open(crowdseg_widget.sample_image("coffee")).convert("RGB")
    assist = grabcut()
    rows = []
    for width, height in ((1224, 816), (4242, 2828)):
        image = np.array(coffee.resize((width, height), Image.Resampling.BILINEAR))
        for area in (0.05, 0.30):
            prompt = Prompt(extreme_points=edge_points(width, height, area))
            run_assist(assist, image, prompt)  # warm up: OpenCV's first call loads code
            seconds = [run_assist(assist, image, prompt).seconds for _ in range(REPEATS)]
            rows.append({
                "image": f"{width}x{height} ({width * height / 1e6:.0f} MP)",
                "box": f"{area:.0%}",
                "median_ms": 1000 * statistics.median(seconds),
                "min_ms": 1000 * min(seconds),
                "max_ms": 1000 * max(seconds),
            })  # fmt: skip
    return rows


def upscaled_coins(factor: int) -> list[Scene]:
    image, masks = coins_truth()
    size = (image.shape[1] * factor, image.shape[0] * factor)
    big = np.array(Image.fromarray(image).resize(size, Image.Resampling.BILINEAR))
    return [(big, np.kron(mask, np.ones((factor, factor), bool))) for mask in masks]


def _box(mask: np.ndarray, rng: Any, jitter: int) -> tuple[int, int, int, int]:
    """The mask's box, each edge moved by up to `jitter` px (kept non-empty)."""
    rows, cols = np.nonzero(mask)
    x0, y0 = (int(v) + int(rng.integers(-jitter, jitter + 1)) for v in (cols.min(), rows.min()))
    x1, y1 = (int(v) + 1 + int(rng.integers(-jitter, jitter + 1)) for v in (cols.max(), rows.max()))
    return (max(0, x0), max(0, y0), max(x1, x0 + 1), max(y1, y0 + 1))


def _centre_click(mask: np.ndarray) -> tuple[float, float, bool]:
    rows, cols = np.nonzero(mask)
    return (float(np.median(cols)), float(np.median(rows)), True)


def mean_iou(scenes: Iterable[Scene], make_prompt: Callable[[np.ndarray, Any], Prompt]) -> float:
    assist = grabcut()
    rng = np.random.default_rng(0)
    scores = []
    for image, mask in scenes:
        best = run_assist(assist, image, make_prompt(mask, rng)).candidates[0][0]
        scores.append(iou(best, mask))
    return float(np.mean(scores))


def iou_rows() -> list[dict[str, Any]]:
    image, masks = coins_truth()
    coins = [(image, mask) for mask in masks]
    sets: list[tuple[str, list[Scene], int]] = [
        ("coins, exact points (23)", coins, 0),
        ("coins, +-3 px (23 x 3)", coins * 3, 3),
        ("coins x10, 11.6 MP, exact (23)", upscaled_coins(10), 0),
        *((f"blobs, contrast {c}, +-3 px (30)", [blob_scene(c, s) for s in range(30)], 3)
          for c in (80, 40, 20)),
        ("thin bars 4-8 px, exact (30)", [bar_scene(s) for s in range(30)], 0),
        ("thin bars 4-8 px, +-3 px (30)", [bar_scene(s) for s in range(30)], 3),
    ]  # fmt: skip
    rows = []
    for name, scenes, jitter in sets:

        def extreme(mask: np.ndarray, rng: Any, jitter: int = jitter) -> Prompt:
            points = extreme_points(mask)
            if jitter:
                points = jittered(points, jitter, rng, mask.shape)
            return Prompt(extreme_points=points)

        rows.append({
            "set": name,
            "extreme_points": mean_iou(scenes, extreme),
            "box": mean_iou(scenes, lambda mask, rng, j=jitter: Prompt(box=_box(mask, rng, j))),
            "centre_click": mean_iou(scenes, lambda mask, _: Prompt(points=[_centre_click(mask)])),
        })  # fmt: skip
    return rows


def print_table(title: str, header: list[str], lines: Iterable[list[str]]) -> None:
    print(f"\n{title}\n| {' | '.join(header)} |\n|{'---|' * len(header)}")
    for line in lines:
        print(f"| {' | '.join(line)} |")


def main() -> list[dict[str, Any]]:
    rows = latency_rows()
    print_table(
        "grabcut() latency per extreme-point call (goal: median <= 300 ms)",
        ["image", "object box", "median ms", "min-max ms"],
        ([r["image"], r["box"], f"{r['median_ms']:.0f}", f"{r['min_ms']:.0f}-{r['max_ms']:.0f}"]
         for r in rows),
    )  # fmt: skip
    table = iou_rows()
    print_table(
        "grabcut() mean IoU of the best candidate",
        ["set", "extreme points", "box only", "one centre click"],
        ([r["set"], *(f"{r[k]:.3f}" for k in ("extreme_points", "box", "centre_click"))]
         for r in table),
    )  # fmt: skip
    return rows + table


if __name__ == "__main__":
    main()
