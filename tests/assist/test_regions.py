"""label_regions / fill_enclosed against scipy.ndimage on random masks (4-connectivity)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from crowdseg_widget.assist.regions import fill_enclosed, keep_touching, label_regions


@pytest.mark.parametrize("seed", range(40))
def test_regions_match_scipy(seed):
    rng = np.random.default_rng(seed)
    height, width = rng.integers(1, 30, 2)
    mask = rng.random((height, width)) < rng.uniform(0.2, 0.8)
    labels, count = label_regions(mask)
    expected, expected_count = ndimage.label(mask)  # also numbered by first pixel
    assert count == expected_count
    assert np.array_equal(labels, expected)
    assert np.array_equal(fill_enclosed(mask), ndimage.binary_fill_holes(mask))


def test_a_spiral_is_one_region():
    mask = np.zeros((9, 9), bool)
    mask[0, :] = mask[:, 8] = mask[8, :] = mask[2:, 0] = mask[2, :7] = mask[2:7, 6] = True
    mask[6, 2:7] = mask[4:7, 2] = mask[4, 2:5] = True
    labels, count = label_regions(mask)
    assert count == 1 and (labels[mask] == 1).all()


def test_keep_touching_keeps_seeded_regions_or_the_largest():
    mask = np.array([[1, 1, 0, 1], [1, 0, 0, 1], [0, 0, 1, 1]], bool)
    seeds = np.zeros_like(mask)
    seeds[0, 0] = True
    assert keep_touching(mask, seeds).sum() == 3 and keep_touching(mask, seeds)[0, 0]
    largest = keep_touching(mask, np.zeros_like(mask))
    assert largest.sum() == 4 and largest[:, 3].all()


def test_empty_masks():
    labels, count = label_regions(np.zeros((3, 4), bool))
    assert count == 0 and not labels.any()
    assert not fill_enclosed(np.zeros((3, 4), bool)).any()
