"""The next image of a dataset session, prefetched (harness tier): the view decodes the
bytes Python offers as `_prefetch` while the user paints, shows that decode when Python
shows that image, never a stale one, and the first stroke lands on the new image exactly.

A spy on `createImageBitmap` records the size of every Blob the page decodes: each
image's PNG has its own size, so the list says which image was decoded, and how often.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from crowdseg_widget.datasets.labeler import ImageLabeler, label_images
from crowdseg_widget.datasets.store import LabelStore
from recording_comm import RecordingComm
from reference_raster import stroke_mask

from .harness import Harness, to_wire
from .scene import H, W, gradient_image

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]

DECODE_SPY = """
window.__decoded = [];
const decode = window.createImageBitmap.bind(window);
window.createImageBitmap = (source, ...rest) => {
  if (source instanceof Blob) window.__decoded.push(source.size);
  return decode(source, ...rest);
};
"""
IMAGE_CANVAS = "canvas.crowdseg-image"


def image(k: int) -> np.ndarray:
    """Image k: the gradient with its own blue at every pixel (no two images share one)."""
    pixels = gradient_image()
    pixels[..., 2] = (pixels[..., 2] // 4) * 4 + k  # k < 4: blue says which image
    return pixels


@pytest.fixture
def photos(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "photos"
    folder.mkdir()
    paths = []
    for k in range(4):
        path = folder / f"{k}.png"
        size_tag = PngInfo()  # a text chunk of its own length: each file has its own size
        size_tag.add_text("pad", "x" * (100 * k))
        Image.fromarray(image(k)).save(path, pnginfo=size_tag)
        paths.append(path)
    assert len({p.stat().st_size for p in paths}) == 4  # the spy tells them apart by size
    return paths


def decoded(h: Harness, photos: list[Path], count: int) -> list[int]:
    """Which images the page has decoded, in order, once it has decoded `count`."""
    h.page.wait_for_function("n => window.__decoded.length >= n", arg=count)
    h.frames()
    sizes = {p.stat().st_size: k for k, p in enumerate(photos)}
    return [sizes[s] for s in h.page.evaluate("window.__decoded")]


def shown_image(h: Harness, root: str = "#root") -> np.ndarray:
    """The RGB the view's image canvas shows, once it has loaded the image Python shows."""
    h.page.wait_for_function(
        "root => document.querySelector(root + ' .crowdseg-loading')?.hidden === true",
        arg=root,
    )
    nth = 0 if root == "#root" else 1
    return h.canvas_rgba(IMAGE_CANVAS, nth)[..., :3]


def wait_for_position(h: Harness, text: str) -> None:
    h.push()
    h.page.wait_for_function(
        "t => document.querySelector('.crowdseg-position')?.textContent.startsWith(t)", arg=text
    )


def test_next_shows_the_prefetched_decode_and_the_first_stroke_lands_on_the_new_image(
    harness, photos, tmp_path
):
    store = tmp_path / "labels"
    w = label_images(photos[0].parent, ["Thing"], store=store)
    h = harness(w, init_script=DECODE_SPY)
    h.wait_for_canvas()
    assert decoded(h, photos, 2) == [0, 1]  # the image shown, then the next one, ahead
    assert shown_image(h).tolist() == image(0).tolist()
    h.set_radius(2)
    first = [(20, 30), (90, 40)]
    with h.expect_save():
        h.stroke(first)
    with h.expect_save():
        h.keys(".")
    wait_for_position(h, "2 / 4")
    assert shown_image(h).tolist() == image(1).tolist()
    # Right away: the first stroke on the new image lands on it, exactly.
    second = [(100, 20), (100, 100)]
    with h.expect_save():
        h.stroke(second)
    assert w.position == 1
    assert (w.label_map == 1).tolist() == stroke_mask(W, H, second, 2).tolist()
    saved = LabelStore(store)
    first_entry = saved.read("0.png")
    assert first_entry is not None and first_entry.status == "done"
    assert (saved.decode(first_entry).label_map == 1).tolist() == stroke_mask(
        W, H, first, 2
    ).tolist()
    # Image 1 was decoded once, ahead; image 2 is decoded ahead now.
    assert decoded(h, photos, 3) == [0, 1, 2]
    assert h.page_errors() == []


def deliver(h: Harness, updates: list[dict[str, Any]]) -> None:
    """Python's updates to the page one by one, in order, as separate messages."""
    for update in updates:
        h.page.evaluate("diff => window.__crowdseg.receive(diff)", to_wire(update))


def test_the_image_update_without_its_bytes_shows_the_prefetch_in_every_view(
    harness, photos, tmp_path
):
    """As ipywidgets delivers them: the image's update first, without the bytes the view
    has as `_prefetch`; the bytes and the next prefetch after it."""
    w: ImageLabeler = label_images(photos[0].parent, ["Thing"], store=tmp_path / "labels")
    h = harness(w, init_script=DECODE_SPY)
    h.wait_for_canvas()
    assert decoded(h, photos, 2) == [0, 1]
    comm = RecordingComm()
    w.comm = comm
    w.next()
    h._pending.clear()  # the updates go as recorded below, not as one push
    first, *rest = [update.merged() for update in comm.updates]
    assert "_image_serial" in first and first["_image_data"] == b""
    deliver(h, [first])
    assert shown_image(h).tolist() == image(1).tolist()
    assert decoded(h, photos, 2) == [0, 1]  # shown from the decode made ahead
    # A view opened now, which has not prefetched anything, finds the bytes in `_prefetch`.
    second_view = h.add_view()
    assert shown_image(h, second_view).tolist() == image(1).tolist()
    assert decoded(h, photos, 3) == [0, 1, 1]
    deliver(h, rest)  # the bytes into `_image_data`, then image 2 to prefetch: each view does
    assert decoded(h, photos, 5) == [0, 1, 1, 2, 2]
    h.set_radius(1)
    with h.expect_save():
        h.stroke([(10, 10), (60, 10)])
    assert (w.label_map == 1).tolist() == stroke_mask(W, H, [(10, 10), (60, 10)], 1).tolist()
    assert h.page_errors() == []


def test_a_stale_prefetch_is_never_shown(harness, photos, tmp_path):
    """Python jumped elsewhere (goto): the prefetched image is dropped; the image shown is
    the one asked for, and Next from there shows the image after it."""
    w = label_images(photos[0].parent, ["Thing"], store=tmp_path / "labels")
    h = harness(w, init_script=DECODE_SPY)
    h.wait_for_canvas()
    assert decoded(h, photos, 2) == [0, 1]
    w.goto(2)
    wait_for_position(h, "3 / 4")
    assert shown_image(h).tolist() == image(2).tolist()
    assert decoded(h, photos, 4) == [0, 1, 2, 3]  # image 2 from its bytes, then 3 ahead
    h.keys(".")
    wait_for_position(h, "4 / 4")
    assert shown_image(h).tolist() == image(3).tolist()
    h.keys(",")  # at the end the prefetch turned back: image 2 is ready
    wait_for_position(h, "3 / 4")
    assert shown_image(h).tolist() == image(2).tolist()
    # Image 2 decoded ahead while on image 3, shown without decoding again; then 1 ahead.
    assert decoded(h, photos, 6) == [0, 1, 2, 3, 2, 1]
    assert h.page_errors() == []
