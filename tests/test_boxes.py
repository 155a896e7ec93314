import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from crowdseg_widget import Annotation


def test_a_rectangle_has_exclusive_box_ends_and_its_pixel_count():
    label_map = np.zeros((6, 8), np.uint8)
    label_map[1:3, 1:4] = 1
    ann = Annotation(label_map, ["Cat"])
    assert ann.boxes.tolist() == [[1, 1, 4, 3]]
    assert ann.areas.tolist() == [6]


def test_a_single_pixel_at_3_5_is_the_box_3_5_4_6():
    label_map = np.zeros((8, 8), np.uint8)
    label_map[5, 3] = 1
    ann = Annotation(label_map, ["Dot"])
    assert ann.boxes.tolist() == [[3, 5, 4, 6]]
    assert ann.areas.tolist() == [1]


def test_an_l_shape_is_boxed_by_its_farthest_pixels():
    label_map = np.zeros((7, 7), np.uint8)
    label_map[1:5, 1] = 1  # the stem, x = 1, y = 1..4
    label_map[4, 1:5] = 1  # the foot, y = 4, x = 1..4
    ann = Annotation(label_map, ["L"])
    assert ann.boxes.tolist() == [[1, 1, 5, 5]]
    assert ann.areas.tolist() == [7]


def test_shapes_touching_the_right_and_bottom_border_end_at_width_and_height():
    label_map = np.zeros((4, 5), np.uint8)
    label_map[2:, 3:] = 1
    label_map[0, :] = 2
    ann = Annotation(label_map, ["corner", "top row"])
    assert ann.boxes.tolist() == [[3, 2, 5, 4], [0, 0, 5, 1]]
    assert ann.areas.tolist() == [4, 5]


def test_an_unpainted_instance_gets_a_zero_box_and_area():
    label_map = np.zeros((4, 4), np.uint8)
    label_map[1, 1] = 2
    ann = Annotation(label_map, ["never painted", "painted"])
    assert ann.boxes.tolist() == [[0, 0, 0, 0], [1, 1, 2, 2]]
    assert ann.areas.tolist() == [0, 1]


def test_boxes_and_areas_are_int64_with_one_row_per_instance():
    ann = Annotation(np.zeros((3, 3), np.uint8), ["a", "b"])
    assert ann.boxes.dtype == np.int64 and ann.boxes.shape == (2, 4)
    assert ann.areas.dtype == np.int64 and ann.areas.shape == (2,)
    empty = Annotation.empty(3, 3)
    assert empty.boxes.shape == (0, 4) and empty.areas.shape == (0,)


def test_uint16_label_maps_with_more_than_255_instances():
    count = 300
    label_map = np.zeros((20, 40), np.uint16)
    ids = np.arange(1, count + 1)
    ys, xs = divmod(ids - 1, 40)  # instance i: one pixel, row-major from (0, 0)
    label_map[ys, xs] = ids
    label_map[19, 0:40] = 300  # instance 300 also covers the last row
    ann = Annotation(label_map, ["a"] * count)
    assert ann.label_map.dtype == np.uint16
    boxes = ann.boxes
    assert boxes[0].tolist() == [0, 0, 1, 1]
    assert boxes[255].tolist() == [15, 6, 16, 7]  # instance 256 sits at x 15, y 6
    assert boxes[299].tolist() == [0, 7, 40, 20]
    assert ann.areas[:299].tolist() == [1] * 299
    assert ann.areas[299] == 1 + 40


SHAPES = st.tuples(st.integers(1, 12), st.integers(1, 12))


@settings(max_examples=200, deadline=None)
@given(arrays(np.uint8, SHAPES, elements=st.integers(0, 5)))
def test_boxes_and_areas_equal_each_masks_own_extent(label_map):
    ann = Annotation(label_map, ["x"] * 5)
    for i, mask in enumerate(ann.masks):
        ys, xs = np.nonzero(mask)
        expected = [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1] if len(xs) else [0, 0, 0, 0]
        assert ann.boxes[i].tolist() == expected
        assert ann.areas[i] == mask.sum()
