import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pycocotools import mask as coco_mask
from scipy import ndimage

from crowdseg_widget import Annotation

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


def rasterized(polygons: list[list[float]], height: int, width: int) -> np.ndarray:
    """What pycocotools makes of COCO polygons (their union)."""
    rle = coco_mask.merge(coco_mask.frPyObjects(polygons, height, width))
    return coco_mask.decode(rle).astype(bool)


def corners(polygon: list[float]) -> set[tuple[float, float]]:
    return set(zip(polygon[::2], polygon[1::2], strict=True))


def test_a_rectangle_is_its_four_pixel_corners():
    label_map = np.zeros((6, 8), np.uint8)
    label_map[1:3, 2:5] = 1  # x 2..4, y 1..2
    (polygons,) = Annotation(label_map, ["Box"]).to_polygons()
    assert len(polygons) == 1
    assert corners(polygons[0]) == {(2.0, 1.0), (5.0, 1.0), (5.0, 3.0), (2.0, 3.0)}
    assert len(polygons[0]) == 8  # open ring: no repeated first vertex


def test_an_l_shape_rasterizes_back_to_exactly_its_pixels():
    label_map = np.zeros((7, 7), np.uint8)
    label_map[1:5, 1] = 1
    label_map[4, 1:5] = 1
    (polygons,) = Annotation(label_map, ["L"]).to_polygons()
    assert len(polygons[0]) == 12  # six corners
    assert np.array_equal(rasterized(polygons, 7, 7), label_map == 1)


def test_each_4_connected_region_is_its_own_polygon_and_unpainted_gets_none():
    label_map = np.zeros((5, 5), np.uint8)
    label_map[1, 1] = label_map[2, 2] = 1  # touching only at a corner
    polygons = Annotation(label_map, ["dots", "unpainted"]).to_polygons()
    assert len(polygons[0]) == 2 and polygons[1] == []
    assert np.array_equal(rasterized(polygons[0], 5, 5), label_map == 1)


def test_uint16_label_maps():
    label_map = np.arange(300, dtype=np.uint16).reshape(15, 20)  # instance 299 at (19, 14)
    polygons = Annotation(label_map, ["a"] * 299).to_polygons()
    assert len(polygons[298]) == 1
    assert corners(polygons[298][0]) == {(19.0, 14.0), (20.0, 14.0), (20.0, 15.0), (19.0, 15.0)}


def test_holes_are_filled_with_a_warning_naming_the_instance():
    label_map = np.ones((5, 5), np.uint8)
    label_map[2, 2] = 0
    with pytest.warns(UserWarning, match=r"instances 1 \('Ring'\) have holes"):
        (polygons,) = Annotation(label_map, ["Ring"]).to_polygons()
    assert rasterized(polygons, 5, 5).all()  # the hole is filled


def holes_filled(mask: np.ndarray) -> np.ndarray:
    """Each 4-connected region of `mask` with the background it encloses."""
    regions, count = ndimage.label(mask)  # 4-connected, as the polygons are traced
    out = np.zeros_like(mask)
    for k in range(1, count + 1):
        out |= ndimage.binary_fill_holes(regions == k)
    return out


SMALL_MAPS = arrays(
    np.uint8, st.tuples(st.integers(1, 12), st.integers(1, 12)), elements=st.integers(0, 3)
)


@settings(max_examples=150, deadline=None)
@given(SMALL_MAPS)
def test_polygons_rasterize_back_to_each_instance_with_only_its_holes_filled(label_map):
    ann = Annotation(label_map, ["a", "b", "c"])
    height, width = label_map.shape
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        polygons = ann.to_polygons()
    warned = "".join(str(w.message) for w in caught)
    for i, (instance_polygons, mask) in enumerate(zip(polygons, ann.masks, strict=True), 1):
        if not mask.any():
            assert instance_polygons == []
            continue
        expected = holes_filled(mask)
        assert np.array_equal(rasterized(instance_polygons, height, width), expected)
        has_holes = not np.array_equal(expected, mask)
        assert (f"{i} ('" in warned) == has_holes  # warned exactly when pixels were added


def test_without_rasterio_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "rasterio", None)
    monkeypatch.setitem(sys.modules, "rasterio.features", None)
    with pytest.raises(ImportError, match=r"pip install 'crowdseg-widget\[polygons\]'"):
        Annotation(np.ones((2, 2), np.uint8), ["a"]).to_polygons()
