"""Untrusted text (header, labels, instance labels, review rows, error messages) is shown
as text: no element is created from it and no script runs (harness tier, real Chromium).

Only the two instruction regions are HTML, by design; they are not
fed untrusted text here. See docs/hardening.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from crowdseg_widget import Annotation, InstanceSegmentation

from .harness import ORIGIN, Harness
from .scene import H, W, gradient_image

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]

# Each would run script if it ever reached innerHTML (or an attribute parser).
IMG = "<img src=x onerror=\"window.__pwned='img';alert(1)\">"
SCRIPT = "<script>window.__pwned='script';alert(2)</script>"
SVG = '"><svg onload="window.__pwned=\'svg\';alert(3)">'
ENTITY = "Tom &amp; <b>Jerry</b>"  # must show these characters, not "Tom & Jerry" in bold

# Evaluated in the page: anything the payloads could have created or run.
INJECTED = """() => ({
  pwned: window.__pwned ?? null,
  imgX: document.querySelectorAll('img[src="x"]').length,
  scripts: document.querySelectorAll('#root script').length,
  svgs: document.querySelectorAll('#root svg').length,
  bold: document.querySelectorAll('#root b').length,
  handlers: [...document.querySelectorAll('#root *')].flatMap(
    (e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
})"""
CLEAN = {"pwned": None, "imgX": 0, "scripts": 0, "svgs": 0, "bold": 0, "handlers": []}


def mount(harness: Any, widget: InstanceSegmentation) -> tuple[Harness, list[str]]:
    h = harness(widget)
    dialogs: list[str] = []

    def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    h.page.on("dialog", dismiss)
    return h, dialogs


def texts(h: Harness, selector: str) -> list[str]:
    return h.page.locator(selector).all_text_contents()


def test_header_labels_and_instance_labels_are_text_and_run_nothing(harness):
    labels = [IMG, SCRIPT, SVG, ENTITY]
    label_map = np.zeros((H, W), np.uint8)
    label_map[10:40, 10:60], label_map[50:90, 20:80] = 1, 2
    start = Annotation(label_map, [IMG, SVG])  # review rows for both starting instances
    widget = InstanceSegmentation(
        gradient_image(), labels=labels, header=IMG + SCRIPT, name=SVG, initial_value=start
    )
    h, dialogs = mount(harness, widget)
    h.wait_for_canvas()
    h.frames()

    assert h.page.locator(".crowdseg-header").text_content() == IMG + SCRIPT
    assert texts(h, ".crowdseg-label-name") == labels
    assert texts(h, ".crowdseg-instance-name") == [f"{IMG} 1", f"{SVG} 1"]
    options = texts(h, '.crowdseg-instance[data-instance-id="1"] select.crowdseg-relabel option')
    assert options == labels
    assert texts(h, ".crowdseg-review-state") == ["unreviewed", "unreviewed"]
    assert h.page.locator(f'.crowdseg-label[data-label="{ENTITY}"]').count() == 1

    # Live changes from Python: a new header and labels, an instance whose label is
    # no longer offered (listed under "Not in the current labels").
    widget.header = SVG
    widget.labels = [ENTITY, SCRIPT]
    h.frames()
    assert h.page.locator(".crowdseg-header").text_content() == SVG
    assert texts(h, ".crowdseg-label-name") == [ENTITY, SCRIPT]
    assert texts(h, ".crowdseg-orphans .crowdseg-instance-name") == [f"{IMG} 1", f"{SVG} 1"]

    assert h.page.evaluate(INJECTED) == CLEAN
    assert dialogs == []
    assert h.page_errors() == []


def test_error_messages_quoting_user_input_are_text(harness):
    # The image URL is quoted in the error when it fails to load (404 on the harness origin).
    url = f"{ORIGIN}/missing/{IMG}.png"
    widget = InstanceSegmentation(url, labels=[SCRIPT])
    h, dialogs = mount(harness, widget)
    h.page.wait_for_function(
        "() => document.querySelector('.crowdseg-status')?.textContent.includes('Could not show')"
    )
    h.frames()
    status = h.page.locator(".crowdseg-status").text_content()
    assert status == f"Could not show the image: could not load the image from {url}"
    assert h.page.evaluate(INJECTED) == CLEAN
    assert dialogs == []
