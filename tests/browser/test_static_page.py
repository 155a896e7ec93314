"""The static page (`save_html`): opened from a file with no kernel and no network, painted
with the mouse, "Download result", read back in Python with exact pixels."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Browser, Dialog, Page

from crowdseg_widget import Annotation, InstanceSegmentation
from crowdseg_widget.static_page import read_result
from reference_raster import stroke_mask

from .harness import INPUT_CANVAS, set_radius, stroke, to_screen
from .scene import H, W, gradient_image

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]

NOTICE = ".crowdseg-no-kernel"


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[[Path], Page]]:
    """`open_page(path) -> Page`: the page at file://path, every http(s) request refused;
    afterwards, no page error and no request but the file and its Blob URLs."""
    contexts = []
    requested: list[str] = []
    errors: list[str] = []

    def open_(path: Path) -> Page:
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1000, "height": 900}
        )
        contexts.append(context)
        context.route("http://**/*", lambda route: route.abort())
        context.route("https://**/*", lambda route: route.abort())
        page = context.new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(path.resolve().as_uri())
        page.wait_for_function(
            "([sel, w, h]) => document.querySelector(sel)?.width === w"
            " && document.querySelector(sel)?.height === h",
            arg=[INPUT_CANVAS, W, H],
        )
        return page

    yield open_
    for context in contexts:
        context.close()
    # Offline: the page, its bundle (a Blob URL) and the image (bytes in the page) only.
    assert [url for url in requested if not url.startswith(("file:", "blob:", "data:"))] == []
    assert errors == []


def screen(page: Page, x: int, y: int) -> tuple[float, float]:
    box = page.locator(INPUT_CANVAS).bounding_box()
    assert box is not None and (box["width"], box["height"]) == (W, H), "shown at 1:1"
    return to_screen(box, W, H, x, y)


def download(page: Page, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click("button.crowdseg-download")
    saved = folder / info.value.suggested_filename
    info.value.save_as(saved)
    return saved


def test_a_stroke_painted_in_the_page_comes_back_exactly(open_page, tmp_path):
    widget = InstanceSegmentation(gradient_image(), labels=["Cat", "Dog"], name="mask")
    page = open_page(widget.save_html(tmp_path / "coins.html"))
    notice = page.locator(NOTICE)
    assert "saves nothing" in notice.inner_text()
    assert notice.get_attribute("data-state") == "none"
    set_radius(page.locator("input.crowdseg-radius"), 3)
    stroke(page, [screen(page, 40, 50), screen(page, 120, 50)])

    saved = download(page, tmp_path)

    assert saved.name == "coins.result.json"  # named after the page
    data = json.loads(saved.read_text())
    assert list(data) == ["mask"]  # {name: value}, as <crowd-form> submits it
    assert set(data["mask"]) == {"inputImageProperties", "instances", "labeledImage"}
    result = read_result(saved)
    assert result == Annotation.from_value(data["mask"])
    assert result.labels == ["Cat"]
    assert (result.width, result.height) == (W, H)
    np.testing.assert_array_equal(result.masks[0], stroke_mask(W, H, [(40, 50), (120, 50)], 3))
    assert result.masks[0].sum() == 597
    assert notice.get_attribute("data-state") == "current"
    assert "saves nothing" in notice.inner_text()
    assert widget.value["instances"] == []  # the page never reached Python


def test_the_page_starts_from_the_annotation_and_says_when_the_download_is_stale(
    open_page, tmp_path
):
    label_map = np.zeros((H, W), np.uint8)
    label_map[20:60, 30:90] = 1
    label_map[100:140, 150:190] = 2
    start = Annotation(label_map, ["Dog", "Cat"], ["#1f77b4", "#ff7f0e"])
    widget = InstanceSegmentation(gradient_image(), labels=["Cat", "Dog"], initial_value=start)
    page = open_page(widget.save_html(tmp_path / "page.html"))

    assert read_result(download(page, tmp_path)) == start  # untouched: the same annotation
    page.locator('.crowdseg-label[data-label="Cat"] .crowdseg-add-instance').click()
    set_radius(page.locator("input.crowdseg-radius"), 0)
    stroke(page, [screen(page, 10, 140), screen(page, 20, 140)])  # 11 pixels

    notice = page.locator(NOTICE)
    assert notice.get_attribute("data-state") == "stale"
    assert "not in any file" in notice.inner_text()
    again = read_result(download(page, tmp_path))
    assert again.labels == ["Dog", "Cat", "Cat"]
    np.testing.assert_array_equal(again.label_map[label_map > 0], label_map[label_map > 0])
    assert again.masks[2].sum() == 11 and again.masks[2][140, 10:21].all()
    assert notice.get_attribute("data-state") == "current"


def test_leaving_with_edits_not_downloaded_asks_first(open_page, tmp_path):
    widget = InstanceSegmentation(gradient_image(), labels=["Cat"])
    page = open_page(widget.save_html(tmp_path / "page.html"))
    asked: list[str] = []

    def stay(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()  # "stay on the page"

    page.on("dialog", stay)
    stroke(page, [screen(page, 40, 50), screen(page, 60, 50)])
    page.close(run_before_unload=True)
    page.wait_for_function("() => true")  # the page is still there: it asked
    assert asked == ["beforeunload"]

    download(page, tmp_path)
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    assert asked == ["beforeunload"]  # downloaded: it left without asking
