"""The store never loses, never escapes, never hangs: set-asides numbered, dot-files listed,
no write outside the store's real folder, only regular files read, durable renames,
temporaries of dead writers removed, the PNG checked against its JSON."""

import json
import os
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from crowdseg_widget import Annotation, sample_image
from crowdseg_widget.datasets import files
from crowdseg_widget.datasets import store as store_module
from crowdseg_widget.datasets.files import HOST, temporary_name, write_atomic
from crowdseg_widget.datasets.store import (
    LabelStore,
    StoreError,
    StoreWarning,
    StoreWriteError,
    load_store,
)
from crowdseg_widget.formats.sagemaker import labeled_png


@pytest.fixture
def images(tmp_path):
    root = tmp_path / "images"
    (root / "sub").mkdir(parents=True)
    for name in ("cat.png", ".hidden.png", "sub/cat.png"):
        (root / name).write_bytes(sample_image("cat").read_bytes())
    return root


@pytest.fixture
def store(tmp_path, images):
    return LabelStore(tmp_path / "labels", root=images)


def cat(x0=10):
    label_map = np.zeros((300, 451), np.uint8)
    label_map[20:40, x0 : x0 + 30] = 1
    return Annotation(label_map, ["Cat"])


def run_isolated(code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter: a hang is a timeout here, never a hung suite."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


# ------------------------------------------------------------------ 3. set-asides


def test_a_second_set_aside_never_replaces_the_first(store):
    store.save("cat.png", cat(10).to_value(), "done")
    first = store.set_aside("cat.png")
    store.save("cat.png", cat(200).to_value(), "done")
    second = store.set_aside("cat.png")
    store.save("cat.png", cat(300).to_value(), "done")
    third = store.set_aside("cat.png")
    assert [p.name for p in first] == ["cat.png.bad.json", "cat.png.bad.png"]
    assert [p.name for p in second] == ["cat.png.bad-2.json", "cat.png.bad-2.png"]
    assert [p.name for p in third] == ["cat.png.bad-3.json", "cat.png.bad-3.png"]
    for moved, x0 in [(first, 10), (second, 200), (third, 300)]:
        value = json.loads(moved[0].read_text())
        value.pop("crowdseg")
        assert Annotation.from_value(value) == cat(x0)
    assert store.stored_keys() == []


def test_a_pair_keeps_one_number_even_when_only_its_png_name_is_taken(store):
    (store.path / "cat.png.bad.png").write_bytes(b"an older set-aside PNG")
    store.save("cat.png", cat().to_value())
    moved = store.set_aside("cat.png")
    assert [p.name for p in moved] == ["cat.png.bad-2.json", "cat.png.bad-2.png"]
    assert (store.path / "cat.png.bad.png").read_bytes() == b"an older set-aside PNG"


# ------------------------------------------------------------------ 4. dot-files


def test_a_dot_file_image_is_listed_loaded_and_exported(store, images, tmp_path):
    from crowdseg_widget import export_coco

    store.save(".hidden.png", cat(10).to_value(), "done")
    store.save("sub/cat.png", cat(50).to_value(), "done")
    assert store.stored_keys() == [".hidden.png", "sub/cat.png"]
    assert store.statuses() == ({".hidden.png": "done", "sub/cat.png": "done"}, [])
    assert [p.name for p, _ in load_store(store.path)] == [".hidden.png", "cat.png"]
    coco = export_coco(store.path, tmp_path / "coco.json")
    assert [image["file_name"] for image in coco["images"]] == [".hidden.png", "sub/cat.png"]


def test_only_the_stores_own_files_are_not_entries(store):
    store.save("cat.png", cat().to_value())
    store.set_aside("cat.png")
    store.save("cat.png", cat().to_value())
    (store.path / f".cat.png.json.{os.getpid()}.{HOST}.0123abcd.tmp").write_text("{")
    store.save(".cat.png", cat().to_value())
    assert store.stored_keys() == [".cat.png", "cat.png"]


# ------------------------------------------------------------------ 5. nothing outside


@pytest.fixture
def linked(store, tmp_path):
    """The store's subfolder `sub` is a link to a folder outside the store."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (store.path / "sub").symlink_to(outside, target_is_directory=True)
    return outside


def test_a_save_through_a_linked_subfolder_is_refused_before_anything_is_written(store, linked):
    with pytest.raises(StoreWriteError, match=r"sub/cat\.png: not saved: .*outside the store"):
        store.save("sub/cat.png", cat().to_value(), "done")
    with pytest.raises(StoreWriteError, match="outside the store"):
        store.save("sub/deeper/cat.png", cat().to_value(), "done")
    assert list(linked.iterdir()) == []  # not even a folder or a temporary


def test_a_key_that_climbs_out_is_refused(store, tmp_path):
    with pytest.raises(StoreWriteError, match=r"'\.\./escaped\.png' is not a key"):
        store.save("../escaped.png", cat().to_value())
    assert not (tmp_path / "escaped.png.json").exists()


def test_a_linked_subfolder_is_named_not_read_through(store, linked):
    (linked / "cat.png.json").write_text("{}")
    keys, problems = store.statuses()
    assert keys == {}
    assert [str(p) for p in problems] == [
        f"sub: a link to the folder {linked.resolve()}: its entries are not read, "
        "and nothing is written through it"
    ]
    with pytest.warns(StoreWarning, match="sub: a link to the folder"):
        assert list(load_store(store.path)) == []


def test_a_set_aside_through_a_linked_subfolder_is_refused(store, linked):
    (linked / "cat.png.json").write_text("{}")
    with pytest.raises(StoreWriteError, match="outside the store"):
        store.set_aside("sub/cat.png")
    assert sorted(p.name for p in linked.iterdir()) == ["cat.png.json"]


# ------------------------------------------------------------------ 6. regular files only


def test_a_fifo_or_a_device_as_an_entry_is_named_never_a_hang(store):
    os.mkfifo(store.path / "fifo.png.json")
    (store.path / "zero.png.json").symlink_to("/dev/zero")
    result = run_isolated(f"""
        import warnings
        from crowdseg_widget.datasets.store import LabelStore, load_store
        store = LabelStore({str(store.path)!r})
        print(store.statuses()[1])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            print(list(load_store({str(store.path)!r})))
        print([str(w.message) for w in caught])
    """)
    assert result.returncode == 0, result.stderr
    statuses, loaded, warned = result.stdout.splitlines()
    assert "fifo.png.json: refused (a FIFO, not a regular file)" in statuses
    assert "zero.png.json: refused (a character device, not a regular file)" in statuses
    assert loaded == "[]"
    assert "a FIFO, not a regular file" in warned and "a character device" in warned


def test_an_entry_over_the_size_cap_is_refused_by_name(store, monkeypatch):
    store.save("cat.png", cat().to_value())
    monkeypatch.setattr(store_module, "JSON_LIMIT", 100)
    with pytest.raises(StoreError, match=r"cat\.png\.json: refused \(larger than the 100-byte"):
        store.read("cat.png")


def test_a_fifo_where_the_image_should_be_is_named_never_a_hang(store, images):
    store.save("cat.png", cat().to_value(), "done")
    (images / "cat.png").unlink()
    os.mkfifo(images / "cat.png")
    result = run_isolated(f"""
        from crowdseg_widget.datasets.store import LabelStore
        store = LabelStore({str(store.path)!r})
        try:
            store.decode(store.read("cat.png"))
        except Exception as err:
            print(err)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "cat.png: the image a FIFO, not a regular file"


def test_a_manifest_that_is_a_fifo_is_named(store):
    manifest = store.path / "crowdseg-store.json"
    manifest.unlink()
    os.mkfifo(manifest)
    result = run_isolated(f"""
        from crowdseg_widget.datasets.store import LabelStore
        try:
            LabelStore({str(store.path)!r})
        except Exception as err:
            print(err)
    """)
    assert "the store's manifest cannot be read (a FIFO, not a regular file)" in result.stdout


# ------------------------------------------------------------------ 8. the PNG follows the JSON


def test_the_json_records_the_sha256_of_the_png_beside_it(store):
    import hashlib

    store.save("cat.png", cat().to_value())
    record = json.loads(store.json_path("cat.png").read_text())
    png = store.png_path("cat.png").read_bytes()
    assert record["crowdseg"]["png_sha256"] == hashlib.sha256(png).hexdigest()


def test_load_store_rewrites_a_png_that_is_not_its_jsons(store):
    store.save("cat.png", cat(10).to_value(), "done")
    right = store.png_path("cat.png").read_bytes()
    store.png_path("cat.png").write_bytes(labeled_png(cat(200).to_value()))
    [(_, annotation)] = load_store(store.path)
    assert annotation == cat(10)
    assert store.png_path("cat.png").read_bytes() == right


def test_a_png_that_cannot_be_rewritten_is_reported_and_the_json_still_read(store, monkeypatch):
    store.save("cat.png", cat(10).to_value(), "done")
    store.png_path("cat.png").write_bytes(b"stale")

    def refuse(path, data):
        raise OSError(30, "Read-only file system", str(path))

    monkeypatch.setattr(store_module, "write_atomic", refuse)
    with pytest.warns(StoreWarning, match=r"cat\.png: its PNG could not be rewritten"):
        [(_, annotation)] = load_store(store.path)
    assert annotation == cat(10)


# ------------------------------------------------------------------ 9. durability


def test_the_folder_is_fsynced_after_the_rename(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor):
        events.append(
            "fsync folder" if os.path.isdir(f"/proc/self/fd/{descriptor}") else "fsync file"
        )
        real_fsync(descriptor)

    def replace(source, target):
        events.append("rename")
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    (tmp_path / "folder").mkdir()
    write_atomic(tmp_path / "folder" / "file.bin", b"data")
    assert events == ["fsync file", "rename", "fsync folder"]


def test_new_folders_are_made_durable_in_their_parents(tmp_path, monkeypatch):
    synced = []
    monkeypatch.setattr(files, "fsync_folder", lambda folder: synced.append(folder))
    write_atomic(tmp_path / "a" / "b" / "file.bin", b"data")
    assert synced == [tmp_path, tmp_path / "a", tmp_path / "a" / "b"]


def test_a_temporary_is_named_after_its_writer(tmp_path):
    name = temporary_name(tmp_path / "cat.png.json").name
    assert name.startswith(f".cat.png.json.{os.getpid()}.{HOST}.")
    assert name.endswith(".tmp")


def test_opening_a_store_removes_the_temporaries_of_dead_writers_only(store):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        folder = store.path / "sub"
        folder.mkdir()
        names = {
            "dead": f".cat.png.json.{dead}.{HOST}.0123abcd.tmp",
            "alive": f".cat.png.json.{alive.pid}.{HOST}.0123abcd.tmp",
            "mine": f".cat.png.png.{os.getpid()}.{HOST}.0123abcd.tmp",
            "other host": f".cat.png.json.{dead}.another-host.0123abcd.tmp",
            "old, other host": f".cat.png.png.{dead}.another-host.0123abcd.tmp",
            "old, unnamed writer": ".cat.png.json.1a2b3c4d.tmp",
            "not a temporary": "notes.tmp",
        }
        for name in names.values():
            (folder / name).write_text("{")
        day_ago = time.time() - 25 * 3600
        for old in ("old, other host", "old, unnamed writer", "not a temporary"):
            os.utime(folder / names[old], (day_ago, day_ago))
        LabelStore(store.path)
        left = sorted(p.name for p in folder.iterdir())
        kept = ("alive", "mine", "other host", "not a temporary")
        assert left == sorted(names[k] for k in kept)
    finally:
        alive.kill()
        alive.wait()


def test_a_set_aside_link_stays_a_link_and_its_target_is_untouched(store, tmp_path):
    outside = tmp_path / "outside.json"
    outside.write_text("{}")
    store.json_path("cat.png").symlink_to(outside)
    [moved] = store.set_aside("cat.png")
    assert moved.is_symlink() and moved.readlink() == outside
    assert outside.stat().st_nlink == 1 and outside.read_text() == "{}"
