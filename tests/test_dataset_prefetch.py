"""The next image, made ready while the user paints (datasets/prefetch.py).

What is prefetched and when, that a prefetch never stands for another image,
that the image's own update leaves out the bytes the view has already (and
they follow it, in order), and the memory bound. The view's side (the decode
used, the first stroke on the new image) is tested in
tests/browser/test_prefetch_harness.py.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from crowdseg_widget import Annotation
from crowdseg_widget.datasets.labeler import ImageLabeler, label_images
from crowdseg_widget.datasets.prefetch import PreparedImages, prefetch_target
from crowdseg_widget.datasets.store import StoreWarning
from crowdseg_widget.image_source import load_image_source
from recording_comm import RecordingComm


def write_images(folder: Path, count: int, size: tuple[int, int] = (40, 30)) -> list[Path]:
    """`count` PNGs of one size, each a different grey (distinct bytes)."""
    folder.mkdir()
    paths = []
    for k in range(count):
        path = folder / f"{k}.png"
        Image.fromarray(np.full((size[1], size[0], 3), 20 * k + 10, np.uint8)).save(path)
        paths.append(path)
    return paths


@pytest.fixture
def session(tmp_path: Path) -> ImageLabeler:
    write_images(tmp_path / "photos", 4)
    return label_images(tmp_path / "photos", ["Thing"], store=tmp_path / "labels")


def key_of(path: Path) -> str:
    return load_image_source(path).key


def test_prefetch_target_goes_on_in_the_direction_moved_and_turns_at_the_ends():
    assert prefetch_target(0, 1, 4) == 1
    assert prefetch_target(2, -1, 4) == 1
    assert prefetch_target(3, 1, 4) == 2  # the last image: the one before it
    assert prefetch_target(0, -1, 4) == 1
    assert prefetch_target(0, 1, 1) is None  # a single image: nothing to prefetch


def test_the_next_image_is_offered_after_each_move_in_its_direction(session):
    images = session.images
    assert session._prefetch["key"] == key_of(images[1])
    assert session._prefetch["data"] == images[1].read_bytes()
    assert session._prefetch["mime"] == "image/png"
    session.next()
    assert session._prefetch["key"] == key_of(images[2])
    session.next()
    session.previous()
    assert session.position == 1
    assert session._prefetch["key"] == key_of(images[0])
    session.goto(3)
    assert session._prefetch["key"] == key_of(images[2])  # the last one: back the other way


def test_image_key_is_a_hash_of_the_bytes_shown(session, tmp_path):
    """Equal keys mean equal bytes: a prefetch can stand only for the very same image."""
    assert session._image_key == key_of(session.images[0])
    assert len({key_of(p) for p in session.images}) == 4
    copy = tmp_path / "copy.png"
    copy.write_bytes(session.images[2].read_bytes())
    assert key_of(copy) == key_of(session.images[2])
    assert load_image_source("https://example.com/a.jpg").key == ""


def test_the_image_update_leaves_out_the_prefetched_bytes_and_they_follow_it(session):
    comm = RecordingComm()
    session.comm = comm
    next_bytes = session.images[1].read_bytes()
    session.next()
    image_updates = [u for u in comm.updates if "_image_serial" in u.names]
    assert len(image_updates) == 1
    first = image_updates[0]
    # The image's own update: small, with its key; the bytes are the view's `_prefetch` already.
    assert first.state["_image_key"] == key_of(session.images[1])
    assert first.buffers == [b""]  # `_image_data`, empty
    after = comm.updates[comm.updates.index(first) + 1 :]
    keys = [u.names for u in after]
    # Then the bar, then the bytes into `_image_data` (as always), then the next prefetch.
    assert keys == [["_navigation"], ["_image_data"], ["_prefetch"]]
    assert after[1].buffers == [next_bytes]
    assert after[2].buffers == [session.images[2].read_bytes()]
    assert session._image_data == next_bytes


def test_an_image_not_prefetched_goes_with_its_update_as_before(session):
    comm = RecordingComm()
    session.comm = comm
    session.goto(3)  # the prefetch was image 1: stale, never stands for image 3
    first = next(u for u in comm.updates if "_image_serial" in u.names)
    assert first.buffers == [session.images[3].read_bytes()]
    assert session._prefetch["key"] == key_of(session.images[2])


def test_a_changed_file_is_prepared_again(tmp_path):
    paths = write_images(tmp_path / "photos", 2)
    prepared = PreparedImages(paths)
    first = prepared.get(1)
    assert prepared.get(1) is first  # unchanged: the same preparation
    Image.fromarray(np.full((30, 40, 3), 200, np.uint8)).save(paths[1])
    os.utime(paths[1], ns=(1, 1))  # a different modification time, whatever the clock's grain
    again = prepared.get(1)
    assert again is not first
    assert again.data == paths[1].read_bytes()


def test_prepared_images_are_bounded_to_the_neighbours_of_the_one_shown(tmp_path):
    write_images(tmp_path / "photos", 6)
    w = label_images(tmp_path / "photos", ["Thing"], store=tmp_path / "labels")
    for _ in range(5):
        w.next()
        assert len(w._prepared) <= 3
        kept = set(w._prepared._prepared)
        assert kept <= {w.position - 1, w.position, w.position + 1}
    w.goto(1)
    assert set(w._prepared._prepared) <= {0, 1, 2}


def test_a_broken_next_image_is_not_offered_and_is_named_only_when_shown(tmp_path):
    paths = write_images(tmp_path / "photos", 3)
    paths[1].write_bytes(b"not an image")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing is said about image 1 yet
        w = label_images(tmp_path / "photos", ["Thing"], store=tmp_path / "labels")
    assert w._prefetch == {}
    with pytest.warns(StoreWarning, match="1.png: cannot be shown"):
        w.next()
    assert w.position == 2  # passed over, as before
    assert w._navigation["problem"].startswith("1.png: cannot be shown")


def test_a_stored_label_is_shown_with_a_prefetched_image(tmp_path):
    write_images(tmp_path / "photos", 3)
    w = label_images(tmp_path / "photos", ["Thing"], store=tmp_path / "labels")
    label_map = np.zeros((30, 40), np.uint8)
    label_map[5:9, 10:20] = 1
    w.goto(1)
    w.set_annotation(Annotation(label_map, ["Thing"]))
    w.goto(0)
    assert w._prefetch["key"] == key_of(w.images[1])
    w.next()
    assert w.label_map.tolist() == label_map.tolist()
    assert w._image_data == w.images[1].read_bytes()


def test_an_empty_start_is_the_same_value_each_time_and_a_fresh_dict(session):
    first = session.value
    session.next()
    second = session.value
    assert second == first and second is not first
    second["instances"].append("changed")  # a caller changing its copy changes no other
    session.next()
    assert session.value["instances"] == []
