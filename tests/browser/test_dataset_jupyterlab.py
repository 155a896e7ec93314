"""Real JupyterLab: a dataset session; a stroke then the next key at once, both reach the kernel."""

from __future__ import annotations

import numpy as np
import pytest

from reference_raster import stroke_mask

from .lab import NotebookPage
from .scene import GRADIENT_PNG

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("widget_bundle"),
    pytest.mark.timeout(240),
]

SESSION_CELL = f"""\
from pathlib import Path
import numpy as np
from PIL import Image
from crowdseg_widget import label_images

folder = Path("dataset")  # in the server's temporary root folder
folder.mkdir()
image = np.asarray(Image.open({GRADIENT_PNG!r}))
Image.fromarray(image).save(folder / "a.png")
Image.fromarray(image[:120, :160].copy()).save(folder / "b.png")
w = label_images(folder, ["Thing"], store=folder / "labels")
w"""


def stored_mask(nb: NotebookPage, key: str, shape: tuple[int, int]) -> np.ndarray:
    """Instance 1's pixels as the store holds them (a fresh read of the JSON)."""
    label_map = f"w.store.decode(w.store.read({key!r})).label_map"
    ys, xs = nb.kernel_json(f"[a.tolist() for a in ({label_map} == 1).nonzero()]")
    mask = np.zeros(shape, bool)
    mask[ys, xs] = True
    return mask


def test_next_right_after_a_stroke_saves_it_and_shows_the_next_image(lab_notebook):
    nb = lab_notebook([SESSION_CELL])
    nb.run_cell(0)
    canvas = nb.wait_for_widget(0)
    bar = nb.output(0).locator(".crowdseg-position")
    assert bar.inner_text() == "1 / 2, 0 done"

    first = [(30, 40), (150, 60)]
    nb.paint(0, first, radius=2)
    nb.page.keyboard.press(".")  # at once: the view sends the stroke before the request
    nb.wait_for_kernel("(w.position, w.status(0))", "(1, 'done')")
    nb.page.wait_for_function(
        "c => c.width === 160 && c.height === 120", arg=canvas.element_handle()
    )
    assert bar.inner_text() == "2 / 2, 1 done"
    expected = stroke_mask(200, 150, first, 2)
    np.testing.assert_array_equal(stored_mask(nb, "a.png", (150, 200)), expected)

    second = [(80, 10), (80, 110)]
    nb.paint(0, second, radius=2)
    nb.page.keyboard.press(",")
    nb.wait_for_kernel("(w.position, w.status(1))", "(0, 'done')")
    expected = stroke_mask(160, 120, second, 2)
    np.testing.assert_array_equal(stored_mask(nb, "b.png", (120, 160)), expected)
    assert nb.errors == []
