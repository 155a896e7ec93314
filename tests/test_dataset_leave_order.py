"""Leaving an image: the next image's update goes out first, then the left image's mark
is written (its fsync no longer delays the switch); a refused write is still reported,
and the mark kept in memory until a retry writes it."""

import warnings

import numpy as np
import pytest

from crowdseg_widget import Annotation
from crowdseg_widget.datasets.labeler import ImageLabeler, label_images
from crowdseg_widget.datasets.store import LabelStore, StoreWarning, StoreWriteError


@pytest.fixture
def w(sample_folder, store_path) -> ImageLabeler:
    return label_images(sample_folder(["astronaut", "cat", "coffee"]), ["Thing"], store=store_path)


def paint(w: ImageLabeler) -> None:
    label_map = np.zeros((w.image_height, w.image_width), np.uint8)
    label_map[5:15, 5:15] = 1
    w.set_state({"value": Annotation(label_map, ["Thing"]).to_value(), "_sync_error": ""})


def test_the_next_image_is_sent_before_the_left_image_is_marked_done(w, monkeypatch):
    paint(w)
    left = w.current_key
    events: list[tuple[str, object]] = []
    show = w.set_image
    save = w.store.save
    monkeypatch.setattr(
        w, "set_image", lambda *a, **k: (events.append(("shown", None)), show(*a, **k))
    )
    monkeypatch.setattr(
        w.store,
        "save",
        lambda key, value, status: (events.append((key, status)), save(key, value, status)),
    )
    w.next()
    assert events == [("shown", None), (left, "done")]
    assert w.position == 1 and w.status(0) == "done" and w.counts()["done"] == 1
    assert LabelStore(w.store.path).read(left).status == "done"


def test_a_refused_mark_is_reported_kept_in_memory_and_written_by_the_retry(w, monkeypatch):
    paint(w)
    left = w.current_key
    save = w.store.save

    def refuse(key, value, status):
        raise StoreWriteError(f"{key}: not saved (disk full)")

    monkeypatch.setattr(w.store, "save", refuse)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        w.next()
    assert [c.category for c in caught] == [StoreWarning]
    assert w.position == 1 and "Not saved" in w.save_error
    assert w.status(0) == "open"  # on disk: the stroke's save, not the mark
    monkeypatch.setattr(w.store, "save", save)
    w.save()
    assert w.save_error == "" and w.status(0) == "done"
    assert LabelStore(w.store.path).read(left).status == "done"
