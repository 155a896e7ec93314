"""Large images are encoded in a Web Worker, or on the main thread where none can run (harness).

Images up to `MAIN_THREAD_PIXELS` (js/sync.ts, 2 MP)
encode on the main thread, so these tests use one just above 2 MP.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pytest
from playwright.sync_api import Browser, Route

from crowdseg_widget import InstanceSegmentation

from .harness import ORIGIN, Harness, _html
from .raster import stroke_mask
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


class CspHarness(Harness):
    """The page served with a Content Security Policy that allows no worker (like some webviews)."""

    def _serve(self, route: Route) -> None:
        if route.request.url.split("?")[0] == f"{ORIGIN}/":
            route.fulfill(
                status=200,
                body=_html(self.width),
                content_type="text/html",
                headers={"Content-Security-Policy": "worker-src 'none'"},
            )
        else:
            super()._serve(route)


@pytest.fixture
def mount(browser: Browser) -> Iterator[Callable[..., Harness]]:
    opened = []

    def make(widget: InstanceSegmentation, init_script: str = "", csp: bool = False) -> Harness:
        context = browser.new_context(viewport={"width": 1000, "height": 900})
        opened.append(context)
        if init_script:
            context.add_init_script(init_script)
        h = (CspHarness if csp else Harness)(context.new_page(), widget)
        opened.append(h)
        return h

    yield make
    for item in reversed(opened):
        item.close()


def paint_and_check(h: Harness, widget: InstanceSegmentation) -> None:
    h.wait_for_canvas(timeout=30_000)
    h.set_radius(3)
    first, second = [(400, 500), (1200, 500)], [(600, 200), (600, 900)]
    for points in (first, second):
        acks = h.acks()
        h.stroke(points)
        h.wait_for_save(acks)
    expected = stroke_mask(W, H, first, 3) | stroke_mask(W, H, second, 3)
    np.testing.assert_array_equal(widget.masks[0], expected)
    assert h.page_errors() == []


def test_the_value_is_encoded_in_a_worker(mount):
    widget = large_widget()
    h = mount(widget, COUNT_WORKERS)
    paint_and_check(h, widget)
    assert h.page.evaluate("window.__workers") == 1


@pytest.mark.parametrize(
    ("init_script", "csp"),
    [(NO_WORKER, False), (FAILING_WORKER, False), ("", True)],
    ids=["no Worker", "worker fails", "CSP worker-src none"],
)
def test_without_a_worker_the_value_is_encoded_on_the_main_thread(mount, init_script, csp):
    widget = large_widget()
    h = mount(widget, init_script, csp)
    paint_and_check(h, widget)
