"""One JupyterLab server and one Chromium for a benchmark, and a notebook per image size.

`each_size(name, sizes, cell_for, measure)` starts both, opens a notebook of one
cell (`cell_for(width, height)`) per size, runs it, calls `measure(nb, width,
height, label)` (label: "1 MP", "12 MP", ...), which returns that size's rows,
and fails on page errors. Used by bench_lab, bench_stroke_shapes and
bench_assist_roundtrip.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.lab import NotebookPage, open_notebook, start_jupyter_server  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

R = TypeVar("R")


def each_size(
    name: str,
    sizes: Sequence[tuple[int, int]],
    cell_for: Callable[[int, int], str],
    measure: Callable[[NotebookPage, int, int, str], dict[str, R]],
) -> dict[str, R]:
    from playwright.sync_api import sync_playwright

    results: dict[str, R] = {}
    with tempfile.TemporaryDirectory(prefix="crowdseg-bench-") as tmp:
        server = start_jupyter_server(Path(tmp))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
                )
                try:
                    for width, height in sizes:
                        nb = open_notebook(
                            server, browser, f"{name}{width}x{height}", [cell_for(width, height)]
                        )
                        try:
                            nb.run_cell(0)
                            label = f"{width * height / 1e6:.0f} MP"
                            results.update(measure(nb, width, height, label))
                            if nb.errors:
                                raise RuntimeError(f"page errors: {nb.errors}")
                        finally:
                            nb.close()
                finally:
                    browser.close()
        finally:
            server.stop()
    return results
