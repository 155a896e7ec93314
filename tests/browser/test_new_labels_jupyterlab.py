"""Real JupyterLab: a label typed into the panel reaches the kernel's `w.labels`, the
notebook's command-mode keys typed there stay text, and a cleanup button reaches `w.masks`."""

from __future__ import annotations

import pytest

from .scene import GRADIENT_CELL

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("widget_bundle"),
    pytest.mark.timeout(240),
]

CELL = GRADIENT_CELL.replace('header="Paint the cat")', "allow_new_labels=True)")
#: Insert above/below, delete, cut, copy, paste, to markdown, to code, undo: as text here.
TYPED = "ab ddxcvmyz"


def test_a_label_typed_in_the_panel_reaches_the_kernel_and_stays_out_of_the_notebook(
    lab_notebook,
):
    assert "allow_new_labels=True" in CELL
    nb = lab_notebook([CELL, "# markdown-to-be"])
    nb.run_cell(0)
    nb.wait_for_widget(0)
    cells = nb.page.locator(".jp-Notebook .jp-Cell")
    count = cells.count()
    kinds = [cells.nth(i).get_attribute("class") for i in range(count)]

    field = nb.output(0).locator("input.crowdseg-new-label")
    field.click()
    field.press_sequentially(TYPED)
    field.press("Enter")  # adds the label; not the notebook's "enter edit mode" / "run"
    nb.wait_for_kernel("w.labels", repr(["Cat", "Dog", TYPED]))
    assert cells.count() == count and nb.cell_count() == count
    assert [cells.nth(i).get_attribute("class") for i in range(count)] == kinds

    nb.paint(0, [(30, 30)], radius=0)  # a one-pixel island of the new label
    nb.wait_for_kernel("w.annotation.labels", repr([TYPED]))
    nb.output(0).locator(".crowdseg-instance .crowdseg-remove-islands").click()
    nb.wait_for_kernel("int(w.masks.sum())", "0")
    assert nb.kernel_eval("w.annotation.labels") == repr([TYPED])  # kept, unpainted
