"""sam(): the adapter's wiring, on the real segment_anything with a tiny random model (CPU).

Mask quality is not tested (the weights are random); calls, caching,
eviction, shapes and the refinement logits are.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from crowdseg_widget.assist import Prompt, decode_result, encode_result, run_assist, sam


def tiny_predictor(segment_anything: Any, seed: int = 0) -> Any:
    """A SamPredictor over a randomly initialised Sam of about 60 k parameters (64 px input)."""
    import torch
    from segment_anything.modeling import (
        ImageEncoderViT,
        MaskDecoder,
        PromptEncoder,
        Sam,
        TwoWayTransformer,
    )

    torch.manual_seed(seed)
    dim, size, patch = 32, 64, 16
    model = Sam(
        image_encoder=ImageEncoderViT(
            img_size=size, patch_size=patch, embed_dim=dim, depth=1, num_heads=2,
            mlp_ratio=2.0, out_chans=dim, qkv_bias=True, use_rel_pos=False, window_size=0,
            global_attn_indexes=(),
        ),
        prompt_encoder=PromptEncoder(
            embed_dim=dim, image_embedding_size=(size // patch, size // patch),
            input_image_size=(size, size), mask_in_chans=8,
        ),
        mask_decoder=MaskDecoder(
            num_multimask_outputs=3,
            transformer=TwoWayTransformer(depth=1, embedding_dim=dim, mlp_dim=64, num_heads=2),
            transformer_dim=dim, iou_head_depth=1, iou_head_hidden_dim=16,
        ),
        pixel_mean=[123.675, 116.28, 103.53],
        pixel_std=[58.395, 57.12, 57.375],
    ).eval()  # fmt: skip
    return segment_anything.SamPredictor(model)


def image(seed: int, height: int = 48, width: int = 80) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


class Spy:
    """Records every call of the predictor's real set_image and predict (then runs them)."""

    def __init__(self, predictor: Any) -> None:
        self.set_images: list[np.ndarray] = []
        self.predicts: list[dict[str, Any]] = []
        set_image, predict = predictor.set_image, predictor.predict

        def recording_set_image(array: np.ndarray) -> None:
            self.set_images.append(array)
            set_image(array)

        def recording_predict(**kwargs: Any) -> Any:
            self.predicts.append(kwargs)
            return predict(**kwargs)

        predictor.set_image = recording_set_image
        predictor.predict = recording_predict


@pytest.fixture
def predictor(segment_anything: Any) -> Any:
    return tiny_predictor(segment_anything)


def test_candidates_are_full_size_bool_masks_best_first(predictor):
    assist = sam(predictor)
    picture = image(1)
    single = assist(picture, Prompt(points=[(10, 20, True)], image_key="a"))
    assert len(single) == 3  # one click is ambiguous: SAM's three candidates
    for mask, score in single:
        assert mask.shape == (48, 80) and mask.dtype == bool
        assert isinstance(score, float)
    scores = [score for _, score in single]
    assert scores == sorted(scores, reverse=True)
    boxed = assist(picture, Prompt(box=(5, 5, 40, 30), image_key="a"))
    assert len(boxed) == 1 and boxed[0][0].shape == (48, 80)


def test_through_the_runner_and_the_wire(predictor):
    picture = image(6)
    result = run_assist(sam(predictor), picture, Prompt(points=[(40, 24, True)], image_key="k"))
    assert len(result.candidates) == 3
    body, buffers = encode_result(result)
    back = decode_result(body, buffers, 80, 48)
    for (mask, score), (got, got_score) in zip(result.candidates, back.candidates, strict=True):
        assert np.array_equal(mask, got) and score == got_score


def test_set_image_runs_once_per_image_key(predictor):
    spy = Spy(predictor)
    assist = sam(predictor)
    picture = image(1)
    for x in (5, 15, 25):
        assist(picture, Prompt(points=[(x, 10, True)], image_key="photo-1"))
    assert len(spy.set_images) == 1 and spy.set_images[0] is picture
    assert assist.set_image_calls == 1
    assist(image(2), Prompt(points=[(5, 10, True)], image_key="photo-2"))
    assert len(spy.set_images) == 2


def test_encode_ahead_makes_the_first_prompt_reuse_it(predictor):
    spy = Spy(predictor)
    assist = sam(predictor)
    picture = image(5)
    assist.encode(picture, "next")
    assert len(spy.set_images) == 1 and spy.predicts == []
    assist(picture, Prompt(points=[(3, 3, True)], image_key="next"))
    assist.encode(picture, "next")
    assert len(spy.set_images) == 1 and len(spy.predicts) == 1


def test_lru_evicts_the_least_recently_used_image(predictor):
    spy = Spy(predictor)
    assist = sam(predictor, cache_size=2)
    pictures = {key: image(seed) for seed, key in enumerate("abc")}

    def prompt_on(key: str) -> None:
        assist(pictures[key], Prompt(points=[(3, 3, True)], image_key=key))

    for key in "abac":  # c evicts b (a was used after b)
        prompt_on(key)
    assert assist.cached_keys == [("key", "a"), ("key", "c")]
    assert len(spy.set_images) == 3
    prompt_on("a")  # cached: restored, not encoded
    assert len(spy.set_images) == 3
    prompt_on("b")  # evicted: encoded again
    assert len(spy.set_images) == 4 and spy.set_images[-1] is pictures["b"]


def test_a_restored_embedding_predicts_exactly_as_a_fresh_encoding(segment_anything, predictor):
    assist = sam(predictor, cache_size=3)
    first, second = image(1), image(2)
    prompt = Prompt(points=[(30, 20, True), (60, 40, False)], image_key="first")
    assist(first, prompt)
    assist(second, Prompt(points=[(3, 3, True)], image_key="second"))
    restored = assist(first, Prompt(points=[(30, 20, True), (60, 40, False)], image_key="first"))
    fresh = sam(tiny_predictor(segment_anything))(first, prompt)
    assert len(restored) == len(fresh)
    for (mask_a, score_a), (mask_b, score_b) in zip(restored, fresh, strict=True):
        assert np.array_equal(mask_a, mask_b)
        assert score_a == pytest.approx(score_b, abs=1e-6)
    assert predictor.original_size == (48, 80) and predictor.is_image_set


def test_without_image_key_the_array_itself_is_the_key(predictor):
    spy = Spy(predictor)
    assist = sam(predictor)
    picture = image(1)
    assist(picture, Prompt(points=[(3, 3, True)]))
    assist(picture, Prompt(points=[(9, 9, True)]))
    assert len(spy.set_images) == 1
    assist(picture.copy(), Prompt(points=[(9, 9, True)]))  # equal pixels, another array
    assert len(spy.set_images) == 2


def test_refinement_clicks_feed_back_the_best_low_res_logits(segment_anything, predictor):
    spy = Spy(predictor)
    assist = sam(predictor)
    picture = image(3)
    first = Prompt(points=[(20, 20, True)], image_key="k")
    assist(picture, first)
    assert spy.predicts[0]["mask_input"] is None
    assert spy.predicts[0]["multimask_output"] is True
    reference = tiny_predictor(segment_anything)  # same seed: the same weights
    reference.set_image(picture)
    _, scores, logits = reference.predict(
        point_coords=np.array([[20, 20]], np.float32), point_labels=np.array([1], np.int32),
        box=None, mask_input=None, multimask_output=True,
    )  # fmt: skip
    best = logits[int(np.argmax(scores))][None]

    assist(picture, Prompt(points=[(20, 20, True), (50, 30, False)], image_key="k"))
    fed = spy.predicts[1]["mask_input"]
    assert fed.shape == (1, 16, 16)  # SAM's low-res logits: 4x the 4x4 embedding
    assert np.array_equal(fed, best)
    assert spy.predicts[1]["multimask_output"] is False
    np.testing.assert_array_equal(spy.predicts[1]["point_labels"], [1, 0])

    assist(picture, Prompt(points=[(70, 5, True)], image_key="k"))  # a new object
    assert spy.predicts[2]["mask_input"] is None
    assist(picture, Prompt(points=[(70, 5, True), (1, 1, True)], image_key="other-image"))
    assert spy.predicts[3]["mask_input"] is None  # refinement never crosses images


def test_extreme_points_become_their_box_and_four_positive_points(predictor):
    spy = Spy(predictor)
    assist = sam(predictor)
    points = ((40, 5), (42, 44), (10, 25), (70, 20))
    candidates = assist(image(4), Prompt(extreme_points=points, image_key="k"))
    call = spy.predicts[0]
    np.testing.assert_array_equal(call["box"], [10, 5, 71, 45])
    np.testing.assert_array_equal(call["point_coords"], points)
    np.testing.assert_array_equal(call["point_labels"], [1, 1, 1, 1])
    assert call["multimask_output"] is False and len(candidates) == 1


class OpaquePredictor:
    """A real SamPredictor behind an interface that hides its image state."""

    def __init__(self, predictor: Any) -> None:
        self._inner = predictor

    def set_image(self, array: np.ndarray) -> None:
        self._inner.set_image(array)

    def predict(self, **kwargs: Any) -> Any:
        return self._inner.predict(**kwargs)


def test_a_predictor_of_unknown_kind_is_reencoded_when_the_image_changes(predictor):
    spy = Spy(predictor)
    assist = sam(OpaquePredictor(predictor), cache_size=4)
    a, b = image(1), image(2)
    for picture, key in ((a, "a"), (a, "a"), (b, "b"), (a, "a")):
        assist(picture, Prompt(points=[(3, 3, True)], image_key=key))
    assert [id(x) for x in spy.set_images] == [id(a), id(b), id(a)]
    assert assist.cached_keys == [("key", "a")]


def test_bad_predictors_and_options_are_named():
    with pytest.raises(TypeError, match="has no predict"):
        sam(type("OnlySetImage", (), {"set_image": lambda self, image: None})())
    with pytest.raises(ValueError, match="cache_size must be at least 1"):
        sam(OpaquePredictor(None), cache_size=0)
