"""Labeling a dataset: `label_images`, saving every value, navigation, resume, problems."""

import base64
import io
import shutil

import numpy as np
import pytest
from PIL import Image

from crowdseg_widget import Annotation, sample_image
from crowdseg_widget.datasets.labeler import ImageLabeler, label_images
from crowdseg_widget.datasets.store import LabelStore, StoreWarning

NAMES = ["astronaut", "cat", "coffee", "coins"]


@pytest.fixture
def folder(sample_folder):
    return sample_folder(NAMES)


def session(folder, store_path) -> ImageLabeler:
    return label_images(folder, ["Thing", "Other"], store=store_path)


def paint(w: ImageLabeler, x0: int = 5) -> Annotation:
    """What the view sends at a stroke's end: a value through set_state."""
    label_map = np.zeros((w.image_height, w.image_width), np.uint8)
    label_map[5:15, x0 : x0 + 10] = 1
    annotation = Annotation(label_map, ["Thing"])
    w.set_state({"value": annotation.to_value()})
    return annotation


def request(w: ImageLabeler, action: str, image: int | None = None, rid: int = 1) -> None:
    """The view's navigation request, as its state update carries it."""
    serial = w._image_serial if image is None else image
    w.set_state({"_navigation_request": {"action": action, "image": serial, "id": rid}})


def test_a_folder_is_listed_sorted_and_keyed_by_relative_path(folder, store_path):
    w = session(folder, store_path)
    assert w.image_keys == [f"{i}_{n}.png" for i, n in enumerate(NAMES)]
    assert w.position == 0
    assert (w.image_width, w.image_height) == (512, 512)
    assert w._navigation == {"position": 0, "total": 4, "done": 0, "skipped": 0,
                             "name": "0_astronaut.png", "status": "", "problem": ""}  # fmt: skip


def test_every_value_from_the_view_is_saved_at_once(folder, store_path):
    w = session(folder, store_path)
    painted = paint(w)
    stored = LabelStore(store_path).read("0_astronaut.png")
    assert stored is not None and stored.status == "open"
    assert LabelStore(store_path).decode(stored) == painted


def test_visiting_an_image_writes_nothing(folder, store_path):
    w = session(folder, store_path)
    w.next()
    w.next()
    assert LabelStore(store_path).stored_keys() == []


def test_next_marks_a_painted_image_done_and_shows_the_next(folder, store_path):
    w = session(folder, store_path)
    paint(w)
    request(w, "next")
    assert w.position == 1
    assert w.status(0) == "done"
    assert (w.image_width, w.image_height) == (451, 300)
    assert w.value["instances"] == []  # the new image starts empty
    assert w._navigation["done"] == 1


def test_a_painted_value_and_the_request_in_one_update_are_applied_in_that_order(
    folder, store_path
):
    w = session(folder, store_path)
    label_map = np.zeros((512, 512), np.uint8)
    label_map[0:4, 0:4] = 1
    value = Annotation(label_map, ["Thing"]).to_value()
    serial = w._image_serial
    w.set_state({"_navigation_request": {"action": "next", "image": serial, "id": 1},
                 "value": value})  # fmt: skip
    assert w.status(0) == "done"
    assert LabelStore(store_path).read("0_astronaut.png").value == value


def test_next_on_an_unpainted_image_does_not_mark_it_done(folder, store_path):
    w = session(folder, store_path)
    w.next()
    assert w.status(0) is None
    assert w.counts() == {"done": 0, "skipped": 0, "open": 0, "unlabeled": 4}


def test_skip_marks_the_image_skipped_even_unpainted(folder, store_path):
    w = session(folder, store_path)
    request(w, "skip")
    assert w.position == 1
    assert LabelStore(store_path).read("0_astronaut.png").status == "skipped"


def test_a_stale_request_is_ignored(folder, store_path):
    w = session(folder, store_path)
    old = w._image_serial
    request(w, "next", rid=1)
    request(w, "next", image=old, rid=2)  # a double click: the second was made on image 0
    assert w.position == 1


def test_previous_stops_at_the_first_image_and_next_at_the_last(folder, store_path):
    w = session(folder, store_path)
    w.previous()
    assert w.position == 0
    w.goto(3)
    paint(w)
    w.next()
    assert w.position == 3
    assert w.status(3) == "done"


def test_going_back_loads_the_stored_annotation(folder, store_path):
    w = session(folder, store_path)
    painted = paint(w, x0=40)
    w.next()
    w.previous()
    assert w.position == 0
    assert w.annotation == painted
    assert w.initial_annotation == painted


def test_rerunning_resumes_at_the_first_image_neither_done_nor_skipped(folder, store_path):
    w = session(folder, store_path)
    first = paint(w)
    w.next()
    w.skip()
    paint(w, x0=100)  # image 2 painted but not finished
    w = session(folder, store_path)
    assert w.position == 2
    assert w.annotation.num_instances == 1
    assert w.counts() == {"done": 1, "skipped": 1, "open": 1, "unlabeled": 1}
    w.goto(0)
    assert w.annotation == first


def test_when_everything_is_finished_the_session_starts_at_the_first_image(folder, store_path):
    w = session(folder, store_path)
    for _ in NAMES:
        w.skip()
    assert session(folder, store_path).position == 0


def test_erasing_a_done_image_makes_it_open_again(folder, store_path):
    w = session(folder, store_path)
    paint(w)
    w.next()
    w.previous()
    w.set_state({"value": Annotation.empty(512, 512).to_value()})
    w.next()
    assert w.status(0) == "open"


def test_an_unreadable_image_is_named_when_reached_and_passed_over(folder, store_path):
    """Its content is not opened at start (that would cost ~0.1 ms per image)."""
    (folder / "2_coffee.png").write_bytes(b"\x89PNG but not really")
    w = session(folder, store_path)
    assert w.problems == [] and "2_coffee.png" in w.image_keys
    w.next()
    with pytest.warns(
        StoreWarning,
        match=r"2_coffee\.png: cannot be shown \(image file .* is not a readable image",
    ):
        w.next()
    assert w.current_key == "3_coins.png"
    assert [p.name for p in w.problems] == ["2_coffee.png"]


def test_a_missing_image_of_a_list_is_left_out_and_reported_by_name(folder, store_path):
    listed = [folder / "0_astronaut.png", folder / "gone.png", folder / "1_cat.png"]
    with pytest.warns(StoreWarning, match=r"gone\.png: left out: No such file"):
        w = label_images(listed, ["Thing"], store=store_path)
    assert w.image_keys == ["0_astronaut.png", "1_cat.png"]


def test_an_image_deleted_during_the_session_is_reported_and_passed_over(folder, store_path):
    w = session(folder, store_path)
    (folder / "1_cat.png").unlink()
    with pytest.warns(StoreWarning, match=r"1_cat\.png: cannot be shown"):
        w.next()
    assert w.position == 2
    assert w._navigation["problem"].startswith("1_cat.png: cannot be shown")


def test_a_corrupted_stored_json_is_reported_and_set_aside_not_overwritten(folder, store_path):
    w = session(folder, store_path)
    paint(w)
    w.next()
    json_file = store_path / "0_astronaut.png.json"
    torn = json_file.read_bytes()[:50]
    json_file.write_bytes(torn)
    with pytest.warns(StoreWarning, match=r"0_astronaut\.png\.json: not valid JSON"):
        w = session(folder, store_path)
    assert w.position == 0  # no longer counted as done
    assert (store_path / "0_astronaut.png.bad.json").read_bytes() == torn
    assert w.value["instances"] == []


def test_an_image_that_changed_size_starts_empty_and_the_old_label_is_kept(folder, store_path):
    w = session(folder, store_path)
    paint(w)
    w.next()
    shutil.copy(sample_image("coins"), folder / "0_astronaut.png")
    with pytest.warns(StoreWarning, match=r"now 384x303 but was labeled at 512x512"):
        w.goto(0)
    assert (w.image_width, w.image_height) == (384, 303)
    assert (store_path / "0_astronaut.png.bad.json").exists()


def test_the_png_is_rewritten_from_the_json_after_a_crash_between_them(folder, store_path):
    w = session(folder, store_path)
    paint(w)
    w.next()
    png_file = store_path / "0_astronaut.png.png"
    png_file.write_bytes(b"a newer png whose json never landed")
    w.goto(0)
    stored = LabelStore(store_path).read("0_astronaut.png")
    assert png_file.read_bytes() == base64.b64decode(stored.value["labeledImage"]["pngImageData"])


def test_a_list_of_images_is_keyed_relative_to_its_common_folder(tmp_path, store_path):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        shutil.copy(sample_image("cat"), tmp_path / folder / "cat.png")
    w = label_images([tmp_path / "x" / "cat.png", tmp_path / "y" / "cat.png"], ["Cat"],
                     store=store_path)  # fmt: skip
    assert w.image_keys == ["x/cat.png", "y/cat.png"]


def test_a_store_inside_the_image_folder_is_not_taken_for_images(folder):
    w = label_images(folder, ["Thing"], store=folder / "labels")
    paint(w)
    w.next()
    again = label_images(folder, ["Thing"], store=folder / "labels")
    assert len(again.image_keys) == 4


def test_bad_input_is_named(tmp_path, store_path):
    with pytest.raises(ValueError, match="is neither"):
        label_images(tmp_path / "missing", ["Cat"], store=store_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="no images"):
        label_images(tmp_path / "empty", ["Cat"], store=store_path)
    with pytest.raises(IndexError, match=r"out of range 0\.\.3"):
        label_images([sample_image(n) for n in NAMES], ["Cat"], store=store_path).goto(9)


def test_a_stroke_that_arrives_after_python_moved_is_saved_to_its_own_image(folder, store_path):
    """The view painted image 0; Python moved to image 1 before the value arrived."""
    w = session(folder, store_path)
    shown = w._image_serial
    w.next()
    label_map = np.zeros((512, 512), np.uint8)
    label_map[100:110, 100:120] = 1
    late = Annotation(label_map, ["Thing"])
    w.set_state({"value": late.to_value(), "_value_image": shown})
    assert w.value["instances"] == []  # image 1 untouched
    assert LabelStore(store_path).stored_keys() == ["0_astronaut.png"]
    store = LabelStore(store_path)
    assert store.decode(store.read("0_astronaut.png")) == late
    assert w.status(0) == "open"


def test_a_value_rescued_at_an_image_change_is_saved_to_its_own_image(folder, store_path):
    w = session(folder, store_path)
    shown = w._image_serial
    w.next()
    painted = paint(w)  # image 1, current
    label_map = np.zeros((512, 512), np.uint8)
    label_map[0:3, 0:3] = 1
    rescued = Annotation(label_map, ["Thing"])
    w.set_state({"_rescued_value": {"image": shown, "value": rescued.to_value()}})
    store = LabelStore(store_path)
    assert store.decode(store.read("0_astronaut.png")) == rescued
    assert store.decode(store.read("1_cat.png")) == painted
    assert w.annotation == painted


def test_a_value_of_the_current_image_is_applied_as_usual(folder, store_path):
    w = session(folder, store_path)
    label_map = np.zeros((512, 512), np.uint8)
    label_map[7, 7] = 1
    value = Annotation(label_map, ["Thing"]).to_value()
    w.set_state({"value": value, "_value_image": w._image_serial})
    assert w.value == value


def test_the_label_choices_are_kept_in_the_store_in_order(folder, store_path):
    w = session(folder, store_path)
    assert LabelStore(store_path).labels == ["Thing", "Other"]
    w.labels = ["Other", "Thing", "New"]
    assert LabelStore(store_path).labels == ["Other", "Thing", "New"]


def test_a_labeled_image_deleted_between_sessions_is_reported_at_start(folder, store_path):
    w = session(folder, store_path)
    paint(w)
    w.next()
    (folder / "0_astronaut.png").unlink()
    with pytest.warns(StoreWarning, match=r"0_astronaut\.png: the image is gone; its label stays"):
        again = session(folder, store_path)
    assert again.image_keys[0] == "1_cat.png"
    assert LabelStore(store_path).stored_keys() == ["0_astronaut.png"]


def test_a_moved_image_folder_is_followed_and_said(folder, store_path, tmp_path):
    w = session(folder, store_path)
    painted = paint(w)
    w.next()
    moved = shutil.move(folder, tmp_path / "moved")
    with pytest.warns(StoreWarning, match="now looked up under"):
        again = label_images(moved, ["Thing", "Other"], store=store_path)
    again.goto(0)
    assert again.annotation == painted


def test_a_first_image_damaged_past_its_header_is_passed_over(folder, store_path):
    jpeg = io.BytesIO()
    Image.open(folder / "0_astronaut.png").convert("RGB").save(jpeg, "JPEG")
    (folder / "0_astronaut.png").unlink()
    # Header and EXIF fine (it is listed), the scans cut: it fails only when shown.
    (folder / "0_astronaut.jpg").write_bytes(jpeg.getvalue()[: len(jpeg.getvalue()) // 2])
    with pytest.warns(StoreWarning, match=r"0_astronaut\.jpg: cannot be shown"):
        w = session(folder, store_path)
    assert w.position == 1
    assert (w.image_width, w.image_height) == (451, 300)
