import json
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pycocotools import mask as coco_mask

from crowdseg_widget import Annotation
from crowdseg_widget.formats.coco import categories, require_pycocotools

# pycocotools 2.0.x trips numpy 2's __array__(copy=...) deprecation in its own decode.
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

CATEGORY_IDS = {"Cat": 1, "Dog": 2}
CATEGORY_NAMES = {1: "Cat", 2: "Dog"}


def scene() -> Annotation:
    """Three painted instances (one touching the last pixel) and one never painted."""
    label_map = np.zeros((6, 8), np.uint8)
    label_map[1:3, 1:4] = 1  # rectangle, 6 px
    label_map[3:6, 4:8] = 2  # rectangle to the bottom-right corner, 12 px
    label_map[0:4, 0] = 4  # a column, 4 px (instance 3 is never painted)
    return Annotation(label_map, ["Cat", "Dog", "Dog", "Cat"])


def fortran(mask: np.ndarray) -> np.ndarray:
    return np.asfortranarray(mask.astype(np.uint8))


# ------------------------------------------------------------------ to_coco


def test_each_rle_decodes_with_pycocotools_to_exactly_the_instance_mask():
    ann = scene()
    coco = ann.to_coco(7, CATEGORY_IDS)
    painted = [0, 1, 3]  # instance indices with pixels
    assert len(coco) == 3
    for item, index in zip(coco, painted, strict=True):
        decoded = coco_mask.decode(item["segmentation"])
        assert decoded.shape == (6, 8)
        assert np.array_equal(decoded.astype(bool), ann.masks[index])


def test_rle_counts_are_byte_for_byte_what_pycocotools_encodes():
    ann = scene()
    for item, index in zip(ann.to_coco(7, CATEGORY_IDS), [0, 1, 3], strict=True):
        expected = coco_mask.encode(fortran(ann.masks[index]))["counts"].decode("ascii")
        assert item["segmentation"]["counts"] == expected


def test_area_and_bbox_equal_pycocotools_area_and_to_bbox():
    for item in scene().to_coco(7, CATEGORY_IDS):
        rle = item["segmentation"]
        assert item["area"] == int(coco_mask.area(rle))
        assert item["bbox"] == coco_mask.toBbox(rle).tolist()
    assert [i["bbox"] for i in scene().to_coco(7, CATEGORY_IDS)] == [
        [1.0, 1.0, 3.0, 2.0],
        [4.0, 3.0, 4.0, 3.0],
        [0.0, 0.0, 1.0, 4.0],
    ]


def test_fields_ids_and_categories_follow_instance_order_skipping_unpainted():
    coco = scene().to_coco(7, CATEGORY_IDS, first_id=100)
    assert [(i["id"], i["image_id"], i["category_id"]) for i in coco] == [
        (100, 7, 1),
        (101, 7, 2),
        (102, 7, 1),
    ]
    assert [i["area"] for i in coco] == [6, 12, 4]
    assert all(i["iscrowd"] == 0 and i["segmentation"]["size"] == [6, 8] for i in coco)
    assert set(coco[0]) == {"id", "image_id", "category_id", "segmentation", "area", "bbox",
                            "iscrowd"}  # fmt: skip


def test_output_is_plain_json():
    coco = scene().to_coco(7, CATEGORY_IDS)
    assert json.loads(json.dumps(coco)) == coco


def test_nothing_painted_gives_no_annotations():
    assert Annotation(np.zeros((3, 3), np.uint8), ["Cat"]).to_coco(1, CATEGORY_IDS) == []


def test_a_label_without_a_category_id_is_named():
    with pytest.raises(KeyError, match="Dog"):
        scene().to_coco(7, {"Cat": 1})


# ------------------------------------------------------------------ from_coco


def test_from_coco_of_to_coco_gives_back_the_label_map_labels_and_palette_colors():
    label_map = np.zeros((5, 7), np.uint8)
    label_map[0:2, 0:3] = 1
    label_map[2:5, 2:7] = 2
    label_map[4, 0] = 3
    ann = Annotation(label_map, ["Dog", "Cat", "Dog"])
    back = Annotation.from_coco(
        ann.to_coco(1, CATEGORY_IDS), height=5, width=7, categories=CATEGORY_NAMES
    )
    assert back == ann  # label_map, labels, and colors (the palette's, in order)


def test_from_coco_leaves_out_unpainted_instances_and_keeps_the_order_of_the_rest():
    back = Annotation.from_coco(
        scene().to_coco(7, CATEGORY_IDS), height=6, width=8, categories=CATEGORY_NAMES
    )
    assert back.labels == ["Cat", "Dog", "Cat"]
    assert back.colors == ["#2ca02c", "#1f77b4", "#ff7f0e"]
    expected = scene().label_map.copy()
    expected[expected == 4] = 3
    assert np.array_equal(back.label_map, expected)


SMALL_MAPS = arrays(
    np.uint8, st.tuples(st.integers(1, 10), st.integers(1, 10)), elements=st.integers(0, 4)
)


@settings(max_examples=100, deadline=None)
@given(SMALL_MAPS)
def test_round_trip_is_exact_for_any_label_map(label_map):
    # Renumber so every instance is painted, as to_coco keeps only painted ones.
    present = np.unique(label_map[label_map > 0])
    lut = np.zeros(5, np.uint8)
    lut[present] = np.arange(1, len(present) + 1)
    labels = ["Cat" if i % 2 else "Dog" for i in range(len(present))]
    ann = Annotation(lut[label_map], labels)
    height, width = label_map.shape
    coco = ann.to_coco(3, CATEGORY_IDS)
    for item, mask in zip(coco, ann.masks, strict=True):
        assert np.array_equal(coco_mask.decode(item["segmentation"]).astype(bool), mask)
    back = Annotation.from_coco(coco, height=height, width=width, categories=CATEGORY_NAMES)
    assert back == ann


def test_round_trip_beyond_255_instances_uses_uint16():
    label_map = np.arange(1, 301, dtype=np.uint16).reshape(15, 20)
    ann = Annotation(label_map, ["Cat"] * 300)
    back = Annotation.from_coco(
        ann.to_coco(1, CATEGORY_IDS), height=15, width=20, categories=CATEGORY_NAMES
    )
    assert back.label_map.dtype == np.uint16
    assert back == ann


def test_from_coco_reads_string_bytes_and_uncompressed_counts():
    mask = np.zeros((4, 5), bool)
    mask[1:3, 2:4] = True
    rle = coco_mask.encode(fortran(mask))  # counts as bytes
    # Column-major runs: 9 background, 2 in, 2 background, 2 in, 5 background.
    segmentations = [
        rle,
        {"size": [4, 5], "counts": rle["counts"].decode("ascii")},
        {"size": [4, 5], "counts": [9, 2, 2, 2, 5]},
    ]
    for segmentation in segmentations:
        ann = Annotation.from_coco(
            [{"category_id": 2, "segmentation": segmentation}],
            height=4,
            width=5,
            categories=CATEGORY_NAMES,
        )
        assert np.array_equal(ann.masks[0], mask)
        assert ann.labels == ["Dog"]


def test_from_coco_rasterizes_polygons_as_pycocotools_does():
    triangle = [1.0, 1.0, 9.5, 2.0, 3.0, 8.5]
    square = [6, 6, 9, 6, 9, 9, 6, 9]  # pixel edges: covers x 6..8, y 6..8 exactly
    ann = Annotation.from_coco(
        [{"category_id": 1, "segmentation": [triangle, square]}],
        height=10,
        width=11,
        categories=CATEGORY_NAMES,
    )
    expected = coco_mask.decode(coco_mask.merge(coco_mask.frPyObjects([triangle, square], 10, 11)))
    assert np.array_equal(ann.masks[0], expected.astype(bool))
    assert ann.masks[0][6:9, 6:9].all() and not ann.masks[0][9, 9] and not ann.masks[0][5, 8]


def test_overlaps_go_to_the_higher_score_when_all_have_scores():
    whole = {"size": [2, 2], "counts": [0, 4]}
    items = [
        {"category_id": 1, "segmentation": whole, "score": 0.9},
        {"category_id": 2, "segmentation": whole, "score": 0.1},
    ]
    ann = Annotation.from_coco(items, height=2, width=2, categories=CATEGORY_NAMES)
    assert ann.label_map.tolist() == [[1, 1], [1, 1]]
    del items[0]["score"]  # no longer all scored: the later one wins
    ann = Annotation.from_coco(items, height=2, width=2, categories=CATEGORY_NAMES)
    assert ann.label_map.tolist() == [[2, 2], [2, 2]]


def test_from_coco_takes_cocos_categories_list():
    cats = categories(["Cat", "Dog"])
    assert cats == [
        {"id": 1, "name": "Cat", "supercategory": ""},
        {"id": 2, "name": "Dog", "supercategory": ""},
    ]
    items = [{"category_id": 2, "segmentation": {"size": [1, 2], "counts": [1, 1]}}]
    ann = Annotation.from_coco(items, height=1, width=2, categories=cats)
    assert ann.labels == ["Dog"] and ann.label_map.tolist() == [[0, 1]]


def test_categories_refuse_repeated_labels():
    with pytest.raises(ValueError, match=r"\['Cat'\] appear more than once"):
        categories(["Cat", "Dog", "Cat"])


# ------------------------------------------------------------------ errors


def one(segmentation, category_id=1):
    return [{"id": 5, "category_id": category_id, "segmentation": segmentation}]


def test_an_unknown_category_id_is_named():
    unknown = r"category_id 9, which is not among the categories \[1, 2\]"
    with pytest.raises(ValueError, match=unknown):
        Annotation.from_coco(
            one({"size": [2, 2], "counts": [4]}, 9), height=2, width=2, categories=CATEGORY_NAMES
        )


def test_an_rle_of_another_size_is_refused_with_both_sizes():
    with pytest.raises(ValueError, match=r"size is \[3, 2\] but the image is \[2, 2\]"):
        Annotation.from_coco(
            one({"size": [3, 2], "counts": [6]}), height=2, width=2, categories=CATEGORY_NAMES
        )


@pytest.mark.parametrize(
    ("segmentation", "message"),
    [
        ({"size": [2, 2], "counts": [1, 2]}, r"cover 3 pixels but the image has 2x2 = 4"),
        ({"size": [2, 2], "counts": [5, -1]}, "negative run length"),
        ({"size": [2, 2], "counts": "o"}, "ends in the middle of a number"),
        ({"size": [2, 2], "counts": "1 "}, "holds ' '"),
        ({"size": [2, 2], "counts": "o" * 9 + "0"}, "too long for a run length"),
        ({"size": [2, 2], "counts": "3"}, r"cover 3 pixels"),
        ({"size": [2, 2], "counts": "0" + "ooooooo2" * 3}, r"a run of \d+ pixels but the image"),
        ({"size": [2, 2], "counts": 4}, "must be a string, bytes or a list"),
        ([[0, 0, 1, 1]], "at least 3 points"),
        ([[0, 0, 1, 1, 1, float("nan")]], "y is nan, not a finite number"),
        ([[0, 0, 1, 1, 1, True]], "at least 3 points"),
        ({"size": [2, 2], "counts": [True, 3]}, r"whole numbers \(ints, not bools\)"),
        ({"size": [2, 2], "counts": [1e30]}, r"whole numbers"),
        ({"size": [2, 2], "counts": [10**30]}, r"a run of 10{30} pixels but the image has 2x2"),
        ([], "empty list of polygons"),
        ("abc", "must be an RLE"),
    ],
)
def test_bad_segmentations_are_refused_naming_the_annotation(segmentation, message):
    with pytest.raises(ValueError, match=message) as info:
        Annotation.from_coco(one(segmentation), height=2, width=2, categories=CATEGORY_NAMES)
    assert "COCO annotation 0 (id 5)" in str(info.value)


def test_a_missing_segmentation_is_named():
    with pytest.raises(ValueError, match="has no 'segmentation'"):
        Annotation.from_coco(
            [{"id": 5, "category_id": 1}], height=2, width=2, categories=CATEGORY_NAMES
        )


def test_without_pycocotools_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pycocotools", None)
    monkeypatch.setitem(sys.modules, "pycocotools.mask", None)
    extra = r"pip install 'crowdseg-widget\[coco\]'"
    with pytest.raises(ImportError, match=extra):
        require_pycocotools()
    with pytest.raises(ImportError, match=extra):
        scene().to_coco(1, CATEGORY_IDS)
    with pytest.raises(ImportError, match=extra):
        Annotation.from_coco([], height=1, width=1, categories=CATEGORY_NAMES)


def test_numpy_integer_ids_become_plain_ints_and_other_ids_are_refused():
    coco = scene().to_coco(np.int64(7), CATEGORY_IDS, first_id=np.int32(3))
    assert json.loads(json.dumps(coco)) == coco
    assert [(type(i["id"]), type(i["image_id"])) for i in coco] == [(int, int)] * 3
    with pytest.raises(TypeError):
        scene().to_coco("7", CATEGORY_IDS)


def test_the_image_size_must_be_positive():
    with pytest.raises(ValueError, match="must be positive whole numbers, got 0x4"):
        Annotation.from_coco([], height=0, width=4, categories=CATEGORY_NAMES)
    with pytest.raises(ValueError, match=r"must be positive whole numbers, got 2\.5x4"):
        Annotation.from_coco([], height=2.5, width=4, categories=CATEGORY_NAMES)
    with pytest.raises(ValueError, match="must be positive whole numbers, got True"):
        Annotation.from_coco([], height=True, width=4, categories=CATEGORY_NAMES)
    # Other tools' JSON writes whole sizes as floats: 2.0 reads as 2.
    whole = [{"category_id": 1, "segmentation": {"size": [2, 4], "counts": [0, 8]}}]
    ann = Annotation.from_coco(whole, height=2.0, width=4, categories=CATEGORY_NAMES)
    assert ann.label_map.tolist() == [[1] * 4] * 2


# ------------------------------------------------------------------ hostile input (issue 15)

CRASH_PROBE = """
import sys, warnings
warnings.simplefilter("ignore")
from crowdseg_widget import Annotation
v = float(sys.argv[1])
try:
    Annotation.from_coco([{"id": 1, "category_id": 1, "segmentation": [[0, 0, v, 0, v, v]]}],
                         height=100, width=120, categories={1: "A"})
except ValueError as err:
    print(err)
"""


@pytest.mark.parametrize("coordinate", ["3e9", "1e10", "1e300", "-1e300", "nan", "inf", "-inf"])
def test_polygon_coordinates_far_outside_the_image_are_refused_before_pycocotools(coordinate):
    # pycocotools segfaults on coordinates of about 3e9 and more: a child process, so the
    # suite survives the crash this test guards against.
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", CRASH_PROBE, coordinate], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, f"the child died: {done.returncode} {done.stderr[-500:]}"
    assert "COCO annotation 0 (id 1)" in done.stdout
    finite = coordinate.lstrip("-") not in ("nan", "inf")
    assert ("outside the 120x100 image" if finite else "finite") in done.stdout


def test_polygon_vertices_up_to_one_image_size_outside_are_clipped_as_pycocotools_does():
    polygon = [-11.0, -10.0, 22.0, -10.0, 22.0, 20.0, -11.0, 20.0]  # -W..2W, -H..2H: allowed
    ann = Annotation.from_coco(one([polygon]), height=10, width=11, categories=CATEGORY_NAMES)
    assert ann.masks[0].all()
    with pytest.raises(ValueError, match=r"x 22\.5 is outside the 11x10 image"):
        Annotation.from_coco(
            one([[0, 0, 22.5, 0, 5, 5]]), height=10, width=11, categories=CATEGORY_NAMES
        )
    with pytest.raises(ValueError, match=r"y -10\.5 is outside the 11x10 image"):
        Annotation.from_coco(
            one([[0, 0, 5, -10.5, 5, 5]]), height=10, width=11, categories=CATEGORY_NAMES
        )


@pytest.mark.parametrize(
    ("score", "error", "message"),
    [
        (float("nan"), ValueError, r"score nan of annotation 1 is not a finite number"),
        ("high", TypeError, r"scores must be numbers, one per annotation; got \[0\.5, 'high'\]"),
        (True, TypeError, r"scores must be numbers"),
    ],
)
def test_scores_must_be_finite_numbers(score, error, message):
    # A NaN score would sort last and win every overlap.
    whole = {"size": [2, 2], "counts": [0, 4]}
    items = [{"category_id": 1, "segmentation": whole, "score": s} for s in (0.5, score)]
    with pytest.raises(error, match=message):
        Annotation.from_coco(items, height=2, width=2, categories=CATEGORY_NAMES)


def test_more_instances_than_a_uint16_map_holds_are_refused_naming_the_limit():
    whole = {"size": [1, 1], "counts": [0, 1]}
    items = [{"category_id": 1, "segmentation": whole}] * 70_000
    with pytest.raises(ValueError, match=r"70,000 instances .* at most 65,535 \(the label map"):
        Annotation.from_coco(items, height=1, width=1, categories=CATEGORY_NAMES)


def test_polygons_longer_than_any_outline_of_the_image_are_refused_before_pycocotools():
    # 4,000 zig-zag vertices across a 1000x1000 image made pycocotools take 0.5 GB.
    zigzag = np.stack([np.tile([-10.0, 20.0], 50), np.linspace(-10, 20, 100)], 1).ravel()
    with pytest.raises(ValueError, match=r"edges are 3,0\d\d pixels long in all, more than a "
                       r"10x10 image's outlines can be \(240\)"):  # fmt: skip
        Annotation.from_coco(one([zigzag.tolist()]), height=10, width=10, categories={1: "A"})
    border = [0, 0, 10, 0, 10, 10, 0, 10]  # 40 pixels of edge: fine
    ann = Annotation.from_coco(one([border] * 6), height=10, width=10, categories={1: "A"})
    assert ann.masks[0].all()


def test_an_image_over_the_pixel_limit_is_refused_before_anything_is_allocated():
    # A single 1e10-pixel run would need 9.3 GiB: refused from the size alone.
    whole = {"size": [100_000, 100_000], "counts": [0, 10**10]}
    with pytest.raises(ValueError, match=r"100000x100000 \(10,000,000,000 pixels\), over the"):
        Annotation.from_coco(one(whole), height=100_000, width=100_000, categories=CATEGORY_NAMES)
