"""grabcut(): IoU on images whose truth is known (see scenes.py), and its prompt kinds."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from crowdseg_widget.assist import Prompt, grabcut, run_assist
from crowdseg_widget.assist.grabcut import is_thin

from .scenes import bar_scene, blob_scene, coins_truth, extreme_points, iou, jittered

pytestmark = pytest.mark.usefixtures("cv2")


def mean_iou(scenes, jitter: int = 0, seed: int = 0) -> tuple[float, float]:
    """Mean and worst IoU of grabcut()'s best candidate from each scene's extreme points."""
    assist = grabcut()
    rng = np.random.default_rng(seed)
    scores = []
    for image, mask in scenes:
        points = extreme_points(mask)
        if jitter:
            points = jittered(points, jitter, rng, image.shape)
        best = run_assist(assist, image, Prompt(extreme_points=points)).candidates[0][0]
        scores.append(iou(best, mask))
    return float(np.mean(scores)), float(np.min(scores))


def coins():
    image, masks = coins_truth()
    return [(image, mask) for mask in masks]


def test_the_coins_truth_has_23_coins():
    _, masks = coins_truth()
    assert len(masks) == 23
    assert all(1000 < mask.sum() < 3200 for mask in masks)


def test_coins_from_exact_extreme_points():
    mean, worst = mean_iou(coins())
    assert mean >= 0.95, (mean, worst)


def test_coins_with_3px_jitter():
    mean, worst = mean_iou(coins() * 2, jitter=3, seed=1)
    assert mean >= 0.93, (mean, worst)


def test_low_contrast_blobs():
    # 20 grey levels between object and background, texture std 12, +-3 px clicks
    mean, worst = mean_iou([blob_scene(20, seed) for seed in range(20)], jitter=3, seed=2)
    assert mean >= 0.90, (mean, worst)


def test_thin_bars_are_detected_and_segmented():
    bars = [bar_scene(seed) for seed in range(20)]
    assert sum(is_thin(extreme_points(mask), 0.3) for _, mask in bars) >= 15
    mean, worst = mean_iou(bars, jitter=3, seed=3)
    assert mean >= 0.80, (mean, worst)


def test_thin_objects_get_two_candidates_best_first():
    image, mask = bar_scene(0)
    assert is_thin(extreme_points(mask), 0.3)
    candidates = grabcut()(image, Prompt(extreme_points=extreme_points(mask)))
    assert len(candidates) == 2
    assert candidates[0][1] >= candidates[1][1]
    image, mask = blob_scene(80, 0)
    assert len(grabcut()(image, Prompt(extreme_points=extreme_points(mask)))) == 1


def test_the_mask_stays_inside_the_clicked_box_and_is_full_size():
    image, mask = blob_scene(60, 5, size=240)
    points = extreme_points(mask)
    (best, score), = grabcut()(image, Prompt(extreme_points=points))  # fmt: skip
    assert best.shape == mask.shape and best.dtype == bool
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    rows, cols = np.nonzero(best)
    assert min(xs) - 2 <= cols.min() and cols.max() <= max(xs) + 2
    assert min(ys) - 2 <= rows.min() and rows.max() <= max(ys) + 2
    assert 0.9 <= score <= 1.0  # its box fits the clicked one


def test_a_box_prompt():
    image, mask = blob_scene(60, 6)
    rows, cols = np.nonzero(mask)
    box = (cols.min(), rows.min(), cols.max() + 1, rows.max() + 1)
    (best, _), = grabcut()(image, Prompt(box=box))  # fmt: skip
    assert iou(best, mask) >= 0.9


def test_a_box_reaching_past_the_image_edge():
    rng = np.random.default_rng(0)
    image = rng.integers(90, 110, (50, 60, 3), dtype=np.uint8)
    truth = np.zeros((50, 60), bool)
    truth[10:40, :25] = True  # an object cut by the left edge
    image[truth] += 100
    (best, score), = grabcut()(image, Prompt(box=(-10, 10, 25, 40)))  # fmt: skip
    assert iou(best, truth) >= 0.95
    assert score >= 0.95  # only the part of the box inside the image counts


def test_clicks_alone_grow_from_a_positive_click():
    image, mask = blob_scene(80, 7)
    rows, cols = np.nonzero(mask)
    centre = (float(cols.mean()), float(rows.mean()), True)
    (best, score), = grabcut()(image, Prompt(points=[centre]))  # fmt: skip
    assert best[int(centre[1]), int(centre[0])] and score == 1.0
    assert iou(best, mask) >= 0.8


def test_a_negative_click_removes_what_it_marks():
    image, mask = blob_scene(80, 8)
    rows, cols = np.nonzero(mask)
    box = (cols.min(), rows.min(), cols.max() + 1, rows.max() + 1)
    x, y = int(cols.mean()), int(rows.mean())
    (best, _), = grabcut()(image, Prompt(box=box, points=[(x, y, False)]))  # fmt: skip
    assert not best[y, x]


def test_clicks_on_the_current_mask_refine_it():
    image, mask = blob_scene(80, 9)
    rough = np.zeros_like(mask)
    rows, cols = np.nonzero(mask)
    rough[rows.min() + 10 : rows.max() - 10, cols.min() + 10 : cols.max() - 10] = True
    rough &= mask
    x, y = int(cols.mean()), int(rows.mean())
    prompt = Prompt(points=[(x, y, True)], mask=rough)
    (best, _), = grabcut()(image, prompt)  # fmt: skip
    assert iou(best, mask) > iou(rough, mask)


def test_the_same_prompt_gives_the_same_mask():
    image, mask = blob_scene(30, 11)
    prompt = Prompt(
        extreme_points=jittered(extreme_points(mask), 3, np.random.default_rng(0), image.shape)
    )
    first = grabcut()(image, prompt)
    again = grabcut()(image, prompt)
    assert np.array_equal(first[0][0], again[0][0]) and first[0][1] == again[0][1]


def test_cost_follows_the_crop_not_the_image():
    # The same object in a 4x larger canvas gives the same mask, shifted.
    image, mask = blob_scene(60, 10, size=300)  # the crop fits inside the image
    big = np.zeros((900, 900, 3), np.uint8)
    big[300:600, 400:700] = image
    points = extreme_points(mask)
    shifted = tuple((x + 400, y + 300) for x, y in points)
    small_mask = grabcut()(image, Prompt(extreme_points=points))[0][0]
    big_mask = grabcut()(big, Prompt(extreme_points=shifted))[0][0]
    assert np.array_equal(big_mask[300:600, 400:700], small_mask)
    assert big_mask.sum() == small_mask.sum()


def test_bad_options_and_prompts_are_named():
    with pytest.raises(ValueError, match="max_side must be a positive integer"):
        grabcut(max_side=0)
    with pytest.raises(TypeError, match="unexpected keyword"):
        grabcut(colour=3)
    image = np.zeros((10, 10, 3), np.uint8)
    with pytest.raises(ValueError, match="needs extreme points, a box or a positive click"):
        grabcut()(image, Prompt())
    with pytest.raises(ValueError, match="at least one positive click"):
        grabcut()(image, Prompt(points=[(1, 1, False)]))
    with pytest.raises(ValueError, match="outside the 10x10 image"):
        grabcut()(image, Prompt(points=[(12, 1, True)]))
    with pytest.raises(ValueError, match="uint8 image"):
        grabcut()(image.astype(float), Prompt(points=[(1, 1, True)]))


def test_without_opencv_the_error_names_the_extra(monkeypatch):
    real = importlib.import_module

    def no_cv2(name: str, *args, **kwargs):
        if name == "cv2":
            raise ImportError("No module named 'cv2'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib, "import_module", no_cv2)
    with pytest.raises(ImportError, match=r"pip install 'crowdseg-widget\[assist\]'"):
        grabcut()(np.zeros((4, 4, 3), np.uint8), Prompt(box=(0, 0, 2, 2)))
