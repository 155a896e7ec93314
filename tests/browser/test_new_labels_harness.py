"""`allow_new_labels`: the panel's "Add label" field and delete controls write `labels`,
and Python's `w.labels` follows; refused labels are said in the panel and never sent."""

from __future__ import annotations

import pytest

from crowdseg_widget import InstanceSegmentation

from .scene import gradient_image

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("widget_bundle")]

FIELD = "input.crowdseg-new-label"
MESSAGE = ".crowdseg-panel-message"


@pytest.fixture
def labeler(harness):
    widget = InstanceSegmentation(gradient_image(), labels=["Cat"], allow_new_labels=True)
    h = harness(widget)
    h.wait_for_canvas()
    return h


def type_label(h, text: str, submit: str = "Enter") -> None:
    h.page.locator(FIELD).fill(text)
    if submit == "Enter":
        h.page.locator(FIELD).press("Enter")
    else:
        h.page.locator("button.crowdseg-add-label-button").click()


def panel_labels(h) -> list[str]:
    return h.page.locator(".crowdseg-label").evaluate_all("els => els.map(e => e.dataset.label)")


def test_an_added_label_reaches_python_and_is_painted_with(labeler):
    widget = labeler.widget
    with labeler.expect_save(until=lambda: widget.labels == ["Cat", "Dog"]):
        type_label(labeler, "Dog")
    assert panel_labels(labeler) == ["Cat", "Dog"]
    assert labeler.page.locator(FIELD).input_value() == ""
    assert labeler.page.evaluate("document.activeElement.className") == "crowdseg-new-label"
    with labeler.expect_save():
        labeler.stroke([(20, 20), (30, 20)])  # the new label is selected
    assert widget.annotation.labels == ["Dog"]
    with labeler.expect_save(until=lambda: len(widget.labels) == 3):
        type_label(labeler, "  Cafe\u0301 ", submit="+")
    assert widget.labels == ["Cat", "Dog", "Caf\u00e9"]  # NFC, trimmed
    assert labeler.page_errors() == []


def test_refused_labels_are_said_and_not_sent(labeler):
    widget = labeler.widget
    saves = labeler.acks()
    for typed, said in [
        ("Cat ", '"Cat" is already a label.'),
        ("Cat\u00a0", '"Cat" is already a label.'),
        ("   ", "Type a label first: an empty label cannot name anything."),
        ("\u200b", "That label has no visible character."),
    ]:
        type_label(labeler, typed)
        assert labeler.page.locator(MESSAGE).inner_text() == said
        assert labeler.page.locator(FIELD).input_value() == typed  # kept, to correct it
    labeler.frames()
    assert labeler.acks() == saves and widget.labels == ["Cat"]
    with labeler.expect_save(until=lambda: widget.labels == ["Cat", "cat"]):
        type_label(labeler, "cat")  # case counts, as in Python
    assert labeler.page.locator(MESSAGE).inner_text() == ""


def test_only_labels_no_instance_uses_can_be_deleted(labeler):
    widget = labeler.widget
    with labeler.expect_save(until=lambda: len(widget.labels) == 2):
        type_label(labeler, "Dog")
    with labeler.expect_save(until=lambda: len(widget.labels) == 3):
        type_label(labeler, "Bird")
    labeler.click('.crowdseg-label[data-label="Dog"] .crowdseg-label-name')
    with labeler.expect_save():
        labeler.stroke([(50, 50)])  # Dog 1

    deletable = labeler.page.locator(".crowdseg-label:has(.crowdseg-delete-label)")
    assert deletable.evaluate_all("els => els.map(e => e.dataset.label)") == ["Cat", "Bird"]
    with labeler.expect_save(until=lambda: widget.labels == ["Cat", "Dog"]):
        labeler.click('.crowdseg-label[data-label="Bird"] .crowdseg-delete-label')
    with labeler.expect_save(until=lambda: widget.labels == ["Dog"]):
        labeler.click('.crowdseg-label[data-label="Cat"] .crowdseg-delete-label')
    assert labeler.page.locator(".crowdseg-delete-label").count() == 0  # Dog is used (and last)
    assert widget.annotation.labels == ["Dog"]


def test_typing_a_label_is_not_a_shortcut_and_fixed_labels_have_no_field(harness):
    widget = InstanceSegmentation(gradient_image(), labels=["Cat", "Dog"])
    h = harness(widget)
    h.wait_for_canvas()
    assert h.page.locator(".crowdseg-add-label").is_hidden()
    assert h.page.locator(".crowdseg-delete-label").count() == 0

    widget.allow_new_labels = True
    h.frames()
    assert h.page.locator(".crowdseg-add-label").is_visible()
    assert h.page.locator(".crowdseg-delete-label").count() == 2
    h.page.locator(FIELD).press_sequentially("efp")  # eraser, fill, polygon keys
    assert h.page.locator("button.crowdseg-tool.is-active").get_attribute("data-tool") == "brush"
    with h.expect_save(until=lambda: widget.labels == ["Cat", "Dog", "efp"]):
        h.page.locator(FIELD).press("Enter")

    widget.allow_new_labels = False
    h.frames()
    assert h.page.locator(".crowdseg-add-label").is_hidden()
    assert h.page.locator(".crowdseg-delete-label").count() == 0
