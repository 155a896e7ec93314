"""The label store: layout, atomic writes, reading back, problems reported by name."""

import base64
import hashlib
import json
import os
import shutil

import numpy as np
import pytest
from PIL import Image

from crowdseg_widget import Annotation, sample_image
from crowdseg_widget.datasets.files import write_atomic
from crowdseg_widget.datasets.store import (
    MANIFEST,
    LabelStore,
    StoreError,
    StoreWarning,
    load_store,
)


@pytest.fixture
def images(tmp_path):
    """Two `cat.png` in different folders and one coffee photo."""
    root = tmp_path / "images"
    for name, folder in [("cat", "a"), ("cat", "b"), ("coffee", "a")]:
        (root / folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(sample_image(name), root / folder / f"{name}.png")
    return root


@pytest.fixture
def store(tmp_path, images):
    return LabelStore(tmp_path / "labels", root=images)


def cat_annotation(x0=10, label="Cat"):
    label_map = np.zeros((300, 451), np.uint8)
    label_map[20:40, x0 : x0 + 30] = 1
    return Annotation(label_map, [label])


def test_a_saved_value_is_a_sagemaker_json_and_the_same_png_beside_it(store):
    value = cat_annotation().to_value()
    store.save("a/cat.png", value, "done")
    record = json.loads((store.path / "a" / "cat.png.json").read_text())
    png = (store.path / "a" / "cat.png.png").read_bytes()
    assert png == base64.b64decode(value["labeledImage"]["pngImageData"])  # bytes, not re-encoded
    assert record.pop("crowdseg") == {"image": "a/cat.png", "status": "done",
                                      "png_sha256": hashlib.sha256(png).hexdigest()}  # fmt: skip
    assert record == value
    ids = np.asarray(Image.open(store.path / "a" / "cat.png.png"))
    assert (ids == cat_annotation().label_map).all()


def test_images_with_the_same_name_in_two_folders_stay_apart(store, images):
    assert store.key(images / "a" / "cat.png") == "a/cat.png"
    assert store.key(images / "b" / "cat.png") == "b/cat.png"
    store.save("a/cat.png", cat_annotation(10).to_value())
    store.save("b/cat.png", cat_annotation(200).to_value())
    assert store.stored_keys() == ["a/cat.png", "b/cat.png"]
    a, b = store.read("a/cat.png"), store.read("b/cat.png")
    assert store.decode(a) == cat_annotation(10)
    assert store.decode(b) == cat_annotation(200)


def test_an_image_outside_the_root_is_refused_by_name(store, tmp_path):
    with pytest.raises(ValueError, match=r"elsewhere\.png is not inside the store's root"):
        store.key(tmp_path / "elsewhere.png")


def test_the_manifest_remembers_root_and_labels(store, images):
    store.set_labels(["Cat", "Dog"])
    again = LabelStore(store.path)
    assert again.root == images.resolve()
    assert again.labels == ["Cat", "Dog"]
    assert json.loads((store.path / MANIFEST).read_text())["format"] == "crowdseg-store"


def test_a_folder_without_a_manifest_is_not_a_store(tmp_path):
    with pytest.raises(StoreError, match="is not a label store"):
        LabelStore(tmp_path)


def test_a_crash_between_write_and_rename_leaves_the_previous_file(store, monkeypatch):
    store.save("a/cat.png", cat_annotation(10).to_value(), "open")
    before_json = store.json_path("a/cat.png").read_bytes()
    before_png = store.png_path("a/cat.png").read_bytes()

    def crash(src, dst):
        raise KeyboardInterrupt("killed between write and rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        store.save("a/cat.png", cat_annotation(300).to_value(), "done")
    monkeypatch.undo()
    assert store.json_path("a/cat.png").read_bytes() == before_json
    assert store.png_path("a/cat.png").read_bytes() == before_png
    assert store.decode(store.read("a/cat.png")) == cat_annotation(10)
    assert sorted(p.name for p in (store.path / "a").iterdir()) == ["cat.png.json", "cat.png.png"]


def test_a_temporary_file_left_by_a_killed_process_is_not_an_entry(store):
    store.save("a/cat.png", cat_annotation().to_value())
    (store.path / "a" / ".coffee.png.json.1234abcd.tmp").write_text('{"inputImage')
    (store.path / "a" / ".cat.png.json.99.tmp").write_text("{")
    assert store.stored_keys() == ["a/cat.png"]


def test_write_atomic_replaces_the_whole_file(tmp_path):
    target = tmp_path / "deep" / "file.bin"
    write_atomic(target, b"first, longer content")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["file.bin"]


def test_load_store_yields_done_images_with_their_annotations(store, images):
    store.save("a/cat.png", cat_annotation(10).to_value(), "done")
    store.save("b/cat.png", cat_annotation(50).to_value(), "open")
    store.save("a/coffee.png", Annotation.empty(600, 400).to_value(), "skipped")
    pairs = list(load_store(store.path))
    assert [(p, a) for p, a in pairs] == [(images.resolve() / "a" / "cat.png", cat_annotation(10))]
    everything = dict(load_store(store.path, statuses=("done", "open", "skipped")))
    assert everything[images.resolve() / "b" / "cat.png"] == cat_annotation(50)
    assert everything[images.resolve() / "a" / "coffee.png"].num_instances == 0


def test_a_deleted_image_is_reported_by_name_and_the_rest_still_load(store, images):
    store.save("a/cat.png", cat_annotation(10).to_value(), "done")
    store.save("b/cat.png", cat_annotation(60).to_value(), "done")
    (images / "a" / "cat.png").unlink()
    with pytest.warns(StoreWarning, match=r"a/cat\.png: the image is gone"):
        pairs = list(load_store(store.path))
    assert [a for _, a in pairs] == [cat_annotation(60)]
    with pytest.raises(StoreError, match=r"a/cat\.png: the image is gone"):
        list(load_store(store.path, strict=True))


def test_a_corrupted_json_is_reported_by_its_file_name(store):
    store.save("a/cat.png", cat_annotation().to_value(), "done")
    store.save("b/cat.png", cat_annotation(80).to_value(), "done")
    path = store.json_path("b/cat.png")
    path.write_bytes(path.read_bytes()[:100])  # torn by something that is not us
    with pytest.warns(StoreWarning, match=r"b/cat\.png\.json: not valid JSON"):
        pairs = list(load_store(store.path))
    assert [a for _, a in pairs] == [cat_annotation()]
    statuses, problems = store.statuses()
    assert statuses == {"a/cat.png": "done"}
    assert [p.name for p in problems] == ["b/cat.png"]


def test_a_json_that_is_no_sagemaker_value_is_reported(store):
    store.json_path("a/cat.png").parent.mkdir(parents=True)
    store.json_path("a/cat.png").write_text('{"instances": [], "crowdseg": {"status": "done"}}')
    with pytest.raises(StoreError, match=r"cat\.png\.json: not a SageMaker value"):
        store.read("a/cat.png")


@pytest.mark.parametrize(
    "size", [{"width": 451.0, "height": 300.0}, {"width": np.int64(451), "height": np.uint16(300)}]
)
def test_whole_float_and_numpy_sizes_are_stored_as_json_integers(store, size):
    value = {**cat_annotation().to_value(), "inputImageProperties": size}
    store.save("a/cat.png", value, "done")
    record = json.loads(store.json_path("a/cat.png").read_text())
    assert record["inputImageProperties"] == {"height": 300, "width": 451}
    assert all(type(n) is int for n in record["inputImageProperties"].values())
    assert [a for _, a in load_store(store.path)] == [cat_annotation()]


@pytest.mark.parametrize(
    "size", [{"width": 451.5, "height": 300}, {"width": True, "height": 300},
             {"width": "451", "height": 300}, {"width": 451, "height": 0}, {"width": 451}]
)  # fmt: skip
def test_the_store_refuses_the_sizes_from_value_refuses(store, size):
    value = {**cat_annotation().to_value(), "inputImageProperties": size}
    rule = r"'inputImageProperties' must be \{'height': H, 'width': W\} with positive integers"
    with pytest.raises(ValueError, match=rule):
        Annotation.from_value(value)
    with pytest.raises(ValueError, match=rule):
        store.save("a/cat.png", value, "done")
    store.json_path("a/cat.png").parent.mkdir(parents=True, exist_ok=True)
    store.json_path("a/cat.png").write_text(json.dumps(value))
    with pytest.raises(StoreError, match=rf"cat\.png\.json: not a SageMaker value \({rule}"):
        store.read("a/cat.png")
    assert not store.png_path("a/cat.png").exists()  # refused before anything was written


def test_an_image_that_changed_size_is_reported(store, images):
    store.save("a/cat.png", cat_annotation().to_value(), "done")
    Image.open(sample_image("coins")).save(images / "a" / "cat.png")
    now = r"a/cat\.png: the image is now 384x303 but was labeled at 451x300"
    with pytest.warns(StoreWarning, match=now):
        assert list(load_store(store.path)) == []


def test_an_image_that_cannot_be_read_is_reported(store, images):
    store.save("a/cat.png", cat_annotation().to_value(), "done")
    (images / "a" / "cat.png").write_bytes(b"not a png at all")
    with pytest.warns(StoreWarning, match=r"a/cat\.png: the image cannot be read"):
        assert list(load_store(store.path)) == []


def test_an_unknown_status_is_refused(store):
    with pytest.raises(ValueError, match="unknown status 'finished'"):
        store.save("a/cat.png", cat_annotation().to_value(), "finished")  # type: ignore[arg-type]


def test_set_aside_keeps_the_files_under_another_name(store):
    store.save("a/cat.png", cat_annotation().to_value(), "done")
    moved = store.set_aside("a/cat.png")
    assert sorted(p.name for p in moved) == ["cat.png.bad.json", "cat.png.bad.png"]
    assert store.stored_keys() == []
    assert store.read("a/cat.png") is None


# ------------------------------------------------------------------ COCO export


def test_export_coco_writes_the_done_images_and_pycocotools_reads_them_back(store, tmp_path):
    from pycocotools.coco import COCO

    from crowdseg_widget import export_coco

    store.set_labels(["Cat", "Collar"])
    collar = np.zeros((300, 451), bool)
    collar[50:55, 60:65] = True
    two = cat_annotation(10).with_instance("Collar", "#1f77b4", collar)
    store.save("a/cat.png", two.to_value(), "done")
    store.save("b/cat.png", cat_annotation(200).to_value(), "done")
    store.save("a/coffee.png", Annotation.empty(600, 400).to_value(), "skipped")
    out = tmp_path / "coco.json"
    coco = export_coco(store.path, out)
    assert json.loads(out.read_text()) == coco
    assert coco["categories"] == [{"id": 1, "name": "Cat", "supercategory": ""},
                                  {"id": 2, "name": "Collar", "supercategory": ""}]  # fmt: skip
    assert [(i["id"], i["file_name"], i["width"], i["height"]) for i in coco["images"]] == [
        (1, "a/cat.png", 451, 300),
        (2, "b/cat.png", 451, 300),
    ]
    api = COCO(str(out))
    anns = api.loadAnns(api.getAnnIds(imgIds=[1]))
    assert [(a["id"], a["category_id"], a["area"]) for a in anns] == [(1, 1, 600), (2, 2, 25)]
    assert (api.annToMask(anns[0]).astype(bool) == (two.label_map == 1)).all()
    assert (api.annToMask(anns[1]).astype(bool) == (two.label_map == 2)).all()
    (second,) = api.loadAnns(api.getAnnIds(imgIds=[2]))
    assert second["id"] == 3
    assert (api.annToMask(second).astype(bool) == (cat_annotation(200).label_map == 1)).all()


def test_export_coco_appends_a_stored_label_that_is_not_a_choice(store, tmp_path):
    from crowdseg_widget import export_coco

    store.set_labels(["Cat"])
    store.save("a/cat.png", cat_annotation(label="Tiger").to_value(), "done")
    coco = export_coco(store, tmp_path / "coco.json")
    assert [c["name"] for c in coco["categories"]] == ["Cat", "Tiger"]
    assert coco["annotations"][0]["category_id"] == 2


def test_export_coco_reports_a_problem_by_name_and_exports_the_rest(store, images, tmp_path):
    from crowdseg_widget import export_coco

    store.save("a/cat.png", cat_annotation().to_value(), "done")
    store.save("b/cat.png", cat_annotation().to_value(), "done")
    (images / "b" / "cat.png").unlink()
    with pytest.warns(StoreWarning, match=r"b/cat\.png: the image is gone"):
        coco = export_coco(store.path, tmp_path / "coco.json")
    assert [i["file_name"] for i in coco["images"]] == ["a/cat.png"]
    with pytest.raises(StoreError, match=r"b/cat\.png"):
        export_coco(store.path, tmp_path / "strict.json", strict=True)
    assert not (tmp_path / "strict.json").exists()


def test_export_coco_shows_a_progress_bar_and_works_without_tqdm(
    store, tmp_path, capsys, monkeypatch
):
    import importlib

    from crowdseg_widget import export_coco

    store.save("a/cat.png", cat_annotation().to_value(), "done")
    export_coco(store.path, tmp_path / "coco.json", progress=True)
    assert "COCO export" in capsys.readouterr().err
    real = importlib.import_module

    def without_tqdm(name, *args):
        if name.startswith("tqdm"):
            raise ImportError(f"No module named {name!r}")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", without_tqdm)
    coco = export_coco(store.path, tmp_path / "plain.json", progress=True)
    assert capsys.readouterr().err == ""
    assert len(coco["annotations"]) == 1
