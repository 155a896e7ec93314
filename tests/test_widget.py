"""The widget's Python API: traits, value, lazy decoding, initial values, bad input."""

import numpy as np
import pytest
import traitlets

from crowdseg_widget import Annotation, InstanceSegmentation, sample_image


@pytest.fixture
def widget() -> InstanceSegmentation:
    return InstanceSegmentation(sample_image("cat"), labels=["Cat", "Dog"], header="Label pets")


def painted(widget: InstanceSegmentation) -> Annotation:
    label_map = np.zeros((widget.image_height, widget.image_width), np.uint8)
    label_map[10:20, 30:50] = 1
    label_map[100:150, 200:260] = 2
    return Annotation(label_map, ["Cat", "Dog"])


def test_new_widget_has_an_empty_sagemaker_value_of_the_image_size(widget):
    assert (widget.image_width, widget.image_height) == (451, 300)
    assert widget.value["inputImageProperties"] == {"height": 300, "width": 451}
    assert widget.value["instances"] == []
    assert widget.masks.shape == (0, 300, 451)
    assert not widget.label_map.any()


def test_output_is_keyed_by_name(widget):
    assert widget.output == {"annotatedResult": widget.value}
    widget.name = "pets"
    assert widget.output == {"pets": widget.value}


def test_local_image_is_synced_as_binary_bytes_not_base64(widget):
    state = widget.get_state()
    assert isinstance(state["_image_data"], (bytes, memoryview))
    assert bytes(state["_image_data"]) == sample_image("cat").read_bytes()
    assert state["_image_mime"] == "image/png"


@pytest.mark.parametrize("labels", ['["Cat", "Dog"]', "['Cat', 'Dog']", ("Cat", "Dog")])
def test_labels_accept_the_templates_string_forms(labels):
    widget = InstanceSegmentation(sample_image("cat"), labels=labels)
    assert widget.labels == ["Cat", "Dog"]


def test_labels_can_be_reassigned_and_are_synced(widget):
    widget.labels = "['Cat', 'Dog', 'Bird']"
    assert widget.labels == ["Cat", "Dog", "Bird"]
    assert widget.get_state("labels")["labels"] == ["Cat", "Dog", "Bird"]


@pytest.mark.parametrize(
    ("labels", "error", "match"),
    [
        ([], ValueError, "must not be empty"),
        (["Cat", ""], ValueError, "empty strings"),
        (["Cat", "Cat"], ValueError, "unique"),
        ("Cat, Dog", ValueError, "not a list"),
        (["Cat", 1], TypeError, "not a string"),
        (3, TypeError, "list of strings"),
    ],
)
def test_bad_labels_are_rejected_with_a_clear_message(labels, error, match):
    with pytest.raises(error, match=match):
        InstanceSegmentation(sample_image("cat"), labels=labels)


def test_browser_value_is_decoded_lazily_and_cached_per_value(widget):
    ann = painted(widget)
    widget.set_state({"value": ann.to_value()})  # what a save from the browser does
    assert widget.annotation == ann
    assert widget.annotation is widget.annotation
    assert widget.masks.sum(axis=(1, 2)).tolist() == [200, 3000]
    first = widget.annotation
    widget.set_state({"value": Annotation.empty(451, 300).to_value()})
    assert widget.annotation is not first and widget.masks.shape == (0, 300, 451)


def test_value_trait_is_not_echoed_back_to_the_browser():
    assert InstanceSegmentation.value.metadata["echo_update"] is False


def test_initial_value_is_the_starting_annotation(widget):
    ann = painted(widget)
    png = ann.to_value()["labeledImage"]["pngImageData"]
    start = InstanceSegmentation(
        sample_image("cat"),
        labels=["Cat", "Dog"],
        initial_value={"instances": ann.instances, "src": png},
    )
    assert start.annotation == ann
    assert start.initial_annotation == ann


def test_initial_value_of_the_wrong_size_is_rejected():
    small = Annotation(np.zeros((10, 10), np.uint8), [])
    with pytest.raises(ValueError, match="PNG is 10x10 but the image is 451x300"):
        InstanceSegmentation(sample_image("cat"), labels=["Cat"], initial_value=small.to_value())


def test_set_annotation_replaces_the_value_and_checks_the_size(widget):
    ann = painted(widget)
    widget.annotation = ann
    assert widget.value == ann.to_value()
    with pytest.raises(ValueError, match="annotation is 3x3 but the image is 451x300"):
        widget.set_annotation(Annotation(np.zeros((3, 3), np.uint8), []))
    with pytest.raises(TypeError, match="expected an Annotation"):
        widget.set_annotation(ann.to_value())


def test_url_src_has_no_annotation_until_the_browser_reports_the_size():
    widget = InstanceSegmentation("https://example.org/cat.jpg", labels=["Cat"])
    assert widget.value == {} and widget.get_state("_image_url")["_image_url"].startswith("https")
    with pytest.raises(ValueError, match="image size is unknown"):
        _ = widget.masks
    widget.set_state({"image_width": 4, "image_height": 3})
    widget.set_state({"value": Annotation.empty(4, 3).to_value()})
    assert widget.masks.shape == (0, 3, 4)


def test_bad_src_is_rejected_before_anything_is_displayed():
    with pytest.raises(ValueError, match="image file not found"):
        InstanceSegmentation("nope.jpg", labels=["Cat"])


def test_oversized_image_warns_about_the_message_limit(monkeypatch):
    import crowdseg_widget.widget as widget_module

    monkeypatch.setattr(widget_module, "MESSAGE_LIMIT", 1000)
    with pytest.warns(UserWarning, match="10 MiB message limit"):
        InstanceSegmentation(sample_image("cat"), labels=["Cat"])


def test_a_value_the_browser_could_not_send_is_reported_when_reading(widget):
    widget.set_state({"_sync_error": "the painting is 12.0 MiB, over the 10 MiB limit"})
    with pytest.warns(UserWarning, match="could not send the latest painting .the painting is 12"):
        _ = widget.masks


def test_initial_value_in_the_semantic_shape_with_a_ground_truth_white_png():
    import io

    from PIL import Image

    class_ids = np.zeros((300, 451), np.uint8)
    class_ids[50:100, 60:160] = 1
    class_ids[200:220, 300:400] = 2
    consolidated = Image.fromarray(class_ids, "P")  # Ground Truth: white background
    consolidated.putpalette([255, 255, 255, 44, 160, 44, 31, 119, 180])
    buffer = io.BytesIO()
    consolidated.save(buffer, "PNG")
    widget = InstanceSegmentation(
        sample_image("cat"),
        labels=["Cat", "Dog"],
        initial_value={
            "labelMappings": {"Cat": {"color": "#2ca02c"}, "Dog": {"color": "#1f77b4"}},
            "src": buffer.getvalue(),
        },
    )
    assert widget.annotation.labels == ["Cat", "Dog"]
    assert widget.masks.sum(axis=(1, 2)).tolist() == [5000, 2000]
    assert np.array_equal(widget.label_map, class_ids)


@pytest.mark.parametrize("key", ["header", "name", "short_instructions", "full_instructions"])
def test_text_attributes_must_be_strings(key):
    with pytest.raises(TypeError, match=f"{key} must be a string, got int"):
        InstanceSegmentation(sample_image("cat"), labels=["Cat"], **{key: 3})


def test_set_image_shows_another_image_with_its_own_start():
    w = InstanceSegmentation(sample_image("cat"), labels=["Cat", "Dog"])
    w.set_state({"value": painted(w).to_value()})
    serial = w._image_serial
    start = np.zeros((400, 600), np.uint8)
    start[0:2, 0:3] = 1
    w.set_image(sample_image("coffee"), initial_value=Annotation(start, ["Dog"]))
    assert (w.image_width, w.image_height) == (600, 400)
    assert w._image_serial == serial + 1
    assert bytes(w._image_data) == sample_image("coffee").read_bytes()
    assert w.annotation == Annotation(start, ["Dog"])
    assert w.initial_annotation == Annotation(start, ["Dog"])
    assert w._initial_value == w.value
    assert w._used_colors == ["#2ca02c"]
    assert w.review_states == {}


def test_set_image_without_initial_value_starts_empty():
    w = InstanceSegmentation(sample_image("cat"), labels=["Cat"])
    w.set_image(sample_image("coins"))
    assert w.value["inputImageProperties"] == {"height": 303, "width": 384}
    assert w.value["instances"] == []
    assert w._initial_value == {}


def test_a_value_painted_on_the_previous_image_is_not_applied_to_the_new_one():
    w = InstanceSegmentation(sample_image("cat"), labels=["Cat", "Dog"])
    old = w._image_serial
    w.set_image(sample_image("cat"))  # same size: only the serial tells the images apart
    with pytest.warns(UserWarning, match="previous image reached Python after set_image"):
        w.set_state({"value": painted(w).to_value(), "_value_image": old})
    assert w.value["instances"] == []


def test_message_limit_below_one_mib_is_refused():
    w = InstanceSegmentation(np.zeros((4, 4), np.uint8), labels=["Cat"])
    assert w.message_limit == 10 * 2**20
    with pytest.raises(traitlets.TraitError, match="message_limit must be at least 1 MiB"):
        w.message_limit = 1000
    w.message_limit = 64 * 2**20
    assert w.message_limit == 64 * 2**20
