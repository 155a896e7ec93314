"""The harness tier: a widget's ESM on a bare page, bridged to the real Python widget.

A made-up origin (http://crowdseg.test/) is served with `page.route`: the page
imports the widget's `_esm` (for `InstanceSegmentation`, the built
src/crowdseg_widget/static/widget.js) and renders it with a small fake
anywidget model. Its `save_changes()` calls an exposed function that runs the
widget's real `set_state(diff)`; Python trait changes are queued by an
observer and pushed to the page (`push()`, done by every helper), never from
inside the exposed callback (Playwright's sync API is not re-entrant).
"""

from __future__ import annotations

import base64
import contextlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from playwright.sync_api import Page, Route
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

import crowdseg_widget

ORIGIN = "http://crowdseg.test"
PAGE_JS = Path(__file__).with_name("harness_page.js")
#: The in-memory model the static page uses; the harness page's fake model extends it.
MEMORY_MODEL_JS = Path(crowdseg_widget.__file__).with_name("memory_model.js")
BYTES = "__crowdseg_bytes__"
INPUT_CANVAS = "canvas.crowdseg-input"
#: Resolves after the page has rendered two more frames (one to schedule, one to paint).
AFTER_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
#: True once every image-sized overlay canvas is up to date with its label buffer (the view
#: updates it in idle time, js/view/overlayCanvas.ts, marking it `data-pending` until then),
#: and the full-size photo canvas holds its image (drawn after the first frame, photoCanvas.ts).
OVERLAY_CURRENT = (
    "() => document.querySelector("
    "'canvas.crowdseg-overlay[data-pending], canvas.crowdseg-image[data-pending]') === null"
)


# The RGBA pixels of the `nth` canvas matching a selector, as [width, height, Base64].
CANVAS_RGBA = """([sel, nth]) => {
  const c = document.querySelectorAll(sel)[nth];
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let s = '';
  for (let i = 0; i < data.length; i += 0x8000) {
    s += String.fromCharCode.apply(null, data.subarray(i, i + 0x8000));
  }
  return [c.width, c.height, btoa(s)];
}"""


def after_frames(page: Page) -> None:
    """Wait until `page` has rendered two frames: what a rAF-driven redraw needs to land."""
    page.evaluate(AFTER_FRAMES)


def to_wire(value: Any) -> Any:
    """Widget state → JSON for page.evaluate; binary values travel as Base64."""
    if isinstance(value, bytes | bytearray | memoryview):
        return {BYTES: base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        return {k: to_wire(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_wire(v) for v in value]
    return value


def from_wire(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {BYTES}:
            return base64.b64decode(value[BYTES])
        return {k: from_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_wire(v) for v in value]
    return value


def page_html(width: int) -> str:
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>crowdseg harness</title>
<link rel="stylesheet" href="{ORIGIN}/widget.css">
<style>body {{ margin: 0; padding: 8px; font: 13px sans-serif; }}
#root {{ width: {width}px; }}</style>
<script type="module" src="{ORIGIN}/harness.js"></script>
</head><body><div id="root"></div></body></html>"""


#: True when, two zero-delay tasks later, the page has sent no save Python has not
#: applied: an action's patch goes at once, its value's encode in a task of its own.
SAVES_SETTLED = """() => new Promise((resolve) => setTimeout(() => setTimeout(
  () => resolve(window.__sent === window.__acks), 0), 0))"""


class Harness:
    """One widget mounted on one page. Create it with the `harness` fixture."""

    def __init__(
        self, page: Page, widget: Any, *, width: int = 900, headers: dict[str, str] | None = None
    ) -> None:
        self.page = page
        self.widget = widget
        self.width = width
        self._page_headers = headers or {}  # on the page itself, e.g. a Content-Security-Policy
        self._pending: set[str] = set()
        self._applying: dict[str, Any] = {}
        self.saves: list[dict[str, Any]] = []  # every diff the page sent, in order
        self.errors: list[str] = []
        state = widget.get_state()
        self._esm = str(state.get("_esm", ""))
        self._css = str(state.get("_css", "") or "")
        self._keys = [k for k in widget.keys if k not in {"_esm", "_css"}]
        page.on("pageerror", lambda err: self.errors.append(str(err)))
        page.route(f"{ORIGIN}/**", self._serve)
        page.expose_function("__crowdsegSave", self._save)
        widget.observe(self._changed)  # every trait; _changed keeps the synced ones
        page.goto(f"{ORIGIN}/")
        page.evaluate(
            "([state, url]) => window.__crowdseg.mount(state, url)",
            [to_wire({k: state[k] for k in self._keys}), f"{ORIGIN}/widget.js"],
        )

    # ------------------------------------------------------------ the bridge

    def _serve(self, route: Route) -> None:
        path = route.request.url[len(ORIGIN) :].split("?")[0]
        files = {
            "/": (page_html(self.width), "text/html"),
            "/harness.js": (PAGE_JS.read_text(), "text/javascript"),
            "/memory_model.js": (MEMORY_MODEL_JS.read_text(), "text/javascript"),
            "/widget.js": (self._esm, "text/javascript"),
            "/widget.css": (self._css, "text/css"),
        }
        if path in files:
            body, mime = files[path]
            headers = self._page_headers if path == "/" else {}
            route.fulfill(status=200, body=body, content_type=mime, headers=headers)
        else:
            route.fulfill(status=404, body=f"not found: {path}")

    def _save(self, diff_json: str) -> None:
        """Runs inside Playwright's callback: apply to Python, queue any reaction."""
        diff = from_wire(json.loads(diff_json))
        self.saves.append(diff)
        self._applying = diff
        try:
            self.widget.set_state(diff)
        finally:
            self._applying = {}

    def _changed(self, change: dict[str, Any]) -> None:
        name = change["name"]
        if name not in self._keys:
            return
        if name in self._applying:
            # The page's own write coming back (ipywidgets' property lock): no echo.
            state = self.widget.get_state(key=name)[name]
            if state == self._applying[name]:
                return
        self._pending.add(name)

    def push(self) -> None:
        """Send every Python trait change since the last push to the page."""
        if not self._pending:
            return
        keys = sorted(self._pending)
        self._pending.clear()
        diff = to_wire(self.widget.get_state(key=keys))
        self.page.evaluate("diff => window.__crowdseg.receive(diff)", diff)

    def add_view(self) -> str:
        """Render a second view of the same model below the first (a widget displayed twice).

        Returns the CSS selector of its root element; the first view's is `#root`.
        """
        self.push()
        return str(self.page.evaluate("() => window.__crowdseg.addView()"))

    def close(self) -> None:
        self.widget.unobserve(self._changed)

    # ------------------------------------------------------------ waiting

    def acks(self) -> int:
        """How many saves Python has applied so far."""
        return int(self.page.evaluate("window.__acks"))

    @contextlib.contextmanager
    def expect_save(
        self, until: Callable[[], bool] | None = None, timeout: float = 10_000
    ) -> Iterator[None]:
        """`with h.expect_save(): <edit>`: afterwards Python has applied a save the edit caused.

        One edit per block (edits made while an encode is in flight are sent
        together by one more save). Python changes made in the block are pushed
        first, so the page's reaction to them counts too. `until`: see
        `wait_until_saved`.
        """
        before = self.acks()
        yield
        self.wait_until_saved(until, after=before, timeout=timeout)

    def wait_until_saved(
        self,
        until: Callable[[], bool] | None = None,
        *,
        after: int = -1,
        timeout: float = 10_000,
        context: str = "",
    ) -> None:
        """Wait until Python has applied every save the page sent, more than `after` of them,
        none is sent within two zero-delay tasks after (an action's value follows its patch
        in a task of its own), and `until()` (checked on the Python side) holds.

        Not merely until the page has sent: the page's saves run Python's
        `set_state` inside Playwright calls, so this waits inside one. Python's
        trait changes are pushed to the page before each wait.
        """
        deadline = time.monotonic() + timeout / 1000
        applied = after
        while True:
            self.push()
            left = (deadline - time.monotonic()) * 1000
            try:
                self.page.wait_for_function(
                    "n => window.__acks > n && window.__acks === window.__sent",
                    arg=applied,
                    timeout=max(left, 1),
                )
            except PlaywrightTimeoutError:
                sent, acks = self.page.evaluate("[window.__sent, window.__acks]")
                wanted = "" if until is None else " with `until` holding"
                raise AssertionError(
                    f"no save reached Python{wanted} within {timeout / 1000:g} s (page sent {sent},"
                    f" Python applied {acks}, waited for more than {applied}); "
                    f"page errors: {self.page_errors()} {context}".rstrip()
                ) from None
            self.push()
            if not self.page.evaluate(SAVES_SETTLED):
                continue  # a save was sent meanwhile: wait until Python has applied it too
            if until is None or until():
                return
            applied = self.acks()  # `until` needs a later save: wait for the next one

    def frames(self) -> None:
        """Push Python's changes, then let the page render two frames and bring the
        image-sized overlay canvas up to date (it follows the label buffer in idle time)."""
        self.push()
        after_frames(self.page)
        self.page.wait_for_function(OVERLAY_CURRENT)

    def canvas_rgba(self, selector: str, nth: int = 0) -> np.ndarray:
        """(height, width, 4) uint8: what the `nth` canvas matching `selector` shows, once
        Python's changes are pushed and two frames rendered."""
        self.frames()
        width, height, data = self.page.evaluate(CANVAS_RGBA, [selector, nth])
        return np.frombuffer(base64.b64decode(data), np.uint8).reshape(height, width, 4)

    def wait_for_canvas(self, timeout: float = 10_000) -> None:
        """Wait until the image is shown (the input canvas has the image's size)."""
        self.page.wait_for_function(
            "([sel, w, h]) => { const c = document.querySelector(sel);"
            " return c !== null && c.width === w && c.height === h"
            " && c.getBoundingClientRect().width > 0; }",
            arg=[INPUT_CANVAS, self.widget.image_width, self.widget.image_height],
            timeout=timeout,
        )

    def page_errors(self) -> list[str]:
        return self.errors + list(self.page.evaluate("window.__errors"))

    # ------------------------------------------------------------ the pointer

    def canvas_box(self, root: str = "#root") -> dict[str, float]:
        """Bounding box (page coordinates) of canvas.crowdseg-input in view `root`."""
        self.push()
        box = self.page.locator(f"{root} {INPUT_CANVAS}").bounding_box()
        assert box is not None, "the input canvas is not visible"
        return box

    def to_screen(self, x: float, y: float, root: str = "#root") -> tuple[float, float]:
        """Image pixel (x, y) → page coordinates of that pixel's center."""
        box = self.canvas_box(root)
        return to_screen(box, self.widget.image_width, self.widget.image_height, x, y)

    def stroke(
        self, points: Sequence[tuple[int, int]], steps: int = 1, root: str = "#root"
    ) -> None:
        """Press at points[0], move through the rest (`steps` moves each), release."""
        stroke(self.page, [self.to_screen(x, y, root) for x, y in points], steps=steps)

    def click(self, selector: str) -> None:
        self.push()
        self.page.locator(selector).click()

    def keys(self, *presses: str) -> None:
        """Key presses while the canvas has focus (focused without a click, which would paint)."""
        self.push()
        self.page.focus(INPUT_CANVAS)
        for press in presses:
            self.page.keyboard.press(press)

    def set_radius(self, radius: int, root: str = "#root") -> None:
        """Set the brush radius with the keyboard on input.crowdseg-radius, as a user would."""
        set_radius(self.page.locator(f"{root} input.crowdseg-radius"), radius)


def to_screen(
    box: dict[str, float], width: int, height: int, x: float, y: float
) -> tuple[float, float]:
    """Image pixel → page coordinates, aiming at the pixel's center."""
    assert width > 0 and height > 0, "image size unknown"
    return (
        box["x"] + (x + 0.5) * box["width"] / width,
        box["y"] + (y + 0.5) * box["height"] / height,
    )


def stroke(page: Page, screen_points: Iterable[tuple[float, float]], steps: int = 1) -> None:
    """mouse down at the first point, move(steps) to each next one, up at the last."""
    points = list(screen_points)
    assert points, "a stroke needs at least one point"
    page.mouse.move(*points[0])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(x, y, steps=steps)
    page.mouse.up()


def set_radius(slider: Any, radius: int) -> None:
    slider.focus()
    slider.press("Home")
    for _ in range(radius):
        slider.press("ArrowRight")
    value = slider.input_value()
    assert value == str(radius), f"radius slider shows {value}, wanted {radius}"
