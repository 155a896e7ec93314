"""Payload and encode time of the synced PNG at 12 MP, in headless Chromium.

Runs `encodeBench.ts` (bundled with esbuild) on a 4000x3000 label map with 100
instances: the deflate variants compared (before/after), the widget's encoder
from scratch, idle and per stroke, and the size of the value sent at a stroke
end against Pillow's `optimize=True` indexed PNG of the same label map. The widget's PNG after the
stroke is decoded with Pillow and must equal the page's label map exactly.

    python bench/bench_encode.py    # needs /usr/bin/chromium and node_modules
"""

from __future__ import annotations

import base64
import io
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scenes import blob_label_map  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

from crowdseg_widget.formats.png_codec import encode_label_png  # noqa: E402
from crowdseg_widget.palette import next_colors  # noqa: E402

WIDTH, HEIGHT, INSTANCES = 4000, 3000, 100


@dataclass
class EncodeRow:
    name: str
    ms: list[float]
    kib: float


@dataclass
class EncodeResult:
    rows: list[EncodeRow]
    pillow_optimize_kib: float
    pillow_optimize_ms: float
    widget_kib: float


def bundle() -> str:
    esbuild = ROOT / "node_modules" / ".bin" / "esbuild"
    entry = ROOT / "bench" / "encodeBench.ts"
    return subprocess.run(
        [str(esbuild), str(entry), "--bundle", "--format=iife", "--log-level=error"],
        check=True, capture_output=True, text=True, cwd=ROOT,
    ).stdout  # fmt: skip


def pillow_optimized(ids: np.ndarray, colors: list[str]) -> tuple[int, float]:
    image = Image.fromarray(ids.astype(np.uint8), "P")
    palette = [0, 0, 0] + [b for c in colors for b in bytes.fromhex(c[1:])]
    image.putpalette(palette)
    out = io.BytesIO()
    start = time.perf_counter()
    image.save(out, "PNG", optimize=True)
    return len(out.getvalue()), (time.perf_counter() - start) * 1e3


def run(repeat: int = 5) -> EncodeResult:
    from playwright.sync_api import sync_playwright

    ids = blob_label_map(WIDTH, HEIGHT, INSTANCES)
    colors = next_colors(INSTANCES)
    png = base64.b64encode(encode_label_png(ids, colors)).decode("ascii")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            page.add_script_tag(content=bundle())
            out = page.evaluate(
                "([png, colors, repeat]) => encodeBench(png, colors, repeat)",
                [png, colors, repeat],
            )
        finally:
            browser.close()
    widget_png = base64.b64decode(out["png"])
    painted = np.frombuffer(base64.b64decode(out["ids"]), np.uint16).reshape(HEIGHT, WIDTH)
    decoded = np.asarray(Image.open(io.BytesIO(widget_png)))
    if not np.array_equal(decoded, painted):
        raise AssertionError("Pillow decodes the widget's incremental PNG to other ids")
    rows = [EncodeRow(r["name"], r["ms"], r["bytes"] / 1024) for r in out["rows"]]
    pillow_bytes, pillow_ms = pillow_optimized(painted, colors)
    return EncodeResult(rows, pillow_bytes / 1024, pillow_ms, len(widget_png) / 1024)


def main() -> None:
    result = run()
    print(f"{WIDTH}x{HEIGHT}, {INSTANCES} instances, in Chromium")
    print(f"{'encode':52} {'median ms':>10} {'KiB':>8}")
    for row in result.rows:
        size = f"{row.kib:8.0f}" if row.kib else f"{'':8}"
        print(f"{row.name:52} {statistics.median(row.ms):10.1f} {size}")
    print(
        f"Pillow optimize=True: {result.pillow_optimize_kib:.0f} KiB "
        f"({result.pillow_optimize_ms:.0f} ms); value at a stroke end / Pillow = "
        f"{result.widget_kib / result.pillow_optimize_kib:.2f}"
    )


if __name__ == "__main__":
    main()
