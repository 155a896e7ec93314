"""The browser fixtures themselves work, with no crowdseg widget involved."""

from __future__ import annotations

import anywidget
import pytest
import traitlets

pytestmark = pytest.mark.browser

COUNTER_ESM = """
export default {
  initialize({ model }) { model.set("initialized", true); model.save_changes(); },
  render({ model, el }) {
    const button = document.createElement("button");
    button.className = "counter";
    const data = model.get("data");
    const show = () => {
      button.textContent = `${model.get("count")} ${model.get("label")}`;
    };
    button.dataset.bytes = Array.from(new Uint8Array(data.buffer, data.byteOffset,
      data.byteLength)).join(",");
    button.dataset.isDataView = String(data instanceof DataView);
    button.addEventListener("click", () => {
      model.set("count", model.get("count") + 1);
      model.save_changes();
    });
    model.on("change:count", show);
    model.on("change:label", show);
    show();
    el.append(button);
    return () => button.remove();
  },
};
"""


class Counter(anywidget.AnyWidget):
    _esm = COUNTER_ESM
    count = traitlets.Int(0).tag(sync=True)
    label = traitlets.Unicode("clicks").tag(sync=True)
    data = traitlets.Bytes(b"").tag(sync=True)
    initialized = traitlets.Bool(False).tag(sync=True)


def test_harness_bridges_a_widget_both_ways(harness):
    widget = Counter(count=3, data=bytes([0, 1, 254, 255]))
    h = harness(widget)
    button = h.page.locator("button.counter")
    assert button.text_content() == "3 clicks"
    assert button.get_attribute("data-bytes") == "0,1,254,255"
    assert button.get_attribute("data-is-data-view") == "true"

    with h.expect_save():
        button.click()
    assert widget.count == 4  # the page's save ran the real set_state
    assert widget.initialized  # initialize() ran and saved too

    widget.label = "taps"  # Python → page, pushed by the next helper call
    h.push()
    assert button.text_content() == "4 taps"
    assert h.page_errors() == []


@pytest.mark.timeout(180)
def test_jupyterlab_runs_a_cell_and_reads_the_kernel(lab_notebook):
    nb = lab_notebook(["x = 6 * 7"])
    nb.run_cell(0)
    nb.page.locator(".jp-Cell").first.locator(".jp-InputArea-prompt", has_text="[1]").wait_for(
        timeout=30_000
    )
    assert nb.kernel_eval("x") == "42"
    assert nb.kernel_json("{'x': x, 'twice': [x, x]}") == {"x": 42, "twice": [42, 42]}
