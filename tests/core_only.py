"""The core without Jupyter: run by `make test-core` in a venv holding only numpy, Pillow and
the package (installed --no-deps). Not a pytest module: it must run where pytest is absent.

It proves that such a venv, a training job's or a Lambda's, can decode a SageMaker value into
`label_map` and `masks`, encode an `Annotation` back to a value and use a label store; that
every module but the widget's imports; and that nothing of the Jupyter stack is loaded.
Exits 1 naming the first thing that is wrong.
"""

from __future__ import annotations

import base64
import importlib
import importlib.util
import io
import pkgutil
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

JUPYTER = ("anywidget", "ipywidgets", "traitlets", "IPython")
#: Modules that are the widget (they need the Jupyter stack); everything else is core.
WIDGET_MODULES = {
    "crowdseg_widget.widget",
    "crowdseg_widget.labels",
    "crowdseg_widget.datasets.labeler",
    "crowdseg_widget.assist.binding",  # the widget's side of assist: traits and messages
}


class CoreCheckError(Exception):
    pass


def check(condition: bool, what: str) -> None:
    if not condition:
        raise CoreCheckError(what)


def foreign_value() -> tuple[dict[str, object], np.ndarray]:
    """A SageMaker value whose PNG Pillow wrote (RGBA, as other tools do) and its id map."""
    ids = np.zeros((5, 7), np.uint8)
    ids[1:3, 1:4] = 1
    ids[3:5, 4:7] = 2
    colors = np.array([(0, 0, 0, 0), (0x2C, 0xA0, 0x2C, 255), (0x1F, 0x77, 0xB4, 255)], np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(colors[ids], "RGBA").save(buffer, "PNG")
    value = {
        "inputImageProperties": {"height": 5, "width": 7},
        "instances": [{"color": "#2ca02c", "label": "Cat"}, {"color": "#1f77b4", "label": "Dog"}],
        "labeledImage": {"pngImageData": base64.b64encode(buffer.getvalue()).decode("ascii")},
    }
    return value, ids


def check_the_venv_has_no_jupyter() -> None:
    present = [name for name in JUPYTER if importlib.util.find_spec(name) is not None]
    check(not present, f"this venv is not core-only: {present} can be imported")


def check_value_round_trip() -> None:
    from crowdseg_widget import Annotation

    value, ids = foreign_value()
    annotation = Annotation.from_value(value)
    check(np.array_equal(annotation.label_map, ids), "label_map differs from the PNG's pixels")
    check(annotation.labels == ["Cat", "Dog"], f"labels are {annotation.labels}")
    masks = annotation.masks
    check(masks.shape == (2, 5, 7), f"masks have shape {masks.shape}")
    check(all(np.array_equal(masks[i], ids == i + 1) for i in range(2)), "a mask is wrong")

    encoded = Annotation(ids, ["Cat", "Dog"]).to_value()
    check(encoded["inputImageProperties"] == {"height": 5, "width": 7}, "encoded size is wrong")
    check(encoded["instances"] == value["instances"], f"encoded {encoded['instances']}")
    png = base64.b64decode(encoded["labeledImage"]["pngImageData"])
    check(np.array_equal(np.asarray(Image.open(io.BytesIO(png))), ids), "encoded PNG's pixels")
    check(Annotation.from_value(encoded) == annotation, "the encoded value decodes differently")


def check_label_store() -> None:
    from crowdseg_widget import Annotation, LabelStore, load_store, sample_image

    value, ids = foreign_value()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "images"
        root.mkdir()
        Image.new("RGB", (7, 5), (90, 90, 90)).save(root / "one.png")
        store = LabelStore(Path(folder) / "labels", root=root)
        store.save("one.png", value, "done")
        loaded = [(path.name, annotation) for path, annotation in load_store(store.path)]
        check(loaded == [("one.png", Annotation(ids, ["Cat", "Dog"]))], f"store gave {loaded}")
    check(sample_image("cat").is_file(), "the sample photos are not in the package")


def check_every_core_module_imports() -> None:
    import crowdseg_widget

    for info in pkgutil.walk_packages(crowdseg_widget.__path__, "crowdseg_widget."):
        try:
            importlib.import_module(info.name)
        except ModuleNotFoundError as err:
            missing = (err.name or "").partition(".")[0]
            is_widget = info.name in WIDGET_MODULES
            check(is_widget or missing not in JUPYTER, f"{info.name} needs {missing}")
            if missing not in JUPYTER:
                print(f"  {info.name}: needs the optional {missing} (not core)")
        else:
            check(info.name not in WIDGET_MODULES, f"{info.name} imported without Jupyter?")


def check_the_widget_names_say_what_is_missing() -> None:
    import crowdseg_widget

    check("InstanceSegmentation" in dir(crowdseg_widget), "dir() does not list the widget")
    try:
        crowdseg_widget.InstanceSegmentation  # noqa: B018
    except ModuleNotFoundError as err:
        check("Jupyter widget" in str(err) and err.name in JUPYTER, f"unclear error: {err}")
    else:
        raise CoreCheckError("InstanceSegmentation loaded without the Jupyter stack")


def main() -> int:
    steps = [
        check_the_venv_has_no_jupyter,
        check_value_round_trip,
        check_label_store,
        check_every_core_module_imports,
        check_the_widget_names_say_what_is_missing,
    ]
    try:
        for step in steps:
            step()
            print(f"ok {step.__name__}")
        loaded = sorted(name for name in JUPYTER if name in sys.modules)
        check(not loaded, f"{loaded} were imported")
    except CoreCheckError as failure:
        print(f"core-only check FAILED: {failure}", file=sys.stderr)
        return 1
    print("core-only: decode, encode and the label store work with numpy and Pillow alone")
    return 0


if __name__ == "__main__":
    sys.exit(main())
