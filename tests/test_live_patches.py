"""A view's patches (`_patches`) keep the kernel's label map current ahead of its PNG value.

Driven through `set_state` as ipywidgets calls it, with runs made here from
two label maps the way the view makes them (runs of equal ids over the
changed pixels, as little-endian binary buffers).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

from crowdseg_widget import Annotation, InstanceSegmentation

W, H = 40, 30
CAT = {"label": "Cat", "color": "#2ca02c"}
DOG = {"label": "Dog", "color": "#1f77b4"}


def runs(before: np.ndarray, after: np.ndarray) -> dict[str, bytes]:
    """The view's runs turning `before` into `after`."""
    flat_b, flat_a = before.ravel(), after.ravel()
    changed = np.flatnonzero(flat_b != flat_a)
    starts: list[int] = []
    lengths: list[int] = []
    ids: list[int] = []
    for i in changed.tolist():
        if starts and starts[-1] + lengths[-1] == i and ids[-1] == flat_a[i]:
            lengths[-1] += 1
        else:
            starts.append(i)
            lengths.append(1)
            ids.append(int(flat_a[i]))
    return {
        "starts": np.array(starts, "<u4").tobytes(),
        "lengths": np.array(lengths, "<u4").tobytes(),
        "ids": np.array(ids, "<u2").tobytes(),
    }


def entry(
    seq: int, before: np.ndarray, after: np.ndarray, instances: list[dict[str, str]]
) -> dict[str, Any]:
    return {"seq": seq, "instances": instances, "changes": [runs(before, after)]}


def patches(w: InstanceSegmentation, *entries: dict[str, Any], view: str = "v1") -> dict[str, Any]:
    return {
        "image": w._image_serial,
        "view": view,
        "origin": w._value_origin,
        "entries": list(entries),
    }


def view_value(w: InstanceSegmentation, ids: np.ndarray, instances: list[dict[str, str]], seq: int,
               view: str = "v1") -> dict[str, Any]:  # fmt: skip
    value = Annotation(
        ids, [i["label"] for i in instances], [i["color"] for i in instances]
    ).to_value()
    return {"value": value, "_value_image": w._image_serial,
            "_value_patch": {"view": view, "origin": w._value_origin, "seq": seq}}  # fmt: skip


def widget() -> InstanceSegmentation:
    return InstanceSegmentation(np.zeros((H, W, 3), np.uint8), labels=["Cat", "Dog"])


def painted(*boxes: tuple[int, int, int, int, int]) -> np.ndarray:
    ids = np.zeros((H, W), np.uint8)
    for x0, y0, x1, y1, v in boxes:
        ids[y0:y1, x0:x1] = v
    return ids


def test_a_patch_makes_label_map_masks_and_value_current_before_the_png_arrives():
    w = widget()
    empty = np.zeros((H, W), np.uint8)
    first = painted((2, 3, 30, 9, 1))
    w.set_state({"_patches": patches(w, entry(1, empty, first, [CAT]))})
    np.testing.assert_array_equal(w.label_map, first)
    assert w.masks.shape == (1, H, W) and (w.masks[0] == (first == 1)).all()
    # `value` read now is the SageMaker value of what was painted, not the empty one before.
    assert Annotation.from_value(w.value) == Annotation(first, ["Cat"], ["#2ca02c"])
    assert w.annotation.colors == ["#2ca02c"]


def test_patches_follow_each_other_then_the_value_that_holds_them_changes_nothing():
    w = widget()
    seen: list[np.ndarray] = []
    w.on_change(lambda a: seen.append(a.label_map.copy()))
    empty = np.zeros((H, W), np.uint8)
    one = painted((2, 3, 30, 9, 1))
    two = painted((2, 3, 30, 9, 1), (10, 5, 20, 25, 2))
    w.set_state({"_patches": patches(w, entry(1, empty, one, [CAT]))})
    w.set_state(
        {"_patches": patches(w, entry(1, empty, one, [CAT]), entry(2, one, two, [CAT, DOG]))}
    )
    np.testing.assert_array_equal(w.label_map, two)
    # The value of action 1 arrives late: the map keeps action 2, and so does `value`.
    w.set_state(view_value(w, one, [CAT], seq=1))
    np.testing.assert_array_equal(w.label_map, two)
    assert Annotation.from_value(w.value).num_instances == 2
    w.set_state(view_value(w, two, [CAT, DOG], seq=2))
    np.testing.assert_array_equal(w.label_map, two)
    assert w.value == w._trait_values["value"]  # now the view's own PNG
    assert [s.max() for s in seen] == [1, 2]  # one callback per action, none for the values


def test_an_undo_patch_and_an_eraser_patch_apply_exactly():
    w = widget()
    rng = np.random.default_rng(3)
    maps = [np.zeros((H, W), np.uint8)]
    for _ in range(20):
        nxt = maps[-1].copy()
        x, y = rng.integers(0, W - 5), rng.integers(0, H - 5)
        nxt[y : y + rng.integers(1, 8), x : x + rng.integers(1, 12)] = rng.integers(0, 3)
        maps.append(nxt)
    maps.append(maps[-2].copy())  # an undo: back to the map before
    for seq in range(1, len(maps)):
        w.set_state({"_patches": patches(w, entry(seq, maps[seq - 1], maps[seq], [CAT, DOG]))})
        np.testing.assert_array_equal(w.label_map, maps[seq])


def test_a_patch_that_does_not_follow_waits_for_the_value():
    w = widget()
    empty = np.zeros((H, W), np.uint8)
    one = painted((2, 3, 30, 9, 1))
    two = painted((0, 0, 5, 5, 1))
    w.set_state({"_patches": patches(w, entry(2, one, two, [CAT]))})  # action 1 never came
    np.testing.assert_array_equal(w.label_map, empty)
    w.set_state({"_patches": patches(w, entry(3, two, one, [CAT]))})
    np.testing.assert_array_equal(w.label_map, empty)
    w.set_state(view_value(w, two, [CAT], seq=2))  # the value brings action 2
    w.set_state({"_patches": patches(w, entry(3, two, one, [CAT]))})
    np.testing.assert_array_equal(w.label_map, one)


def test_the_first_view_to_act_on_pythons_value_numbers_the_map_another_views_waits():
    w = widget()
    empty = np.zeros((H, W), np.uint8)
    one = painted((2, 3, 30, 9, 1))
    other = painted((0, 0, 5, 5, 1))
    w.set_state({"_patches": patches(w, entry(1, empty, one, [CAT]))})
    w.set_state({"_patches": patches(w, entry(1, empty, other, [CAT]), view="v2")})
    np.testing.assert_array_equal(w.label_map, one)
    w.set_state(view_value(w, other, [CAT], seq=1, view="v2"))  # v2's value: the last writer
    np.testing.assert_array_equal(w.label_map, other)
    w.set_state({"_patches": patches(w, entry(2, one, empty, [CAT]))})  # v1 continues: not on v2's
    np.testing.assert_array_equal(w.label_map, other)


def test_a_delete_and_its_undo_apply_as_the_view_did_them():
    w = widget()
    empty = np.zeros((H, W), np.uint8)
    three = painted((0, 0, 10, 10, 1), (10, 0, 20, 10, 2), (20, 0, 30, 10, 3))
    cats = [CAT, DOG, {"label": "Cat", "color": "#ff7f0e"}]
    w.set_state({"_patches": patches(w, entry(1, empty, three, cats))})
    w.set_state(
        {
            "_patches": patches(
                w, {"seq": 2, "instances": [CAT, cats[2]], "changes": [{"remove": 2}]}
            )
        }
    )
    np.testing.assert_array_equal(w.label_map, painted((0, 0, 10, 10, 1), (20, 0, 30, 10, 2)))
    assert w.annotation.colors == ["#2ca02c", "#ff7f0e"]
    at = runs(empty, painted((10, 0, 20, 10, 2)))
    w.set_state(
        {
            "_patches": patches(
                w, {"seq": 3, "instances": cats, "changes": [{"restore": 2, "at": at}]}
            )
        }
    )
    np.testing.assert_array_equal(w.label_map, three)


def test_patches_of_an_earlier_image_or_before_pythons_own_value_are_not_applied():
    w = widget()
    empty = np.zeros((H, W), np.uint8)
    one = painted((2, 3, 30, 9, 1))
    stale = patches(w, entry(1, empty, one, [CAT]))
    w.set_annotation(Annotation(painted((0, 0, 3, 3, 1)), ["Dog"], ["#1f77b4"]))
    w.set_state({"_patches": stale})  # made on the map before Python's value: not applied
    assert w.annotation.labels == ["Dog"]
    w.set_image(np.zeros((H, W, 3), np.uint8))
    w.set_state({"_patches": {**patches(w, entry(1, empty, one, [CAT])), "image": 0}})
    assert w.annotation.num_instances == 0
    w.set_state({"_patches": patches(w, entry(1, empty, one, [CAT]))})
    np.testing.assert_array_equal(w.label_map, one)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"starts": np.array([W * H - 2], "<u4").tobytes()}, "reach past the image"),
        ({"ids": np.array([3], "<u2").tobytes()}, "sets id 3 but has 1 instances"),
        ({"lengths": b"\x01\x00\x00"}, "not a whole number of <u4"),
        ({"ids": "AQA="}, "must be a binary buffer, got str"),
        ({"starts": np.array([1, 2], "<u4").tobytes()}, "runs do not match: 2 starts"),
        ({"remove": 2}, "remove must be an instance id 1..1, got 2"),
    ],
)
def test_a_bad_patch_is_named_and_the_map_follows_the_value(change, message):
    w = widget()
    good = {"starts": np.array([5], "<u4").tobytes(), "lengths": np.array([4], "<u4").tobytes(),
            "ids": np.array([1], "<u2").tobytes()}  # fmt: skip
    bad = {"seq": 1, "instances": [CAT], "changes": [{**good, **change}]}
    with pytest.warns(UserWarning, match=message):
        w.set_state({"_patches": patches(w, bad)})
    assert w.annotation.num_instances == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w.set_state(view_value(w, painted((0, 0, 2, 2, 1)), [CAT], seq=1))
    assert int(w.label_map.sum()) == 4


def test_a_host_that_mangles_every_patch_is_told_once():
    w = widget()
    mangled = {
        "seq": 1,
        "instances": [CAT],
        "changes": [{"starts": {"0": 5}, "lengths": {}, "ids": {}}],
    }
    with pytest.warns(UserWarning, match="could not be applied"):
        w.set_state({"_patches": patches(w, mangled)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w.set_state({"_patches": patches(w, {**mangled, "seq": 2})})
