"""`to_html` / `save_html` (the page's content) and `read_result` (the file it hands back).
The page itself is driven in Chromium in tests/browser/test_static_page.py."""

from __future__ import annotations

import base64
import json
import re
from html.parser import HTMLParser

import numpy as np
import pytest

from crowdseg_widget import Annotation, InstanceSegmentation
from crowdseg_widget.groundtruth import GroundTruthError
from crowdseg_widget.static_page import read_result

HOSTILE = "</script><script>alert(1)</script><!--"


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self.scripts.append("")

    def handle_data(self, data: str) -> None:
        if self.lasttag == "script" and self.scripts:
            self.scripts[-1] += data


def parsed(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def page_state(page: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="crowdseg-state">(.*?)</script>', page, re.S
    )
    assert match is not None
    return json.loads(match.group(1))


@pytest.fixture
def widget() -> InstanceSegmentation:
    label_map = np.zeros((6, 8), np.uint8)
    label_map[1:3, 2:5] = 1
    image = np.zeros((6, 8, 3), np.uint8)
    return InstanceSegmentation(
        image, labels=["Cat", HOSTILE], header=HOSTILE, full_instructions=HOSTILE,
        initial_value=Annotation(label_map, [HOSTILE], ["#2ca02c"]),
    )  # fmt: skip


def test_the_page_loads_nothing_from_elsewhere(widget):
    tags = parsed(widget.to_html())
    assert [tag for tag, attrs in tags.tags if "src" in attrs or "href" in attrs] == []
    assert [tag for tag, _ in tags.tags if tag in {"link", "iframe", "img"}] == []
    assert [attrs.get("type") for tag, attrs in tags.tags if tag == "script"] == [
        "application/json", "application/json", "module",
    ]  # fmt: skip


def test_text_that_closes_a_script_stays_text(widget):
    page = widget.to_html()
    assert page.count("</script") == 3  # the three scripts' own ends
    assert "<!--" not in page
    state = page_state(page)
    assert state["header"] == state["full_instructions"] == HOSTILE
    assert state["labels"] == ["Cat", HOSTILE]
    assert f"<title>{HOSTILE}" not in page and "<title>&lt;/script&gt;" in page


def test_the_page_holds_the_image_and_the_current_annotation(widget):
    state = page_state(widget.to_html())
    assert base64.b64decode(state["_image_data"]["__crowdseg_bytes__"]) == widget._image_data
    assert state["value"] == widget.value
    assert Annotation.from_value(state["value"]).masks[0].sum() == 6
    assert state["_static_page"] == {"result_file": "annotatedResult.json"}
    assert state["message_limit"] >= 2**30  # no websocket caps the value in a page
    assert "_navigation" not in state and "_esm" not in state
    bundle = parsed(widget.to_html()).scripts[1]
    assert json.loads(bundle) == widget.get_state()["_esm"]  # the bundle, whole


def test_a_page_offers_no_model_tools_since_no_assist_can_answer(widget):
    widget.assist = lambda image, prompt: np.zeros(image.shape[:2], bool)
    assert widget.get_state()["_assist_available"] is True
    assert page_state(widget.to_html())["_assist_available"] is False


def test_save_html_writes_the_page_and_names_the_download_after_it(widget, tmp_path):
    path = widget.save_html(tmp_path / "job 7.html", title="Label the cats")
    page = path.read_text(encoding="utf-8")
    assert path == tmp_path / "job 7.html"
    assert page_state(page)["_static_page"] == {"result_file": "job 7.result.json"}
    assert "<title>Label the cats</title>" in page
    with pytest.raises(IsADirectoryError, match="is a folder; give the page's file name"):
        widget.save_html(tmp_path)


def result_value() -> dict:
    label_map = np.zeros((4, 5), np.uint8)
    label_map[1, 1:4] = 1
    return Annotation(label_map, ["Cat"], ["#2ca02c"]).to_value()


def test_read_result_takes_a_path_bytes_or_the_parsed_file(tmp_path):
    value = result_value()
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"annotatedResult": value}))
    expected = Annotation.from_value(value)
    assert read_result(path) == expected
    assert read_result(str(path)) == expected
    assert read_result(path.read_bytes()) == expected
    assert read_result({"mask": value}) == expected
    assert read_result({"a": value, "b": result_value() | {"instances": []}}, name="a") == expected


def test_read_result_names_what_is_wrong(tmp_path):
    value = result_value()
    with pytest.raises(GroundTruthError, match=r"keys \['a', 'b'\] all hold.*Pass name="):
        read_result({"a": value, "b": value})
    with pytest.raises(GroundTruthError, match="no answer named 'mask'"):
        read_result({"annotatedResult": value}, name="mask")
    with pytest.raises(GroundTruthError, match="is not JSON"):
        read_result(b"not json")
    with pytest.raises(FileNotFoundError):
        read_result(tmp_path / "missing.json")
