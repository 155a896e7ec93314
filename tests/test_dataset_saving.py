"""A session whose saves fail: reported in the view and in Python, the value kept in
memory, retried at the next stroke and by `save()`; never success for what is not on
disk. Also the session's side of set-asides, dot-files and non-regular image files."""

import errno
import json
import os
import shutil
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

from crowdseg_widget import Annotation, sample_image
from crowdseg_widget.datasets import files
from crowdseg_widget.datasets.labeler import ImageLabeler, label_images
from crowdseg_widget.datasets.store import LabelStore, StoreError, StoreWarning

NAMES = ["astronaut", "cat", "coffee"]


@pytest.fixture
def folder(sample_folder):
    return sample_folder(NAMES)


def session(folder, store_path) -> ImageLabeler:
    return label_images(folder, ["Thing"], store=store_path)


def paint(w: ImageLabeler, x0: int = 5) -> Annotation:
    """What the view sends at a stroke's end (it clears `_sync_error` with every value)."""
    label_map = np.zeros((w.image_height, w.image_width), np.uint8)
    label_map[5:15, x0 : x0 + 10] = 1
    annotation = Annotation(label_map, ["Thing"])
    w.set_state({"value": annotation.to_value(), "_sync_error": ""})
    return annotation


def stored(store_path, key):
    label = LabelStore(store_path).read(key)
    return None if label is None else LabelStore(store_path).decode(label)


@pytest.fixture
def blocked(store_path):
    """A folder where the PNG must go: a failure root cannot bypass (rename onto a folder)."""
    obstacle = store_path / "0_astronaut.png.png"

    def block():
        obstacle.mkdir(parents=True)

    def unblock():
        obstacle.rmdir()

    return block, unblock


def test_a_failed_save_is_reported_in_the_view_and_in_python_and_the_value_kept(
    folder, store_path, blocked
):
    block, _ = blocked
    w = session(folder, store_path)
    block()
    with pytest.warns(
        StoreWarning,
        match=r"Not saved: 0_astronaut\.png: not saved \(Is a directory: .*0_astronaut\.png\.png\)",
    ):
        painted = paint(w)
    assert w._sync_error == w.save_error  # the view's status line shows it
    assert w.save_error.startswith("Not saved: 0_astronaut.png: not saved (")
    assert "1 image kept in memory only; the next stroke or save() retries." in w.save_error
    assert w.value == painted.to_value()  # kept
    assert stored(store_path, "0_astronaut.png") is None  # and not claimed to be on disk


def test_a_failed_save_is_not_reported_as_the_browsers_trouble(folder, store_path, blocked):
    block, _ = blocked
    w = session(folder, store_path)
    block()
    with pytest.warns(StoreWarning):
        painted = paint(w)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "the browser could not send ..." would raise here
        assert w.annotation == painted
    w._sync_error = "over the message limit"  # the browser's own trouble still warns
    with pytest.warns(UserWarning, match=r"the browser could not send .*over the message limit"):
        w.annotation  # noqa: B018


def test_the_next_stroke_retries_and_clears_the_report(folder, store_path, blocked):
    block, unblock = blocked
    w = session(folder, store_path)
    block()
    with pytest.warns(StoreWarning):
        paint(w, 5)
    unblock()
    painted = paint(w, 40)
    assert (w.save_error, w._sync_error) == ("", "")
    assert stored(store_path, "0_astronaut.png") == painted


def test_save_retries_on_demand_and_says_why_while_the_store_refuses(folder, store_path, blocked):
    block, unblock = blocked
    w = session(folder, store_path)
    block()
    with pytest.warns(StoreWarning):
        painted = paint(w)
    with pytest.raises(StoreError, match=r"Not saved: 0_astronaut\.png"):
        w.save()
    unblock()
    w.save()
    assert w.save_error == ""
    assert stored(store_path, "0_astronaut.png") == painted


def test_a_value_not_saved_survives_navigation_and_is_written_later(folder, store_path, blocked):
    block, unblock = blocked
    w = session(folder, store_path)
    block()
    with pytest.warns(StoreWarning):
        painted = paint(w)
        w.next()  # marking it done fails too: it stays in memory, marked done
    assert w._sync_error == w.save_error != ""  # still shown on the next image
    assert w.status(0) is None and w._navigation["done"] == 0  # no success claimed
    w.previous()
    assert w.value == painted.to_value()  # from memory
    w.next()
    unblock()
    paint(w, 30)  # a stroke on image 1 also writes image 0
    assert stored(store_path, "0_astronaut.png") == painted
    assert LabelStore(store_path).read("0_astronaut.png").status == "done"
    assert w.save_error == ""
    assert w.status(0) == "done" and w._navigation["done"] == 1


def test_a_full_disk_is_reported_with_its_reason(folder, store_path, monkeypatch):
    w = session(folder, store_path)

    def full(source, target):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    with pytest.warns(StoreWarning, match="No space left on device"):
        painted = paint(w)
    monkeypatch.undo()
    assert "No space left on device" in w._sync_error
    w.save()
    assert stored(store_path, "0_astronaut.png") == painted


def test_a_save_into_a_linked_subfolder_is_refused_and_kept(tmp_path, store_path):
    (tmp_path / "photos" / "sub").mkdir(parents=True)
    shutil.copy(sample_image("cat"), tmp_path / "photos" / "sub" / "cat.png")
    outside = tmp_path / "outside"
    outside.mkdir()
    w = label_images(tmp_path / "photos", ["Thing"], store=store_path)
    (store_path / "sub").symlink_to(outside, target_is_directory=True)
    with pytest.warns(StoreWarning, match=r"sub/cat\.png: not saved: .*outside the store"):
        painted = paint(w)
    assert list(outside.iterdir()) == []
    assert w.value == painted.to_value()


# ------------------------------------------------------------------ set-asides, dot-files


def test_an_image_that_changes_size_twice_keeps_both_set_asides(folder, store_path):
    w = session(folder, store_path)
    first = paint(w, 5)
    w.next()
    shutil.copy(sample_image("coins"), folder / "0_astronaut.png")
    with pytest.warns(StoreWarning, match="now 384x303"):
        w.goto(0)
    second = paint(w, 60)
    w.next()
    shutil.copy(sample_image("cat"), folder / "0_astronaut.png")
    with pytest.warns(StoreWarning, match=r"now 451x300 .* set aside as 0_astronaut\.png\.bad-2"):
        w.goto(0)
    for name, painted in [
        ("0_astronaut.png.bad.json", first),
        ("0_astronaut.png.bad-2.json", second),
    ]:
        value = json.loads((store_path / name).read_text())
        value.pop("crowdseg")
        assert Annotation.from_value(value) == painted


def test_a_dot_file_image_is_shown_saved_counted_and_resumed(folder, store_path):
    shutil.copy(sample_image("coins"), folder / ".hidden.png")
    w = session(folder, store_path)
    assert w.image_keys[0] == ".hidden.png"
    paint(w)
    w.next()
    again = session(folder, store_path)
    assert again.status(0) == "done" and again.position == 1
    assert again.counts()["done"] == 1
    assert LabelStore(store_path).statuses()[0] == {".hidden.png": "done"}


def run_isolated(code: str) -> list[str]:
    """`code`'s output lines from a fresh interpreter: a hang is a timeout, not a hung suite."""
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                            text=True, timeout=60, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_a_fifo_in_the_image_list_is_left_out_by_name_never_a_hang(folder, store_path):
    os.mkfifo(folder / "fifo.png")
    keys, warned = run_isolated(f"""
        import warnings
        from crowdseg_widget.datasets.labeler import label_images
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            w = label_images([{str(folder / "fifo.png")!r}, {str(folder / "1_cat.png")!r}],
                             ["Thing"], store={str(store_path)!r})
        print(w.image_keys)
        print([str(c.message) for c in caught])
    """)
    assert keys == "['1_cat.png']"
    assert "fifo.png: left out: a FIFO, not a regular file" in warned


def test_a_fifo_swapped_in_during_the_session_is_passed_over(folder, store_path):
    key, warned = run_isolated(f"""
        import os, warnings
        from crowdseg_widget.datasets.labeler import label_images
        w = label_images({str(folder)!r}, ["Thing"], store={str(store_path)!r})
        os.unlink({str(folder / "1_cat.png")!r})
        os.mkfifo({str(folder / "1_cat.png")!r})
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            w.next()
        print(w.current_key)
        print([str(c.message) for c in caught])
    """)
    assert key == "2_coffee.png"
    assert "1_cat.png: cannot be shown (a FIFO, not a regular file)" in warned


def test_temporaries_are_named_after_the_session_process(folder, store_path, monkeypatch):
    names = []
    real = files.temporary_name

    def spy(target):
        path = real(target)
        names.append(path.name)
        return path

    monkeypatch.setattr(files, "temporary_name", spy)
    w = session(folder, store_path)
    paint(w)
    assert len(names) >= 2  # the PNG and the JSON (and the manifest)
    assert all(f".{os.getpid()}.{files.HOST}." in name for name in names)


def test_a_value_that_is_no_sagemaker_value_is_refused_and_never_retried(folder, store_path):
    w = session(folder, store_path)
    with pytest.raises(ValueError, match="instances"):
        w._store_value("1_cat.png", {"inputImageProperties": {"width": 512, "height": 512}},
                       "open")  # fmt: skip
    painted = paint(w)  # the next stroke is written, not blocked behind the bad one
    assert stored(store_path, "0_astronaut.png") == painted
    assert w.save_error == ""
