"""The widget's assist: the trait, `auto_segment` / `segment`, and the view's prompt messages."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import traitlets

from crowdseg_widget import Annotation, InstanceSegmentation
from crowdseg_widget.assist import AssistError, Prompt, decode_result

H, W = 40, 60


def photo() -> np.ndarray:
    rng = np.random.default_rng(3)
    return rng.integers(0, 256, (H, W, 3), dtype=np.uint8)


class BoxAssist:
    """A fake assist: the prompt's box (or the extreme points' box) filled; records its calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[np.ndarray, Prompt]] = []

    def __call__(self, image: np.ndarray, prompt: Prompt) -> Any:
        self.calls.append((image, prompt))
        mask = np.zeros(image.shape[:2], bool)
        if prompt.extreme_points is not None:
            xs = [int(x) for x, _ in prompt.extreme_points]
            ys = [int(y) for _, y in prompt.extreme_points]
            mask[min(ys) : max(ys) + 1, min(xs) : max(xs) + 1] = True
        elif prompt.box is not None:
            x0, y0, x1, y1 = (int(v) for v in prompt.box)
            mask[y0:y1, x0:x1] = True
        for x, y, positive in prompt.points:
            mask[int(y), int(x)] = positive
        return [(mask, 0.9), (~mask, 0.1)]


def widget(assist: Any = None) -> InstanceSegmentation:
    return InstanceSegmentation(photo(), labels=["Cat", "Dog"], assist=assist)


def test_the_assist_trait_takes_a_callable_or_none_and_the_view_learns_whether_there_is_one():
    w = widget()
    assert w.assist is None and w._assist_available is False
    w.assist = BoxAssist()
    assert w._assist_available is True
    with pytest.raises(traitlets.TraitError, match="assist must be callable"):
        w.assist = "grabcut"
    assert w._assist_available is True
    w.assist = None
    assert w._assist_available is False
    assert "_assist_available" in w.get_state() and "assist" not in w.get_state()


def test_auto_segment_adds_the_assists_best_mask_and_returns_its_id():
    assist = BoxAssist()
    w = widget(assist)
    first = w.auto_segment([(10, 5), (10, 20), (4, 12), (30, 12)])
    second = w.auto_segment([(40, 30), (40, 35), (35, 32), (50, 32)], label="Dog")
    assert (first, second) == (1, 2)
    expected = np.zeros((H, W), bool)
    expected[5:21, 4:31] = True
    np.testing.assert_array_equal(w.masks[0], expected)
    assert w.masks[1].sum() == 6 * 16
    assert w.annotation.labels == ["Cat", "Dog"]
    image, prompt = assist.calls[0]
    np.testing.assert_array_equal(image, photo())
    assert image.dtype == np.uint8 and image.shape == (H, W, 3)
    assert assist.calls[1][0] is image, "one array object for every call on one image"
    assert prompt.extreme_points == ((10, 5), (10, 20), (4, 12), (30, 12))
    assert prompt.image_key is not None and prompt.image_key == assist.calls[1][1].image_key


def test_segment_passes_clicks_and_box_and_a_failing_assist_sets_assist_error():
    assist = BoxAssist()
    w = widget(assist)
    assert w.segment(points=[(2, 3, True)], box=(10, 10, 20, 15)) == 1
    assert assist.calls[0][1].points == ((2.0, 3.0, True),)
    assert int(w.masks[0].sum()) == 10 * 5 + 1

    def broken(image: np.ndarray, prompt: Prompt) -> Any:
        raise RuntimeError("out of memory")

    w.assist = broken
    with pytest.raises(AssistError, match="RuntimeError: out of memory"):
        w.segment(points=[(5, 5, True)])
    assert "out of memory" in w.assist_error
    assert w.annotation.num_instances == 1, "nothing added"
    w.assist = assist
    w.segment(box=(0, 0, 3, 3))
    assert w.assist_error == ""
    with pytest.raises(ValueError, match="not one of the labels"):
        w.segment(box=(0, 0, 3, 3), label="Bird")


def test_scripting_without_an_assist_or_with_a_url_image_says_what_is_needed():
    w = widget()
    with pytest.raises(AssistError, match=r"assist=grabcut\(\)"):
        w.auto_segment([(1, 1), (1, 5), (0, 3), (4, 3)])
    url = InstanceSegmentation(
        "https://example.com/cat.jpg",
        labels=["Cat"],
        assist=BoxAssist(),
        initial_value=Annotation.empty(W, H),
    )
    with pytest.raises(AssistError, match=r"the image is a URL.*pass a local image"):
        url.segment(box=(0, 0, 3, 3))
    assert "local image" in url.assist_error


class Replies:
    """`w.send` recorded: what Python answers the view."""

    def __init__(self, w: InstanceSegmentation) -> None:
        self.sent: list[tuple[dict[str, Any], list[bytes]]] = []
        w.send = lambda content, buffers=None: self.sent.append((content, list(buffers or [])))  # type: ignore[method-assign]


def prompt_message(w: InstanceSegmentation, prompt: dict[str, Any], id_: int = 1) -> dict[str, Any]:
    return {"type": "assist", "view": "v1", "id": id_, "image": w._image_serial, "prompt": prompt}


def test_a_prompt_from_the_view_is_answered_with_cropped_binary_candidates():
    assist = BoxAssist()
    w = widget(assist)
    replies = Replies(w)
    w._handle_custom_msg(
        prompt_message(w, {"box": [10, 10, 20, 15], "points": [[3, 4, False]]}), []
    )
    (content, buffers) = replies.sent[0]
    assert {k: content[k] for k in ("type", "view", "id", "image")} == {
        "type": "assist_result",
        "view": "v1",
        "id": 1,
        "image": w._image_serial,
    }
    assert content["candidates"][0] == {"x0": 10, "y0": 10, "width": 10, "height": 5, "score": 0.9}
    assert all(isinstance(b, bytes) for b in buffers) and len(buffers[0]) == (50 + 7) // 8
    result = decode_result(content, buffers, W, H)
    expected = np.zeros((H, W), bool)
    expected[10:15, 10:20] = True
    np.testing.assert_array_equal(result.candidates[0][0], expected)
    np.testing.assert_array_equal(result.candidates[1][0], ~expected)
    assert assist.calls[0][1].points == ((3.0, 4.0, False),)
    assert w.annotation.num_instances == 0, "a prompt adds nothing: the view shows it pending"


def test_the_selected_instance_is_the_prompts_mask_and_errors_are_replied_and_kept():
    assist = BoxAssist()
    w = widget(assist)
    w.segment(box=(1, 1, 5, 4))
    replies = Replies(w)
    w._handle_custom_msg(
        prompt_message(
            w, {"points": [[2, 2, True]], "instance_color": w.annotation.colors[0].upper()}
        ),
        [],
    )
    mask = assist.calls[-1][1].mask
    assert mask is not None and int(mask.sum()) == 12
    w._handle_custom_msg(prompt_message(w, {"points": [[99, 2, True]]}, id_=2), [])
    assert (
        replies.sent[-1][0]["id"] == 2 and "outside the 60x40 image" in replies.sent[-1][0]["error"]
    )
    assert replies.sent[-1][1] == []
    assert "outside" in w.assist_error
    w._handle_custom_msg(prompt_message(w, {"points": "nonsense"}, id_=3), [])
    assert "cannot read" in replies.sent[-1][0]["error"]
    w._handle_custom_msg(prompt_message(w, {"points": [[1, 1, True]]}, id_=4), [])
    assert "error" not in replies.sent[-1][0] and w.assist_error == ""
    w._image_data = b"not an image"  # whatever fails in Python, the view hears why
    w._handle_custom_msg(prompt_message(w, {"points": [[1, 1, True]]}, id_=5), [])
    assert replies.sent[-1][0]["id"] == 5
    assert (
        "could not run the assist (ValueError: the image is not a readable image"
        in (replies.sent[-1][0]["error"])
    )


def test_a_prompt_for_another_image_is_not_run_and_the_image_is_decoded_once_per_image():
    assist = BoxAssist()
    w = widget(assist)
    replies = Replies(w)
    stale = prompt_message(w, {"box": [0, 0, 2, 2]})
    w.set_image(np.zeros((H, W, 3), np.uint8))
    w._handle_custom_msg(stale, [])
    assert replies.sent == [] and assist.calls == []
    w._handle_custom_msg(prompt_message(w, {"box": [0, 0, 2, 2]}), [])
    w._handle_custom_msg(prompt_message(w, {"box": [0, 0, 3, 2]}, id_=2), [])
    first, second = (call[0] for call in assist.calls)
    assert first is second and not first.any() and not first.flags.writeable
    w._handle_custom_msg({"type": "something else"}, [])
    assert len(replies.sent) == 2
