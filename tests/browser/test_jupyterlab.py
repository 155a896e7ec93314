"""The widget in a real JupyterLab: paint with the mouse, read the masks in the kernel."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from .harness import set_radius, stroke, to_screen
from .lab import LabNotebook
from .raster import stroke_mask

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("widget_bundle"),
    pytest.mark.timeout(240),
]

QUICKSTART = Path(__file__).resolve().parents[2] / "notebooks" / "quickstart.ipynb"

GRADIENT_CELL = """\
import numpy as np
from crowdseg_widget import InstanceSegmentation

y, x = np.mgrid[0:150, 0:200]
image = np.stack([x * 255 // 200, y * 255 // 150, (x + y) % 256], axis=-1).astype(np.uint8)
w = InstanceSegmentation(image, labels=["Cat", "Dog"], header="Paint the cat")
w"""


def wait_for_kernel(nb: LabNotebook, expression: str, expected: str, timeout: float = 20) -> None:
    """Poll `expression` in the kernel until its repr is `expected`."""
    deadline = time.monotonic() + timeout
    while True:
        got = nb.kernel_eval(expression)
        if got == expected or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert got == expected, f"{expression} is {got}, expected {expected}; page errors: {nb.errors}"


def paint(nb: LabNotebook, cell: int, points, radius: int) -> None:
    canvas = nb.wait_for_widget(cell)
    set_radius(nb.output(cell).locator("input.crowdseg-radius").first, radius)
    box = canvas.bounding_box()
    assert box is not None
    width, height = (int(v) for v in canvas.evaluate("c => [c.width, c.height]"))
    stroke(nb.page, [to_screen(box, width, height, x, y) for x, y in points])


def test_a_stroke_in_jupyterlab_arrives_as_an_exact_mask(lab_notebook):
    nb = lab_notebook([GRADIENT_CELL, "len(w.masks)"])
    nb.run_cell(0)
    canvas = nb.wait_for_widget(0)
    box = canvas.bounding_box()
    assert box is not None and (box["width"], box["height"]) == (200, 150)

    paint(nb, 0, [(40, 50), (120, 50)], radius=3)
    started = time.monotonic()
    wait_for_kernel(nb, "int(w.masks.sum()) if len(w.masks) else 0", "597")
    print(f"mouse-up to mask in the kernel: {time.monotonic() - started:.2f} s")

    ys, xs = nb.kernel_json("[a.tolist() for a in w.masks[0].nonzero()]")
    mask = np.zeros((150, 200), bool)
    mask[ys, xs] = True
    np.testing.assert_array_equal(mask, stroke_mask(200, 150, [(40, 50), (120, 50)], 3))
    assert nb.kernel_json("w.value['instances']") == [{"color": "#2ca02c", "label": "Cat"}]

    # Notebook shortcuts stay quiet while the canvas has the focus ("a" inserts a cell).
    cells = nb.page.locator(".jp-Notebook .jp-Cell").count()
    nb.page.keyboard.press("a")
    nb.page.wait_for_timeout(200)
    assert nb.page.locator(".jp-Notebook .jp-Cell").count() == cells


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
    paint(nb, 0, [(cx - 20, cy), (cx + 20, cy)], radius=5)
    wait_for_kernel(nb, "len(w.masks)", "1")
    assert nb.kernel_eval(f"bool(w.masks[0][{cy}, {cx}])") == "True"
    assert nb.kernel_eval("w.annotation.labels") == "['Cat']"
    assert int(nb.kernel_eval("int(w.masks[0].sum())")) > 41 * 11

    nb.run_cell(1)  # the notebook's own read-out cell
    nb.output(1).filter(has_text="1: Cat").first.wait_for(timeout=20_000)
