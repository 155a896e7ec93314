"""`instance_masks`: the masks one at a time, the same pixels as the (N, H, W) stack."""

from __future__ import annotations

import numpy as np
import pytest

from crowdseg_widget import Annotation


def annotation() -> Annotation:
    ids = np.zeros((20, 30), np.uint8)
    ids[2:5, 3:9] = 1
    ids[10:18, 20:29] = 2
    ids[4, 8] = 3  # one pixel
    return Annotation(ids, ["Cat", "Dog", "Cat", "Dog"])  # instance 4 unpainted


def test_each_lazy_mask_is_the_stacks_and_asarray_is_the_stack():
    a = annotation()
    lazy = a.instance_masks
    assert len(lazy) == 4 and lazy.shape == (4, 20, 30)
    for k in range(4):
        np.testing.assert_array_equal(lazy[k], a.label_map == k + 1)
    np.testing.assert_array_equal(lazy[-1], np.zeros((20, 30), bool))
    np.testing.assert_array_equal(np.stack(list(lazy)), a.masks)
    np.testing.assert_array_equal(np.asarray(lazy), a.masks)
    assert [m.sum() for m in lazy[1:3]] == [72, 1]


def test_cropped_masks_are_the_masks_inside_their_boxes():
    a = annotation()
    crops = a.instance_masks.cropped()
    assert [c.box for c in crops] == [(3, 2, 9, 5), (20, 10, 29, 18), (8, 4, 9, 5), (0, 0, 0, 0)]
    for k, (box, mask) in enumerate(crops):
        x0, y0, x1, y1 = box
        full = np.zeros((20, 30), bool)
        full[y0:y1, x0:x1] = mask
        np.testing.assert_array_equal(full, a.masks[k])  # nothing of it outside its box
    assert crops[3].mask.shape == (0, 0)


@pytest.mark.parametrize(("index", "error"), [(4, IndexError), (-5, IndexError), ("1", TypeError),
                                              (True, TypeError)])  # fmt: skip
def test_a_bad_index_is_named(index, error):
    with pytest.raises(error, match=r"mask index|integer"):
        annotation().instance_masks[index]
