"""`sam(predictor)`: any Segment-Anything-style predictor as an assist callable.

The predictor needs `set_image(image)` (RGB, HWC, uint8) and
`predict(point_coords=, point_labels=, box=, mask_input=, multimask_output=)`
returning `(masks, scores, low_res_logits)`, as segment_anything's
`SamPredictor`, sam2's `SAM2ImagePredictor` and MobileSAM's `SamPredictor` do.

Encoding an image is the slow step (seconds on a CPU), so it runs once per
image: the predictor's image state after `set_image` is kept in a small LRU
keyed by `Prompt.image_key` and put back when that image is prompted again.
Which attributes make up that state depends on the predictor (`_STATE_NAMES`);
a predictor with neither set is re-encoded whenever the image changes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .prompt import Prompt

#: Per known predictor family: the flag its `set_image` sets, and all of its image state.
_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # segment_anything's and MobileSAM's SamPredictor (set_torch_image, reset_image)
    ("is_image_set", ("features", "original_size", "input_size", "is_image_set",
                      "orig_h", "orig_w", "input_h", "input_w")),
    # sam2's SAM2ImagePredictor (set_image, reset_predictor)
    ("_is_image_set", ("_features", "_orig_hw", "_is_image_set", "_is_batch")),
)  # fmt: skip


def state_names(predictor: Any) -> tuple[str, ...]:
    """The attributes holding `predictor`'s encoded image, or () if it is of an unknown kind."""
    for flag, names in _FAMILIES:
        if hasattr(predictor, flag):
            return tuple(n for n in names if hasattr(predictor, n))
    return ()


@dataclass
class _Previous:
    """The last prediction, so the next click on the same prompt refines it."""

    key: Hashable
    points: tuple[tuple[float, float, bool], ...]
    box: tuple[float, float, float, float] | None
    extreme_points: tuple[tuple[float, float], ...] | None
    logits: np.ndarray


@dataclass(eq=False)
class Sam:
    """The callable `sam()` returns: see `sam`. `set_image_calls` counts encodings;
    `encode(image, image_key)` encodes an image ahead of its first prompt."""

    predictor: Any
    cache_size: int = 4
    set_image_calls: int = field(default=0, init=False)
    _states: OrderedDict[Hashable, dict[str, Any] | None] = field(
        default_factory=OrderedDict, init=False, repr=False
    )
    _images: dict[Hashable, np.ndarray] = field(default_factory=dict, init=False, repr=False)
    _loaded: Hashable | None = field(default=None, init=False, repr=False)
    _previous: _Previous | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        for method in ("set_image", "predict"):
            if not callable(getattr(self.predictor, method, None)):
                raise TypeError(
                    f"sam() needs a predictor with set_image() and predict() "
                    f"(e.g. segment_anything.SamPredictor); {type(self.predictor).__name__} "
                    f"has no {method}()"
                )
        if isinstance(self.cache_size, bool) or not isinstance(self.cache_size, int):
            raise TypeError(f"cache_size must be an integer, got {self.cache_size!r}")
        if self.cache_size < 1:
            raise ValueError(f"cache_size must be at least 1, got {self.cache_size}")

    @property
    def cached_keys(self) -> list[Hashable]:
        """The image keys whose encoding is kept, least recently used first."""
        return list(self._states)

    def encode(self, image: np.ndarray, image_key: Hashable | None = None) -> None:
        """Encode `image` now (if it is not cached), so the first click on it is fast."""
        with self._lock:
            self._use_image(image, image_key)

    def __call__(self, image: np.ndarray, prompt: Prompt) -> list[tuple[np.ndarray, float]]:
        """Every candidate the predictor returns for the prompt, `(mask, score)`, best first."""
        if prompt.is_empty:
            raise ValueError("sam needs points, a box or extreme points")
        with self._lock:
            key = self._use_image(image, prompt.image_key)
            return self._predict(key, prompt)

    def _use_image(self, image: np.ndarray, image_key: Hashable | None) -> Hashable:
        """Make `image` the predictor's current image: restore its cached state or encode it."""
        # Without a key the array itself names the image (the widget passes the same
        # array for every call on one image); it is held so its id is not reused.
        key: Hashable = ("array", id(image)) if image_key is None else ("key", image_key)
        if key == self._loaded and key in self._states:
            self._states.move_to_end(key)
            return key
        state = self._states.get(key)
        if state is not None:
            for name, value in state.items():
                setattr(self.predictor, name, value)
        else:
            self._loaded = None  # if set_image fails, the predictor holds no known image
            self.predictor.set_image(image)
            self.set_image_calls += 1
            names = state_names(self.predictor)
            state = {n: getattr(self.predictor, n) for n in names} if names else None
        self._loaded = key
        self._states[key] = state
        self._states.move_to_end(key)
        if image_key is None:
            self._images[key] = image
        # A predictor of unknown kind cannot be switched back: keep only its current image.
        limit = self.cache_size if state is not None else 1
        while len(self._states) > limit:
            evicted, _ = self._states.popitem(last=False)
            self._images.pop(evicted, None)
        return key

    def _predict(self, key: Hashable, prompt: Prompt) -> list[tuple[np.ndarray, float]]:
        coords = [(x, y) for x, y, _ in prompt.points]
        labels = [1 if positive else 0 for _, _, positive in prompt.points]
        box = prompt.box
        if prompt.extreme_points is not None:  # a box plus the four points, all positive
            xs = [p[0] for p in prompt.extreme_points]
            ys = [p[1] for p in prompt.extreme_points]
            box = (min(xs), min(ys), max(xs) + 1, max(ys) + 1) if box is None else box
            coords += list(prompt.extreme_points)
            labels += [1] * 4
        mask_input = self._refinement_logits(key, prompt)
        single_click = len(coords) == 1 and box is None and mask_input is None
        masks, scores, logits = self.predictor.predict(
            point_coords=np.array(coords, np.float32) if coords else None,
            point_labels=np.array(labels, np.int32) if coords else None,
            box=np.array(box, np.float32) if box is not None else None,
            mask_input=mask_input,
            multimask_output=single_click,  # ambiguous prompts get SAM's three candidates
        )
        masks, scores, logits = np.asarray(masks), np.asarray(scores, float), np.asarray(logits)
        order = np.argsort(-scores, kind="stable")
        self._previous = _Previous(
            key, prompt.points, prompt.box, prompt.extreme_points, logits[order[0]][None]
        )
        return [(masks[i].astype(bool), float(scores[i])) for i in order]

    def _refinement_logits(self, key: Hashable, prompt: Prompt) -> np.ndarray | None:
        """The last best logits when this prompt adds clicks to the last one on this image."""
        last = self._previous
        if last is None or last.key != key:
            return None
        same_base = last.box == prompt.box and last.extreme_points == prompt.extreme_points
        grows = len(prompt.points) > len(last.points)
        if same_base and grows and prompt.points[: len(last.points)] == last.points:
            return last.logits
        return None


def sam(predictor: Any, *, cache_size: int = 4) -> Sam:
    """An assist callable from a Segment-Anything-style predictor (no weights are loaded here).

    `predictor` is e.g. segment_anything's
    `SamPredictor(sam_model_registry["vit_b"](checkpoint=...))`,
    `sam2.sam2_image_predictor.SAM2ImagePredictor(build_sam2(cfg, ckpt))` or
    MobileSAM's `SamPredictor`. The adapter:

    - calls `set_image` once per `Prompt.image_key` and keeps the encodings of the
      `cache_size` most recently used images (for `SamPredictor` and MobileSAM it
      saves `features`, `original_size`, `input_size`, `is_image_set` and the
      `orig_*`/`input_*` sizes; for `SAM2ImagePredictor` `_features`, `_orig_hw`,
      `_is_image_set`, `_is_batch`; any other predictor keeps one image, re-encoded
      when the image changes); without an `image_key` the image array is the key;
    - maps four extreme points to their box plus four positive points; clicks
      are points with label 1 (positive) or 0 (negative);
    - feeds the previous best low-res logits back as `mask_input` when a prompt
      adds clicks to the previous one (a refinement);
    - asks for SAM's three candidates for a single click, one otherwise, and
      returns every candidate as `(mask, score)`, highest score first.

    `assist.encode(image, image_key)` encodes an image before it is prompted
    (e.g. when it is shown), so the first click does not wait for the encoder.
    """
    return Sam(predictor, cache_size=cache_size)
