"""Auto-segment in a real JupyterLab: four clicks on a coin, Enter, the coin in the kernel."""

from __future__ import annotations

import numpy as np
import pytest

from assist.scenes import coins_truth, extreme_points, iou

from .harness import to_screen

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("widget_bundle"),
    pytest.mark.timeout(240),
]

CELL = """\
from crowdseg_widget import InstanceSegmentation, sample_image
from crowdseg_widget.assist import grabcut

w = InstanceSegmentation(sample_image("coins"), labels=["Coin"], assist=grabcut())
w"""


def test_auto_segment_in_jupyterlab_adds_the_coin_in_the_kernel(lab_notebook):
    _image, coins = coins_truth()
    coin = coins[12]
    nb = lab_notebook([CELL])
    nb.run_cell(0)
    canvas = nb.wait_for_widget(0)
    output = nb.output(0)
    tool = output.locator("button.crowdseg-tool[data-tool='auto-segment']").first
    tool.wait_for(state="visible")
    nb.page.wait_for_function(
        "el => !el.disabled", arg=tool.element_handle(), timeout=20_000
    )  # `_assist_available` arrived
    tool.click()
    box = canvas.bounding_box()
    assert box is not None
    width, height = (int(v) for v in canvas.evaluate("c => [c.width, c.height]"))
    for x, y in extreme_points(coin):
        nb.page.mouse.click(*to_screen(box, width, height, x, y))
    output.locator("canvas.crowdseg-pending:not([hidden])").first.wait_for(
        state="attached", timeout=30_000
    )
    status = output.locator(".crowdseg-assist-status").first
    assert status.get_attribute("data-state") == "idle"
    nb.page.keyboard.press("Enter")
    nb.wait_for_kernel("w.annotation.num_instances if w.value else 0", "1", timeout=30)
    ys, xs = nb.kernel_json("[a.tolist() for a in w.masks[0].nonzero()]")
    mask = np.zeros(coin.shape, bool)
    mask[ys, xs] = True
    assert iou(mask, coin) >= 0.85
    assert nb.kernel_eval("w.assist_error") == "''"
    assert nb.errors == []
