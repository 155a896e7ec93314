"""A page that shows the widget without a kernel, and the result file it hands back.

`page_html(widget)` is one self-contained HTML file: the widget's bundle and
CSS, its state (image bytes included) and a small in-memory model
(`static_page.js`) that renders the bundle the way anywidget does. Nothing
is fetched: it opens from a file, offline. There is no kernel to save to, so
the view says so and offers "Download result", a JSON file `{name: value}`
as SageMaker's `<crowd-form>` submits it; `read_result` reads it back.
"""

from __future__ import annotations

import base64
import html
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .annotation import Annotation

if TYPE_CHECKING:
    from .widget import InstanceSegmentation

__all__ = ["page_html", "read_result", "save_page"]

_SHIM = Path(__file__).with_name("static_page.js")
_MEMORY_MODEL = Path(__file__).with_name("memory_model.js")
_BYTES = "__crowdseg_bytes__"
#: No websocket between the page and anything: the value's size is not capped by a server.
_NO_MESSAGE_LIMIT = 2**30
#: Traits that make no sense without a kernel: a dataset session's position (it cannot move).
_KERNEL_ONLY = {"_esm", "_css", "_navigation", "_navigation_request", "_prefetch", "layout"}
#: ... and traits whose kernel-side meaning is off in a page: no assist can answer a prompt.
_WITHOUT_KERNEL = {"_assist_available": False}


def _to_json(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {_BYTES: base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_json(v) for v in value]
    return value


def _script_json(value: Any) -> str:
    """JSON safe inside <script>: no `<` can end the element or open a comment."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def page_html(
    widget: InstanceSegmentation, *, title: str | None = None, result_file: str | None = None
) -> str:
    """The widget with its image and current annotation as one offline HTML page."""
    state = widget.get_state()
    esm, css = str(state.get("_esm", "")), str(state.get("_css", "") or "")
    page_state = {key: _to_json(v) for key, v in state.items() if key not in _KERNEL_ONLY}
    page_state.update({key: v for key, v in _WITHOUT_KERNEL.items() if key in page_state})
    page_state["message_limit"] = _NO_MESSAGE_LIMIT
    page_state["_static_page"] = {"result_file": result_file or f"{widget.name}.json"}
    heading = title if title is not None else (widget.header or "crowdseg-widget")
    style = css.replace("</", "<\\/")  # CSS reads `\/` as `/`; `</style` would end the element
    # One module script: the in-memory model, then the boot that renders with it.
    shim = _MEMORY_MODEL.read_text(encoding="utf-8") + "\n" + _SHIM.read_text(encoding="utf-8")
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(heading)}</title>
<style>{style}</style>
<style>body {{ margin: 0; padding: 12px; font: 13px system-ui, sans-serif; }}</style>
</head>
<body>
<div id="crowdseg-root"></div>
<script type="application/json" id="crowdseg-state">{_script_json(page_state)}</script>
<script type="application/json" id="crowdseg-bundle">{_script_json(esm)}</script>
<script type="module">
{shim}</script>
</body>
</html>
"""


def save_page(
    widget: InstanceSegmentation,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    result_file: str | None = None,
) -> Path:
    """Write `page_html(widget)` to `path`; the download is named after the page by default."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(
            f"{path} is a folder; give the page's file name, e.g. {path / 'label.html'}"
        )
    text = page_html(widget, title=title, result_file=result_file or f"{path.stem}.result.json")
    path.write_text(text, encoding="utf-8")
    return path


def read_result(
    result: str | os.PathLike[str] | bytes | Mapping[str, Any], *, name: str | None = None
) -> Annotation:
    """The annotation in a downloaded result: a path to the file, its bytes, or the parsed JSON.

    The file is `{name: value}` as SageMaker's `<crowd-form>` submits it;
    `name` (the widget's `name`) picks the answer when the file holds more
    than one instance-segmentation value.
    """
    from .groundtruth.responses import element_value

    where = "the result"
    if isinstance(result, (str, os.PathLike)):
        where = str(result)
        result = Path(result).read_bytes()
    value, _ = element_value(result, name=name, where=where)
    return Annotation.from_value(value)
