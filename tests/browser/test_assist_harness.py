"""Model assist in the view, in Chromium on the harness page: auto-segment, click-to-mask,
the magic wand, the pending mask and its keys, the status, stale replies, a failing assist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from assist.scenes import coins_truth, extreme_points, iou
from crowdseg_widget import InstanceSegmentation, sample_image
from crowdseg_widget.assist import Prompt, grabcut

from .custom_messages import bridge_messages, hold_replies, release_replies
from .harness import Harness, stroke
from .scene import gradient_image

PENDING = "canvas.crowdseg-pending"
STATUS = ".crowdseg-assist-status"


def mount(harness: Callable[..., Harness], w: InstanceSegmentation) -> Harness:
    h = harness(w)
    h.wait_for_canvas()
    box = h.canvas_box()
    assert (box["width"], box["height"]) == (w.image_width, w.image_height), "shown at 1:1"
    bridge_messages(h)
    return h


def click(h: Harness, x: int, y: int, *, button: str = "left", shift: bool = False) -> None:
    h.push()
    if shift:
        h.page.keyboard.down("Shift")
    h.page.mouse.click(*h.to_screen(x, y), button=button)  # type: ignore[arg-type]
    if shift:
        h.page.keyboard.up("Shift")


def answered(h: Harness, prompts: int) -> None:
    """Wait until the page has sent `prompts` prompts and its newest one is answered."""
    h.page.wait_for_function(
        "n => window.__crowdseg.model.messages.length === n"
        " && document.querySelector('.crowdseg-assist-status').dataset.state !== 'running'",
        arg=prompts,
        timeout=20_000,
    )


def pending(h: Harness) -> dict[str, Any]:
    """What the pending layer shows (after its reply is in and two frames rendered)."""
    h.page.wait_for_selector(f"{PENDING}:not([hidden])", state="attached", timeout=20_000)
    h.frames()
    return dict(h.page.eval_on_selector(PENDING, "c => ({...c.dataset})"))


class FakeAssist:
    """Deterministic: the box filled (or a 9x9 square around the first click), each
    positive click's 3x3 square added, each negative click's 5x5 square removed."""

    def __init__(self) -> None:
        self.prompts: list[Prompt] = []

    def __call__(self, image: np.ndarray, prompt: Prompt) -> list[tuple[np.ndarray, float]]:
        self.prompts.append(prompt)
        return [(expected_mask(image.shape[:2], prompt), 0.9)]


def expected_mask(shape: tuple[int, ...], prompt: Prompt) -> np.ndarray:
    mask = np.zeros(shape[:2], bool)
    if prompt.box is not None:
        x0, y0, x1, y1 = (int(v) for v in prompt.box)
        mask[y0:y1, x0:x1] = True
    elif prompt.points:
        x, y = (int(v) for v in prompt.points[0][:2])
        mask[y - 4 : y + 5, x - 4 : x + 5] = True
    for x, y, positive in ((int(a), int(b), p) for a, b, p in prompt.points):
        r = 1 if positive else 2
        mask[y - r : y + r + 1, x - r : x + r + 1] = positive
    return mask


def test_auto_segment_four_clicks_on_a_coin_then_enter_adds_it(harness):
    _image, coins = coins_truth()
    w = InstanceSegmentation(sample_image("coins"), labels=["Coin"], assist=grabcut())
    h = mount(harness, w)
    coin = coins[5]
    h.keys("x")
    assert (
        h.page.get_attribute("button.crowdseg-tool[data-tool='auto-segment']", "aria-pressed")
        == "true"
    )
    for x, y in extreme_points(coin):
        click(h, x, y)
    shown = pending(h)
    assert shown["candidate"].endswith("/1") or shown["candidate"].startswith("1/")
    assert h.page.get_attribute(STATUS, "data-state") == "idle"
    assert float(h.page.get_attribute(STATUS, "data-round-trip-ms") or "nan") > 0
    with h.expect_save(until=lambda: w.annotation.num_instances == 1):
        h.keys("Enter")
    assert iou(w.masks[0], coin) >= 0.85
    assert h.page.is_hidden(PENDING)
    assert (
        h.page.get_attribute("button.crowdseg-tool[data-tool='auto-segment']", "aria-pressed")
        == "true"
    )
    assert h.page_errors() == []


def test_click_to_mask_negative_clicks_and_the_box_give_exact_pixels_and_undo_restores(harness):
    fake = FakeAssist()
    w = InstanceSegmentation(gradient_image(), labels=["Cat", "Dog"], assist=fake)
    h = mount(harness, w)
    with h.expect_save():
        h.stroke([(30, 30), (90, 30)])  # a brush stroke the accepted mask will partly cover
    before = w.label_map.copy()
    h.keys("k")
    click(h, 50, 50)
    answered(h, 1)
    click(h, 60, 60, shift=True)
    answered(h, 2)
    click(h, 70, 40, button="right")
    answered(h, 3)
    stroke(h.page, [h.to_screen(20, 20), h.to_screen(120, 100)], steps=4)
    answered(h, 4)
    shown = pending(h)
    last = fake.prompts[-1]
    assert last.points == ((50, 50, True), (60, 60, False), (70, 40, False))
    assert last.box == (20, 20, 121, 101)
    assert [len(p.points) for p in fake.prompts] == [1, 2, 3, 3]
    mask = expected_mask(before.shape, last)
    assert int(shown["pixels"]) == int(mask.sum())
    with h.expect_save(until=lambda: w.annotation.num_instances == 2):
        h.keys("Enter")
    expected = before.copy()
    expected[mask] = 2  # paints over the stroke (the default policy)
    np.testing.assert_array_equal(w.label_map, expected)
    with h.expect_save(until=lambda: int((w.label_map == 2).sum()) == 0):
        h.keys("Control+z")
    np.testing.assert_array_equal(w.label_map, before)
    assert h.page_errors() == []


def test_stale_replies_are_dropped_and_a_raising_assist_is_shown_and_survived(harness):
    fake = FakeAssist()
    w = InstanceSegmentation(gradient_image(), labels=["Cat"], assist=fake)
    h = mount(harness, w)
    h.keys("k")
    hold_replies(h.page)
    click(h, 30, 30)
    click(h, 100, 100)  # re-runs with both clicks: the first reply is superseded
    h.page.wait_for_function("() => window.__crowdseg.model.messages.length === 2")
    h.frames()
    assert h.page.get_attribute(STATUS, "data-state") == "running"
    assert len(fake.prompts) == 2
    assert release_replies(h.page) == 2
    shown = pending(h)
    assert int(shown["pixels"]) == int(expected_mask((150, 200), fake.prompts[1]).sum())
    assert (int(shown["x0"]), int(shown["y0"])) == (26, 26)
    h.keys("Escape")
    hold_replies(h.page)
    click(h, 50, 50)
    h.page.wait_for_function("() => window.__crowdseg.model.messages.length === 3")
    w.set_image(gradient_image())  # another image before the reply arrives
    h.wait_for_canvas()
    release_replies(h.page)
    h.frames()
    assert h.page.is_hidden(PENDING)

    def broken(image: np.ndarray, prompt: Prompt) -> Any:
        raise KeyError("weights")

    w.assist = broken
    h.keys("k")
    click(h, 40, 40)
    h.page.wait_for_selector(f"{STATUS}[data-state='error']")
    assert "KeyError" in h.page.inner_text(STATUS) and "KeyError" in w.assist_error
    assert h.page.is_hidden(PENDING)
    w.assist = fake
    h.keys("Escape")
    click(h, 40, 40)
    pending(h)
    assert h.page.get_attribute(STATUS, "data-state") == "idle" and w.assist_error == ""
    assert h.page_errors() == []


def test_model_tools_are_disabled_without_an_assist_and_the_wand_needs_none(harness):
    image = np.full((40, 60, 3), 200, np.uint8)
    image[10:20, 10:30] = (200, 0, 0)  # 200 px of red ...
    image[10:20, 30:40] = (170, 0, 0)  # ... next to 100 px of a red 30 levels darker
    w = InstanceSegmentation(image, labels=["Cat"])
    h = mount(harness, w)
    tool = "button.crowdseg-tool[data-tool='auto-segment']"
    assert h.page.is_disabled(tool)
    assert "assist=grabcut()" in (h.page.get_attribute(tool, "title") or "")
    h.keys("x")
    assert h.page.get_attribute(tool, "aria-pressed") == "false"
    h.keys("w")
    assert h.page.is_visible("input.crowdseg-tolerance") and h.page.is_hidden(
        "input.crowdseg-radius"
    )
    click(h, 15, 15)
    assert int(pending(h)["pixels"]) == 200  # tolerance 24: the darker red is not taken
    h.keys("]", "]")  # tolerance 32
    h.page.wait_for_function(f"() => document.querySelector('{PENDING}').dataset.pixels === '300'")
    with h.expect_save(until=lambda: w.annotation.num_instances == 1):
        h.keys("Enter")
    assert int(w.masks[0].sum()) == 300
    assert w.masks[0][10:20, 10:40].all()
    w.assist = FakeAssist()
    h.frames()
    assert not h.page.is_disabled(tool)
    h.keys("x")
    assert h.page.get_attribute(tool, "aria-pressed") == "true"
