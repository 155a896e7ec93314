"""Calling a user's assist safely: its answer checked, its failures turned into `AssistError`."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .prompt import Prompt

#: An assist: `assist(image, prompt)` -> an (H, W) bool mask or a list of (mask, score).
Assist = Callable[[np.ndarray, Prompt], Any]
Candidate = tuple[np.ndarray, float]


class AssistError(Exception):
    """The assist raised, or returned something that is not a mask or a list of candidates.

    The message names the problem; the widget shows it as `assist_error`.
    """


@dataclass(frozen=True)
class AssistResult:
    """A checked answer: `candidates` as `(mask, score)`, (H, W) bool masks, in the
    assist's order (best first); `seconds` spent inside the assist call."""

    candidates: list[Candidate]
    seconds: float


def _check_mask(value: Any, shape: tuple[int, int], what: str) -> np.ndarray:
    try:
        mask = np.asarray(value)
    except Exception as error:  # an object numpy cannot read
        raise AssistError(f"{what} is not an array ({type(value).__name__}): {error}") from None
    if mask.shape != shape:
        raise AssistError(
            f"{what} has shape {mask.shape} but the image is {shape[1]}x{shape[0]} "
            f"(expected shape {shape})"
        )
    if mask.dtype == bool:
        return np.array(mask, bool)  # our own copy: the assist may reuse its buffer
    if mask.dtype.kind not in "uif":
        raise AssistError(f"{what} has dtype {mask.dtype}; return a bool (or 0/1) mask")
    if mask.dtype.kind == "f" and np.isnan(mask).any():
        raise AssistError(f"{what} holds NaN values; return a bool (or 0/1) mask")
    ones: np.ndarray = mask == 1
    if not (ones | (mask == 0)).all():
        values = np.unique(mask[~(ones | (mask == 0))])[:3]
        raise AssistError(
            f"{what} has dtype {mask.dtype} with values other than 0 and 1 (e.g. "
            f"{', '.join(f'{v:g}' for v in values)}); threshold it into a bool mask"
        )
    return ones


def _check_score(value: Any, what: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "uif":
            value = value.item()
        else:
            raise AssistError(f"{what} must be a number, got {value!r}")
    score = float(value)
    if not math.isfinite(score):
        raise AssistError(f"{what} is {score}, not a finite number")
    return score


def check_answer(answer: Any, shape: tuple[int, int]) -> list[Candidate]:
    """An assist's return value as checked candidates; `AssistError` names what is wrong.

    A bare mask is one candidate with score 1.0; a list (or tuple) holds
    `(mask, score)` pairs; an empty list means nothing was found.
    """
    if answer is None:
        raise AssistError("the assist returned None; return a mask or a list of (mask, score)")
    if isinstance(answer, np.ndarray) or hasattr(answer, "__array__"):
        return [(_check_mask(answer, shape, "the mask"), 1.0)]
    if not isinstance(answer, Sequence) or isinstance(answer, (str, bytes)):
        raise AssistError(
            f"the assist returned a {type(answer).__name__}; "
            "return an (H, W) bool mask or a list of (mask, score)"
        )
    if len(answer) == 2 and not isinstance(answer[1], (Sequence, np.ndarray)):
        raise AssistError(
            "the assist returned one (mask, score) pair; return a list of them: [(mask, score)]"
        )
    candidates = []
    for i, pair in enumerate(answer):
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise AssistError(f"candidate {i} is not a (mask, score) pair: {type(pair).__name__}")
        mask = _check_mask(pair[0], shape, f"candidate {i}'s mask")
        candidates.append((mask, _check_score(pair[1], f"candidate {i}'s score")))
    return candidates


def check_image(image: Any) -> np.ndarray:
    """The image as the assist gets it: an (H, W, 3) uint8 RGB array (ValueError otherwise)."""
    if not isinstance(image, np.ndarray) or image.ndim != 3 or image.shape[2] != 3:
        shape = getattr(image, "shape", None)
        raise ValueError(f"the assist's image must be an (H, W, 3) RGB array, got shape {shape}")
    if image.dtype != np.uint8:
        raise ValueError(f"the assist's image must be uint8, got {image.dtype}")
    return image


def run_assist(assist: Assist, image: np.ndarray, prompt: Prompt) -> AssistResult:
    """Call `assist(image, prompt)` and check what it returns.

    `image` is passed as is (the same array object for every call on one
    image, so an assist may key caches on it). Whatever goes wrong inside the
    assist (an exception, a wrong shape or dtype, a non-0/1 mask, a NaN or
    non-number score) raises `AssistError` naming the problem; nothing else
    is changed. A prompt outside the image raises `AssistError` before the call.
    """
    if not callable(assist):
        raise AssistError(f"the assist must be callable as assist(image, prompt), got {assist!r}")
    image = check_image(image)
    if not isinstance(prompt, Prompt):
        raise TypeError(f"prompt must be a crowdseg_widget.assist.Prompt, got {prompt!r}")
    height, width = image.shape[:2]
    try:
        prompt.check_within(width, height)
    except ValueError as error:
        raise AssistError(str(error)) from None
    start = time.perf_counter()
    try:
        answer = assist(image, prompt)
    except Exception as error:
        raise AssistError(f"the assist raised {type(error).__name__}: {error}") from error
    seconds = time.perf_counter() - start
    return AssistResult(check_answer(answer, (height, width)), seconds)
