"""run_assist: every answer checked, every failure an AssistError; the cropped wire form."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from crowdseg_widget.assist import (
    AssistError,
    Prompt,
    decode_candidate,
    decode_result,
    encode_candidate,
    encode_result,
    run_assist,
)
from crowdseg_widget.assist import runner as runner_module

IMAGE = np.zeros((6, 8, 3), np.uint8)
PROMPT = Prompt(points=[(2, 3, True)], image_key="k")


def square(x0: int, y0: int, x1: int, y1: int) -> np.ndarray:
    mask = np.zeros((6, 8), bool)
    mask[y0:y1, x0:x1] = True
    return mask


def test_a_bare_mask_is_one_candidate_with_score_1():
    result = run_assist(lambda image, prompt: square(1, 1, 3, 4).astype(np.uint8), IMAGE, PROMPT)
    assert len(result.candidates) == 1
    mask, score = result.candidates[0]
    assert mask.dtype == bool and np.array_equal(mask, square(1, 1, 3, 4)) and score == 1.0


def test_candidates_keep_their_order_and_scores():
    answer = [(square(0, 0, 2, 2), 0.25), (square(1, 1, 4, 4).astype(float), np.float32(0.5))]
    result = run_assist(lambda image, prompt: answer, IMAGE, PROMPT)
    assert [score for _, score in result.candidates] == [0.25, 0.5]
    assert np.array_equal(result.candidates[1][0], square(1, 1, 4, 4))
    assert run_assist(lambda image, prompt: [], IMAGE, PROMPT).candidates == []


def test_the_assist_gets_the_same_image_object_and_the_prompt():
    seen = []
    run_assist(
        lambda image, prompt: seen.append((image, prompt)) or square(0, 0, 1, 1), IMAGE, PROMPT
    )
    assert seen[0][0] is IMAGE and seen[0][1] is PROMPT


def test_masks_are_copied():
    buffer = square(0, 0, 2, 2)
    result = run_assist(lambda image, prompt: buffer, IMAGE, PROMPT)
    buffer[:] = False
    assert result.candidates[0][0].sum() == 4


def test_seconds_are_the_time_inside_the_call(monkeypatch):
    clock = iter([100.0, 102.5])
    monkeypatch.setattr(runner_module.time, "perf_counter", lambda: next(clock))
    assert run_assist(lambda image, prompt: square(0, 0, 1, 1), IMAGE, PROMPT).seconds == 2.5


def boom(image, prompt):
    raise RuntimeError("model not loaded")


@pytest.mark.parametrize(
    ("assist", "message"),
    [
        (boom, "the assist raised RuntimeError: model not loaded"),
        (lambda i, p: None, "returned None"),
        (lambda i, p: "mask", "returned a str"),
        (lambda i, p: {"mask": 1}, "returned a dict"),
        (lambda i, p: np.zeros((6, 7), bool), r"the mask has shape \(6, 7\) but the image is 8x6"),
        (lambda i, p: np.zeros((6, 8, 1), bool), r"shape \(6, 8, 1\)"),
        (lambda i, p: np.full((6, 8), 0.5), "values other than 0 and 1 .e.g. 0.5"),
        (lambda i, p: np.full((6, 8), 255, np.uint8), "values other than 0 and 1 .e.g. 255"),
        (lambda i, p: np.full((6, 8), np.nan), "NaN"),
        (lambda i, p: np.full((6, 8), "a"), "dtype <U1"),
        (lambda i, p: (square(0, 0, 1, 1), 0.9), r"one \(mask, score\) pair; return a list"),
        (lambda i, p: [square(0, 0, 1, 1)], r"candidate 0 is not a \(mask, score\) pair"),
        (lambda i, p: [(square(0, 0, 1, 1), float("nan"))], "candidate 0's score is nan"),
        (
            lambda i, p: [(square(0, 0, 1, 1), 0.1), (square(0, 0, 1, 1), "high")],
            "candidate 1's score must be a number",
        ),
        (lambda i, p: [(square(0, 0, 1, 1), True)], "must be a number"),
        (lambda i, p: [(np.zeros((2, 2), bool), 0.3)], r"candidate 0's mask has shape \(2, 2\)"),
    ],
)
def test_bad_answers_become_assist_errors(assist, message):
    with pytest.raises(AssistError, match=message):
        run_assist(assist, IMAGE, PROMPT)


def test_a_prompt_outside_the_image_is_an_assist_error_before_the_call():
    calls = []
    with pytest.raises(AssistError, match=r"point 0 \(8, 0\) is outside the 8x6 image"):
        run_assist(lambda i, p: calls.append(1), IMAGE, Prompt(points=[(8, 0, True)]))
    assert calls == []


def test_bad_images_and_assists_are_named():
    with pytest.raises(ValueError, match=r"\(H, W, 3\) RGB"):
        run_assist(lambda i, p: None, np.zeros((6, 8), np.uint8), PROMPT)
    with pytest.raises(ValueError, match="must be uint8"):
        run_assist(lambda i, p: None, np.zeros((6, 8, 3)), PROMPT)
    with pytest.raises(AssistError, match="must be callable"):
        run_assist("grabcut", IMAGE, PROMPT)  # type: ignore[arg-type]


def test_the_wire_form_is_the_bounding_box_crop_in_packed_bits():
    mask = np.zeros((6, 8), bool)
    mask[1, 2] = mask[3, 4] = mask[2, 3] = True
    meta, buffer = encode_candidate(mask, 0.75)
    assert meta == {"x0": 2, "y0": 1, "width": 3, "height": 3, "score": 0.75}
    # crop rows 100 / 010 / 001 -> bits 1,0,0,0,1,0,0,0 | 1 (first pixel = lowest bit)
    assert buffer == bytes([0b00010001, 0b00000001])
    back, score = decode_candidate(meta, buffer, 8, 6)
    assert np.array_equal(back, mask) and score == 0.75


def test_an_empty_mask_travels_as_nothing():
    meta, buffer = encode_candidate(np.zeros((6, 8), bool), 0.1)
    assert meta == {"x0": 0, "y0": 0, "width": 0, "height": 0, "score": 0.1} and buffer == b""
    assert not decode_candidate(meta, buffer, 8, 6)[0].any()


def test_results_round_trip_through_the_wire():
    rng = np.random.default_rng(0)
    answer = [(rng.random((6, 8)) < 0.3, 0.9), (square(7, 5, 8, 6), 0.2), (square(0, 0, 8, 6), 0.1)]
    result = run_assist(lambda i, p: answer, IMAGE, PROMPT)
    body, buffers = encode_result(result)
    assert all(isinstance(b, bytes) for b in buffers)
    assert body["candidates"][1] == {"x0": 7, "y0": 5, "width": 1, "height": 1, "score": 0.2}
    assert body["seconds"] == result.seconds
    back = decode_result(body, [memoryview(b) for b in buffers], 8, 6)
    for (a, sa), (b, sb) in zip(result.candidates, back.candidates, strict=True):
        assert np.array_equal(a, b) and sa == sb


def test_decoding_checks_the_crop_and_the_buffer():
    meta, buffer = encode_candidate(square(5, 2, 8, 6), 0.5)
    with pytest.raises(ValueError, match="does not fit a 7x6 image"):
        decode_candidate(meta, buffer, 7, 6)
    with pytest.raises(ValueError, match="buffer has 1 bytes, 3x4 needs 2"):
        decode_candidate(meta, buffer[:1], 8, 6)


@settings(max_examples=200, deadline=None)
@given(
    arrays(bool, st.tuples(st.integers(1, 20), st.integers(1, 20))),
    st.floats(-1e6, 1e6, allow_nan=False),
)
def test_any_mask_round_trips_exactly(mask, score):
    meta, buffer = encode_candidate(mask, score)
    assert len(buffer) == (meta["width"] * meta["height"] + 7) // 8
    back, back_score = decode_candidate(meta, buffer, mask.shape[1], mask.shape[0])
    assert np.array_equal(back, mask) and back_score == score
