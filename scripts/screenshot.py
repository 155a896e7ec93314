"""Make docs/images/widget.png, the README's picture of the widget, in headless Chromium.

    .venv/bin/python scripts/screenshot.py [--out docs/images/widget.png]

Re-make it whenever the widget's look changes (layout, toolbar, panel, colors):
run this, look at the picture, commit it. It needs the built front end
(`npm run build`) and the test extra (Playwright; Debian's /usr/bin/chromium).

The widget shows the shipped coins photo, mounted on a bare page by the
browser tests' harness (tests/browser/harness.py: the real widget.js, bridged
to the real Python widget), and the coins are painted the way a user paints
them: brush clicks, one polygon, one auto-segment (four extreme-point clicks,
GrabCut as the assist), "Add instance" between coins. The script
then checks in Python that every instance arrived with pixels, so a picture
of a broken widget is never written.
"""

from __future__ import annotations

import argparse
import io
import math
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.custom_messages import bridge_messages  # noqa: E402
from tests.browser.harness import Harness  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

from crowdseg_widget import InstanceSegmentation, sample_image  # noqa: E402
from crowdseg_widget.assist import grabcut  # noqa: E402

OUT = ROOT / "docs" / "images" / "widget.png"
WIDTH = 1080  # the widget's width on the page, in CSS pixels
LABELS = ["Coin", "Big coin"]
#: (label, center x, center y, radius, tool) of coins in the photo, in image pixels.
COINS = [
    ("Coin", 155, 50, 21, "brush"),
    ("Coin", 215, 50, 20, "brush"),
    ("Coin", 270, 118, 22, "brush"),
    ("Coin", 212, 193, 20, "brush"),
    ("Big coin", 347, 185, 29, "polygon"),
    ("Big coin", 333, 43, 26, "brush"),
    ("Coin", 172, 261, 25, "auto-segment"),
]
#: The page area the widget covers, overflowing parts included (the root's own box
#: can be shorter than the panel beside the image).
EXTENT_JS = """() => {
  const boxes = [...document.querySelectorAll('#root, #root *')]
    .map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0);
  const x = Math.min(...boxes.map((r) => r.left)), y = Math.min(...boxes.map((r) => r.top));
  const right = Math.max(...boxes.map((r) => r.right));
  const bottom = Math.max(...boxes.map((r) => r.bottom));
  return { x, y, width: Math.ceil(right - x), height: Math.ceil(bottom - y) + 4 };
}"""
#: Where the pointer rests at the end, so the brush cursor shows on an unpainted coin.
HOVER = (300, 263)


def _add_instance(h: Harness, label: str) -> None:
    """Start a new instance of `label` with the panel's button, as a user does."""
    h.click(f'.crowdseg-label[data-label="{label}"] .crowdseg-add-instance')


def _polygon(h: Harness, cx: int, cy: int, radius: int, corners: int = 20) -> None:
    """Outline a circle with the polygon tool: click each corner, close with Enter."""
    h.keys("p")
    for k in range(corners):
        angle = 2 * math.pi * k / corners
        h.page.mouse.click(
            *h.to_screen(cx + radius * math.cos(angle), cy + radius * math.sin(angle))
        )
    with h.expect_save():
        h.page.keyboard.press("Enter")
    h.keys("b")


def _auto_segment(h: Harness, cx: int, cy: int, radius: int) -> None:
    """Model assist: click the coin's four extreme points, accept the mask with Enter."""
    h.keys("x")
    for x, y in [(cx, cy - radius), (cx, cy + radius), (cx - radius, cy), (cx + radius, cy)]:
        h.page.mouse.click(*h.to_screen(x, y))
    h.page.wait_for_selector("canvas.crowdseg-pending:not([hidden])", timeout=20_000)
    with h.expect_save():
        h.keys("Enter")
    h.keys("b")


def paint(h: Harness) -> None:
    """Paint COINS, one instance each, and check that Python received every one."""
    h.wait_for_canvas()
    started: set[str] = set()
    for label, cx, cy, radius, tool in COINS:
        if label in started:
            _add_instance(h, label)
        else:
            h.keys(str(LABELS.index(label) + 1))  # its first stroke creates its first instance
            started.add(label)
        if tool == "polygon":
            _polygon(h, cx, cy, radius)
            continue
        if tool == "auto-segment":
            _auto_segment(h, cx, cy, radius)
            continue
        h.set_radius(radius)
        with h.expect_save():
            h.stroke([(cx, cy)])
    areas = h.widget.annotation.areas
    assert len(areas) == len(COINS) and all(areas > 0), f"not every coin arrived: {areas}"
    h.set_radius(20)
    h.keys()  # focus back on the canvas (no focus ring on the slider)
    h.page.mouse.move(*h.to_screen(*HOVER))
    h.frames()


def screenshot(out: Path) -> int:
    """Paint, photograph the widget, write `out` as a compact PNG; returns its size."""
    from playwright.sync_api import sync_playwright

    widget = InstanceSegmentation(
        sample_image("coins"),
        labels=LABELS,
        assist=grabcut(),
        header="Paint each coin as its own instance",
        short_instructions="<p>One instance per coin; <b>Add instance</b> starts the next.</p>",
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": WIDTH + 40, "height": 900})
            h = Harness(page, widget, width=WIDTH)
            bridge_messages(h)  # the assist's prompts and replies travel as custom messages
            paint(h)
            shot = page.screenshot(clip=page.evaluate(EXTENT_JS), full_page=True)
            h.close()
        finally:
            browser.close()
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out, optimize=True)
    return out.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the PNG")
    args = parser.parse_args()
    size = screenshot(args.out)
    print(f"wrote {args.out} ({size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
