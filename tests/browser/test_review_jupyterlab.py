"""Review in a real JupyterLab: one widget shown in two cells, both views kept in sync."""

from __future__ import annotations

import pytest

from .harness import set_radius, stroke, to_screen
from .scene import GRADIENT_PNG

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("widget_bundle"),
    pytest.mark.timeout(240),
]

PREDICTIONS_CELL = f"""\
import numpy as np
from PIL import Image
from crowdseg_widget import InstanceSegmentation

image = np.asarray(Image.open({GRADIENT_PNG!r}))
masks = np.zeros((2, 150, 200), bool)
masks[0, 20:60, 20:70] = True
masks[1, 80:120, 100:160] = True
w = InstanceSegmentation.from_predictions(image, masks, ["Cat", "Dog"])
w"""


def test_two_views_of_one_widget_share_strokes_and_review_states(lab_notebook):
    nb = lab_notebook([PREDICTIONS_CELL, "w"])
    nb.run_cell(0)
    nb.wait_for_widget(0)
    nb.run_cell(1)
    canvas = nb.wait_for_widget(1)
    second = nb.output(1)

    # A stroke in the second view: the dog grows by rows 120..130 of column 150.
    second.locator('.crowdseg-instance[data-instance-id="2"] .crowdseg-swatch').click()
    set_radius(second.locator("input.crowdseg-radius").first, 0)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None and (box["width"], box["height"]) == (200, 150)
    stroke(nb.page, [to_screen(box, 200, 150, 150, 100), to_screen(box, 200, 150, 150, 130)])
    nb.wait_for_kernel("w.review_states", "{'#1f77b4': 'edited'}")
    assert nb.kernel_eval("[int(m.sum()) for m in w.masks]") == "[2000, 2411]"
    assert nb.kernel_eval("w.review.instances[1].iou == 2400 / 2411") == "True"

    # The first view shows the stroke's state, and rejecting there reaches the kernel.
    first = nb.output(0)
    dog = first.locator('.crowdseg-instance[data-review-state="edited"]')
    dog.wait_for(state="attached", timeout=10_000)
    first.locator('.crowdseg-instance[data-instance-id="1"] button.crowdseg-reject').click()
    nb.wait_for_kernel("w.review_states", "{'#2ca02c': 'rejected', '#1f77b4': 'edited'}")
    assert nb.kernel_eval("len(w.masks), int(w.masks.sum())") == "(1, 2411)"
    second.locator('.crowdseg-instance[data-instance-id="2"]').wait_for(
        state="detached", timeout=10_000
    )
    assert second.locator(".crowdseg-instance").count() == 1
