"""The widget in Notebook 7: paint with the mouse, read the exact mask in the kernel; the
notebook's command-mode keys stay out of the canvas; undo (Notebook 7 tier).

Notebook 7 is built from JupyterLab's parts, so `NotebookPage` (lab.py) drives it
through the same `window.jupyterapp`; the server is `python -m notebook`.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from crowdseg_widget import sample_image
from reference_raster import stroke_mask

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("widget_bundle"),
    pytest.mark.timeout(240),
]

CELLS = [
    """\
from crowdseg_widget import InstanceSegmentation, sample_image

w = InstanceSegmentation(sample_image("coins"), labels=["Coin", "Other"])
w""",
    "int(w.masks.sum()) if len(w.masks) else 0",
]
STROKE = [(60, 80), (200, 110)]
# Notebook 7.6 logs this at load even for a notebook with only `1 + 1`: its own, not ours.
NOTEBOOK_OWN_ERROR = "Cannot read properties of undefined (reading 'schema')"


def test_a_stroke_in_notebook_7_arrives_exactly_and_its_keys_stay_in_the_canvas(notebook7):
    width, height = Image.open(sample_image("coins")).size
    nb = notebook7(CELLS)
    nb.run_cell(0)
    canvas = nb.wait_for_widget(0)
    box = canvas.bounding_box()
    assert box is not None and (box["width"], box["height"]) == (width, height), "not 1:1"

    nb.paint(0, STROKE, radius=4)
    expected = stroke_mask(width, height, STROKE, 4)
    nb.wait_for_kernel("int(w.masks.sum()) if len(w.masks) else 0", str(int(expected.sum())))
    ys, xs = nb.kernel_json("[a.tolist() for a in w.masks[0].nonzero()]")
    mask = np.zeros((height, width), bool)
    mask[ys, xs] = True
    np.testing.assert_array_equal(mask, expected)

    # Command-mode keys on the focused canvas: no cell is added or deleted.
    cells = nb.cell_count()
    canvas.focus()
    for key in ["a", "b", "d", "d", "x", "m"]:
        nb.page.keyboard.press(key)
    assert nb.cell_count() == cells
    # Undo, on the canvas: the stroke is gone in Python too.
    nb.page.keyboard.press("Control+z")
    nb.wait_for_kernel("int(w.masks.sum()) if len(w.masks) else 0", "0")
    assert nb.kernel_json("w.annotation.labels") == ["Coin"]  # undo keeps the instance

    # The same key in command mode on a cell does add one: the check above could fail.
    nb.cell(1).locator(".jp-InputPrompt").click()
    nb.page.keyboard.press("Escape")
    nb.page.keyboard.press("b")
    nb.page.wait_for_function(
        "n => window.jupyterapp.shell.currentWidget.content.model.cells.length === n",
        arg=cells + 1,
    )
    assert [e for e in nb.errors if e != NOTEBOOK_OWN_ERROR] == []
