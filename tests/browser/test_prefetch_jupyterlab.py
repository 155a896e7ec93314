"""Real JupyterLab: Next shows the image decoded ahead, through ipywidgets' own messages
(the image's update without its bytes, then the bytes, then the next prefetch)."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from reference_raster import stroke_mask

from .harness import CANVAS_RGBA
from .lab import NotebookPage
from .scene import GRADIENT_PNG, H, W
from .test_prefetch_harness import DECODE_SPY

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]

SESSION_CELL = f"""\
import numpy as np, pathlib
from PIL import Image, PngImagePlugin
from crowdseg_widget import label_images

base = np.asarray(Image.open({GRADIENT_PNG!r}))
folder = pathlib.Path("prefetched")  # in the server's temporary root folder
folder.mkdir()
for k in range(3):
    pixels = base.copy()
    pixels[..., 2] = (pixels[..., 2] // 4) * 4 + k  # blue says which image
    tag = PngImagePlugin.PngInfo()
    tag.add_text("pad", "x" * (100 * k))  # each file its own size, for the page's spy
    Image.fromarray(pixels).save(folder / f"{{k}}.png", pnginfo=tag)
sizes = [(folder / f"{{k}}.png").stat().st_size for k in range(3)]
w = label_images(folder, ["Thing"], store=folder / "labels")
w"""


def decoded(nb: NotebookPage, count: int) -> list[int]:
    nb.page.wait_for_function("n => window.__decoded.length >= n", arg=count)
    sizes = nb.kernel_json("sizes")
    return [sizes.index(s) for s in nb.page.evaluate("window.__decoded")]


def shown_blue(nb: NotebookPage) -> set[int]:
    """The blue's low bits over the whole image canvas: {k} when image k is shown."""
    nb.page.wait_for_function("() => document.querySelector('.crowdseg-loading')?.hidden === true")
    # The full-size photo canvas is drawn after the first frame (js/view/photoCanvas.ts).
    nb.page.wait_for_function("() => !document.querySelector('.crowdseg-image[data-pending]')")
    width, height, data = nb.page.evaluate(CANVAS_RGBA, ["canvas.crowdseg-image", 0])
    rgba = np.frombuffer(base64.b64decode(data), np.uint8).reshape(height, width, 4)
    return set(np.unique(rgba[..., 2] % 4).tolist())


@pytest.mark.timeout(240)
def test_next_shows_the_prefetched_image_and_the_first_stroke_lands_on_it(lab_notebook):
    nb = lab_notebook([SESSION_CELL])
    nb.page.evaluate(f"() => {{ {DECODE_SPY} }}")
    nb.run_cell(0)
    nb.wait_for_widget(0)
    assert decoded(nb, 2) == [0, 1]  # the image shown, then the next one ahead
    assert shown_blue(nb) == {0}
    nb.paint(0, [(30, 40), (150, 60)], radius=2)
    nb.page.keyboard.press(".")
    nb.wait_for_kernel("(w.position, w.status(0))", "(1, 'done')")
    nb.page.wait_for_function(
        "() => document.querySelector('.crowdseg-position')?.textContent.startsWith('2 / 3')"
    )
    assert shown_blue(nb) == {1}
    stroke = [(100, 20), (100, 100)]
    nb.paint(0, stroke, radius=2)
    expected = stroke_mask(W, H, stroke, 2)
    ys, xs = expected.nonzero()
    nb.wait_for_kernel("int((w.label_map == 1).sum())", str(len(ys)))
    got = nb.kernel_json("[a.tolist() for a in (w.label_map == 1).nonzero()]")
    assert got == [ys.tolist(), xs.tolist()]
    assert decoded(nb, 3) == [0, 1, 2]  # image 1 was not decoded again; image 2 is ahead
    assert nb.errors == []
