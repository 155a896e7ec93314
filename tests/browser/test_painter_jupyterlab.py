"""Real JupyterLab: the painter's keys stay in the widget, no notebook cell appears or goes."""

from __future__ import annotations

import pytest

from .scene import GRADIENT_CELL

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("widget_bundle"),
    pytest.mark.timeout(240),
]

# Notebook command-mode keys (insert above/below, delete, cut, paste, change type, undo)
# and the painter's own keys, pressed while the canvas has focus.
NOTEBOOK_KEYS = [
    "a",
    "b",
    "d",
    "d",
    "x",
    "v",
    "c",
    "m",
    "y",
    "r",
    "z",
    "Enter",
    "Escape",
    "Shift+m",
]
PAINTER_KEYS = ["p", "f", "e", "b", "[", "]", "1", "2", "n", "h", "h", "o", "o", "0", "Control+z"]


def test_painter_keys_do_not_edit_the_notebook(lab_notebook):
    nb = lab_notebook([GRADIENT_CELL, "len(w.value['instances'])", "# markdown-to-be"])
    nb.run_cell(0)
    canvas = nb.wait_for_widget(0)
    cells = nb.page.locator(".jp-Notebook .jp-Cell")
    canvas.focus()
    count = cells.count()
    kinds = [cells.nth(i).get_attribute("class") for i in range(count)]

    for key in NOTEBOOK_KEYS + PAINTER_KEYS:
        nb.page.keyboard.press(key)
    # The keys reached the widget: "2" then "n" made a Dog instance.
    nb.wait_for_kernel("w.annotation.labels", "['Dog']")
    nb.page.keyboard.press("?")
    assert nb.output(0).locator(".crowdseg-help").is_visible()
    nb.page.keyboard.press("Escape")
    canvas.focus()
    nb.page.keyboard.press("Delete")  # deletes the selected instance, not a cell

    nb.wait_for_kernel("w.annotation.labels", "[]")
    assert nb.cell_count() == count
    assert cells.count() == count
    assert [cells.nth(i).get_attribute("class") for i in range(count)] == kinds
