"""Every SageMaker value and initial-value form, and the errors for bad ones."""

import base64

import numpy as np
import pytest

from crowdseg_widget import Annotation


@pytest.fixture
def ann() -> Annotation:
    label_map = np.zeros((5, 7), np.uint8)
    label_map[1:4, 1:3] = 1
    label_map[2:5, 4:7] = 2
    return Annotation(label_map, ["Cat", "Dog"])


def png_bytes(ann: Annotation) -> bytes:
    return base64.b64decode(ann.to_value()["labeledImage"]["pngImageData"])


def test_to_value_is_the_sagemaker_output_shape(ann):
    value = ann.to_value()
    assert set(value) == {"inputImageProperties", "instances", "labeledImage"}
    assert value["inputImageProperties"] == {"height": 5, "width": 7}
    assert value["instances"] == [
        {"color": "#2ca02c", "label": "Cat"},
        {"color": "#1f77b4", "label": "Dog"},
    ]
    assert not value["labeledImage"]["pngImageData"].startswith("data:")


@pytest.mark.parametrize("form", ["data_url", "base64", "bytes", "path", "path_str"])
def test_initial_value_src_accepts_every_png_form(ann, form, tmp_path):
    png = png_bytes(ann)
    path = tmp_path / "prior.png"
    path.write_bytes(png)
    src = {
        "data_url": "data:image/png;base64," + base64.b64encode(png).decode(),
        "base64": base64.b64encode(png).decode(),
        "bytes": png,
        "path": path,
        "path_str": str(path),
    }[form]
    assert Annotation.from_value({"instances": ann.instances, "src": src}) == ann


def test_output_wrapped_in_its_name_is_accepted(ann):
    assert Annotation.from_value({"annotatedResult": ann.to_value()}) == ann


def test_semantic_label_mappings_form_gives_one_instance_per_label(ann):
    value = {
        "labelMappings": {"Cat": {"color": "#2ca02c"}, "Dog": {"color": "#1f77b4"}},
        "src": png_bytes(ann),
    }
    assert Annotation.from_value(value) == ann


def test_declared_size_must_match_the_png(ann):
    value = ann.to_value()
    value["inputImageProperties"] = {"height": 5, "width": 8}
    with pytest.raises(ValueError, match="PNG is 7x5 but the image is 8x5"):
        Annotation.from_value(value)


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        ([1, 2], TypeError, "must be a dict"),
        ({"src": "x"}, ValueError, "neither 'instances' nor 'labelMappings'"),
        ({"instances": "Cat", "src": "x"}, TypeError, "must be a list"),
        ({"instances": [{"label": "Cat"}], "src": "x"}, ValueError, "'color'"),
        ({"instances": []}, ValueError, "has no PNG"),
        ({"instances": [], "src": "@@@not base64@@@"}, ValueError, "neither a data URL"),
        ({"instances": [], "src": "missing.png"}, ValueError, "file not found"),
        ({"instances": [], "src": "data:image/png,abc"}, ValueError, "must be Base64"),
        ({"instances": [], "src": 42}, TypeError, "data URL, Base64 text, a path or bytes"),
        ({"instances": [], "labeledImage": "x"}, ValueError, "pngImageData"),
        ({"instances": [{"color": "#2ca02c", "label": ""}], "src": b""}, ValueError, "empty"),
    ],
)
def test_bad_values_raise_errors_that_name_the_problem(value, error, match):
    with pytest.raises(error, match=match):
        Annotation.from_value(value)


def test_duplicate_instance_colors_are_rejected_before_decoding(ann):
    value = ann.to_value()
    value["instances"][1]["color"] = "#2ca02c"
    with pytest.raises(ValueError, match="#2ca02c is used twice"):
        Annotation.from_value(value)
