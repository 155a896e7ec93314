"""The widget's Python API: traits, value, lazy decoding, initial values, bad input."""

import numpy as np
import pytest
import traitlets
from traitlets import TraitError

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


# ------------------------------------------------------------------ value validation (issue 15)


def with_color(value: dict, color: str) -> dict:
    first, *others = value["instances"]
    return {**value, "instances": [{**first, "color": color}, *others]}


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        ({"foo": 1}, ValueError, r"neither 'instances' nor 'labelMappings'"),
        ([1], TraitError, r"expected a dict"),
        ("color", ValueError, r"color '#000;background:url\(javascript:alert\(1\)\)' is not"),
        ("size", ValueError, r"labeled PNG is 3x3 but the image is 451x300"),
        ("label", ValueError, r"instance labels must not be empty strings"),
    ],
)
def test_a_bad_value_assigned_from_python_is_refused_and_the_old_one_kept(
    widget, bad, error, message
):
    good = painted(widget).to_value()
    widget.value = good
    if bad == "color":
        bad = with_color(good, "#000;background:url(javascript:alert(1))")
    elif bad == "size":
        bad = Annotation(np.zeros((3, 3), np.uint8), []).to_value()
    elif bad == "label":
        bad = {**good, "instances": [{"color": "#2ca02c", "label": ""}, good["instances"][1]]}
    with pytest.raises(error, match=message):
        widget.value = bad
    assert widget.value == good


def test_an_empty_value_is_allowed(widget):
    widget.value = {}
    assert widget.value == {}


def test_a_data_url_png_is_stored_as_plain_base64_and_other_forms_as_the_output_value(widget):
    ann = painted(widget)
    value = ann.to_value()
    png = value["labeledImage"]["pngImageData"]
    widget.value = {**value, "labeledImage": {"pngImageData": "data:image/png;base64," + png}}
    assert widget.value == value  # normalised before it is set: the store sees plain Base64
    widget.value = {}
    widget.value = {
        "instances": [{"color": "#2CA02C", "label": "Cat"}, value["instances"][1]],
        "src": "data:image/png;base64," + png,
    }  # an initial_value form
    assert widget.value == value and widget.annotation == ann
    widget.value = {"annotatedResult": value}  # the element's {name: value} output
    assert widget.value == value


def test_a_value_is_decoded_once_when_it_arrives_and_never_again(widget, monkeypatch):
    from crowdseg_widget.formats import sagemaker

    calls = []
    real = sagemaker.decode_label_png
    monkeypatch.setattr(sagemaker, "decode_label_png", lambda *a: calls.append(1) or real(*a))
    ann = painted(widget)
    widget.set_state({"value": ann.to_value()})
    assert len(calls) == 1  # validated on arrival: nothing invalid is ever stored
    assert widget.annotation == ann and widget.masks.shape == (2, 300, 451)
    widget.value = dict(widget.value)  # the same value again
    assert len(calls) == 1
    widget.set_annotation(ann.without_instance(1))  # our own encoding needs no check
    widget.add_instance("Cat", np.ones((300, 451), bool))
    widget.set_image(sample_image("cat"), initial_value=ann.without_instance(1))
    assert len(calls) == 1


def test_a_bad_value_from_the_view_is_not_stored_and_is_reported_in_the_view(widget):
    good = painted(widget).to_value()
    widget.set_state({"value": good})
    bad = with_color(good, "#000;background:url(javascript:alert(1))")
    refused = r"the view sent a value Python cannot accept \(instance color"
    with pytest.warns(UserWarning, match=refused):
        widget.set_state({"value": bad, "review_states": {"#2ca02c": "accepted"}})
    assert widget.value == good
    assert widget.review_states == {"#2ca02c": "accepted"}  # the rest of the message applies
    assert "Python could not accept the latest painting" in widget._sync_error
    widget.set_state({"value": good, "_sync_error": ""})  # the next good stroke clears it
    assert widget._sync_error == ""


class Recording(InstanceSegmentation):
    def _late_value(self, image, value):
        self.late = [*getattr(self, "late", []), (image, value)]


def test_late_and_rescued_values_are_checked_before_they_are_handed_on():
    w = Recording(sample_image("cat"), labels=["Cat", "Dog"])
    old = w._image_serial
    good = painted(w).to_value()
    w.set_image(sample_image("coffee"))
    w.set_state({"value": good, "_value_image": old})
    w.set_state({"_rescued_value": {"image": old, "value": good}})
    assert w.late == [(old, good), (old, good)]
    bad = with_color(good, "red")
    refused = r"a value sent for an earlier image was refused \(instance"
    with pytest.warns(UserWarning, match=refused):
        w.set_state({"value": bad, "_value_image": old})
    with pytest.warns(UserWarning, match=r"a value sent for an earlier image was refused"):
        w.set_state({"_rescued_value": {"image": old, "value": {"foo": 1}}})
    assert len(w.late) == 2  # never handed on (a dataset session would have stored them)


def b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode()


def test_a_value_whose_png_the_view_cannot_read_is_stored_re_encoded_with_the_same_pixels(widget):
    # The view decodes indexed (1/2/4/8-bit) and 8-bit RGBA PNGs, not interlaced: a Ground
    # Truth-style RGB PNG on white is stored in our own encoding.
    import io

    from PIL import Image

    ann = painted(widget)
    rgb = np.array([(255, 255, 255), (44, 160, 44), (31, 119, 180)], np.uint8)[ann.label_map]
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, "PNG")
    widget.value = {**ann.to_value(), "labeledImage": {"pngImageData": b64(buffer.getvalue())}}
    assert widget.value == ann.to_value()  # our encoder's bytes
    assert widget.annotation == ann
    own = ann.to_value()
    widget.value = {}
    widget.value = own
    assert widget.value["labeledImage"] == own["labeledImage"]  # a PNG the view reads: kept


def test_an_interlaced_png_is_stored_re_encoded():
    import base64
    import struct
    import zlib

    w = InstanceSegmentation(np.zeros((1, 1), np.uint8), labels=["Cat"])
    ann = Annotation(np.ones((1, 1), np.uint8), ["Cat"])
    png = bytearray(base64.b64decode(ann.to_value()["labeledImage"]["pngImageData"]))
    png[28] = 1  # Adam7: for one pixel the scanlines are the same, only pass 1 has data
    png[29:33] = struct.pack(">I", zlib.crc32(bytes(png[12:29])))
    w.value = {**ann.to_value(), "labeledImage": {"pngImageData": b64(bytes(png))}}
    stored = base64.b64decode(w.value["labeledImage"]["pngImageData"])
    assert stored[28] == 0 and w.annotation == ann
