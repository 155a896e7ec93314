"""Large images are encoded in a Web Worker, or on the main thread where none can run (harness).

Images up to `MAIN_THREAD_PIXELS` (js/sync/valueSync.ts, 2 MP)
encode on the main thread, so these tests use one just above 2 MP.
"""

from __future__ import annotations

import numpy as np
import pytest

from crowdseg_widget import InstanceSegmentation
from reference_raster import stroke_mask

from .harness import Harness
from .scene import gradient_image

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]

W, H = 1600, 1400  # 2.24 MP: over MAIN_THREAD_PIXELS


def large_widget() -> InstanceSegmentation:
    return InstanceSegmentation(gradient_image(W, H), labels=["Cat"])


# Run before the page's scripts: count the workers started, or take workers away.
COUNT_WORKERS = """
window.__workers = 0;
const Native = window.Worker;
window.Worker = class extends Native {
  constructor(...args) { super(...args); window.__workers++; }
};
"""
NO_WORKER = "delete window.Worker;"
# A worker that starts but fails at once, as a worker refused by a front end may.
FAILING_WORKER = """
window.Worker = class extends EventTarget {
  constructor() {
    super();
    setTimeout(() => this.onerror?.(new ErrorEvent('error', { message: 'refused' })), 0);
  }
  postMessage() {}
  terminate() {}
};
"""


# Like some webviews: a Content Security Policy on the page that allows no worker.
NO_WORKER_CSP = {"Content-Security-Policy": "worker-src 'none'"}


def paint_and_check(h: Harness, widget: InstanceSegmentation) -> None:
    h.wait_for_canvas(timeout=30_000)
    h.set_radius(3)
    first, second = [(400, 500), (1200, 500)], [(600, 200), (600, 900)]
    for points in (first, second):
        with h.expect_save():
            h.stroke(points)
    expected = stroke_mask(W, H, first, 3) | stroke_mask(W, H, second, 3)
    np.testing.assert_array_equal(widget.masks[0], expected)
    assert h.page_errors() == []


def test_the_value_is_encoded_in_a_worker(harness):
    widget = large_widget()
    h = harness(widget, init_script=COUNT_WORKERS)
    paint_and_check(h, widget)
    assert h.page.evaluate("window.__workers") == 1


@pytest.mark.parametrize(
    ("init_script", "headers"),
    [(NO_WORKER, None), (FAILING_WORKER, None), ("", NO_WORKER_CSP)],
    ids=["no Worker", "worker fails", "CSP worker-src none"],
)
def test_without_a_worker_the_value_is_encoded_on_the_main_thread(harness, init_script, headers):
    widget = large_widget()
    h = harness(widget, init_script=init_script, headers=headers)
    paint_and_check(h, widget)
