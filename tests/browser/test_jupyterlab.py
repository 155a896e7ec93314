"""The widget in a real JupyterLab: paint with the mouse, read the masks in the kernel."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from reference_raster import stroke_mask

from .scene import GRADIENT_CELL

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("widget_bundle"),
    pytest.mark.timeout(240),
]

QUICKSTART = Path(__file__).resolve().parents[2] / "notebooks" / "quickstart.ipynb"


def test_a_stroke_in_jupyterlab_arrives_as_an_exact_mask(lab_notebook):
    nb = lab_notebook([GRADIENT_CELL, "len(w.masks)"])
    nb.run_cell(0)
    canvas = nb.wait_for_widget(0)
    box = canvas.bounding_box()
    assert box is not None and (box["width"], box["height"]) == (200, 150)

    nb.paint(0, [(40, 50), (120, 50)], radius=3)
    started = time.monotonic()
    nb.wait_for_kernel("int(w.masks.sum()) if len(w.masks) else 0", "597")
    print(f"mouse-up to mask in the kernel: {time.monotonic() - started:.2f} s")

    ys, xs = nb.kernel_json("[a.tolist() for a in w.masks[0].nonzero()]")
    mask = np.zeros((150, 200), bool)
    mask[ys, xs] = True
    np.testing.assert_array_equal(mask, stroke_mask(200, 150, [(40, 50), (120, 50)], 3))
    assert nb.kernel_json("w.value['instances']") == [{"color": "#2ca02c", "label": "Cat"}]

    # Notebook shortcuts stay quiet while the canvas has the focus ("a" inserts a cell).
    cells = nb.cell_count()
    nb.page.keyboard.press("a")
    assert nb.cell_count() == cells


def test_the_quickstart_notebook_paints_the_cat(lab_notebook):
    cells = [
        "".join(cell["source"])
        for cell in json.loads(QUICKSTART.read_text())["cells"]
        if cell["cell_type"] == "code"
    ]
    nb = lab_notebook(cells, name="quickstart")
    nb.run_cell(0)
    canvas = nb.wait_for_widget(0)
    assert nb.output(0).locator(".crowdseg-header").text_content() == (
        "Paint every cat and its collar"
    )
    width, height = (int(v) for v in canvas.evaluate("c => [c.width, c.height]"))
    assert nb.kernel_eval("(w.image_width, w.image_height)") == f"({width}, {height})"

    cx, cy = width // 2, height // 2
    nb.paint(0, [(cx - 20, cy), (cx + 20, cy)], radius=5)
    nb.wait_for_kernel("len(w.masks)", "1")
    assert nb.kernel_eval(f"bool(w.masks[0][{cy}, {cx}])") == "True"
    assert nb.kernel_eval("w.annotation.labels") == "['Cat']"
    assert int(nb.kernel_eval("int(w.masks[0].sum())")) > 41 * 11

    nb.run_cell(1)  # the notebook's own read-out cell
    nb.output(1).filter(has_text="1: Cat").first.wait_for(timeout=20_000)
