"""The widget's assist: the `assist` trait, the view's prompt messages and their replies,
and `auto_segment` / `segment` (docs/assist.md, "In the view").

The view sends a custom message
`{"type": "assist", "view": token, "id": n, "image": serial, "prompt": {...}}`
with the prompt in image pixels (`points` `[[x, y, positive], ...]`, `box`,
`extreme_points`, `instance_color`: the selected instance, whose current mask
becomes `Prompt.mask`). Python answers every view with
`{"type": "assist_result", "view", "id", "image", "seconds", "candidates": [...]}`
and one binary buffer per candidate (`wire.encode_result`), or with
`{"type": "assist_result", ..., "error": message}`; a view keeps only the reply
to its newest prompt on the image it shows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import traitlets
from PIL import ImageOps

from ..safe_image import load_pixels, open_image
from .prompt import Prompt
from .runner import Assist, AssistError, run_assist
from .scripting import add_instance_from_prompt
from .wire import encode_result

if TYPE_CHECKING:
    from ..widget import InstanceSegmentation

NO_ASSIST = (
    "no assist: pass one as InstanceSegmentation(..., assist=grabcut()) "
    "(from crowdseg_widget.assist import grabcut) or set w.assist"
)
URL_IMAGE = (
    "the assist needs the image's pixels in Python, but the image is a URL only the browser "
    "loads; pass a local image (a path, bytes, a PIL image or an array) as src"
)


class AssistTrait(traitlets.TraitType[Assist | None, Assist | None]):
    """A callable `assist(image, prompt)`, or None."""

    default_value = None
    info_text = "a callable assist(image, prompt) -> mask, or None"

    def validate(self, obj: Any, value: Any) -> Assist | None:
        if value is None or callable(value):
            return value  # type: ignore[no-any-return]
        raise traitlets.TraitError(
            f"assist must be callable as assist(image, prompt) -> mask, or None; got {value!r}"
        )


def _image_array(data: bytes) -> np.ndarray:
    """The browser's image bytes (already upright) as the (H, W, 3) uint8 RGB the view shows."""
    image = open_image(data, "the image")
    load_pixels(image, "the image")
    upright = ImageOps.exif_transpose(image)  # a no-op for our bytes; kept for foreign ones
    rgb = upright if upright.mode == "RGB" else upright.convert("RGB")
    array = np.asarray(rgb, dtype=np.uint8)
    array.flags.writeable = False  # the same object for every call: no assist may change it
    return array


def _floats(value: Any, length: int, what: str) -> list[float]:
    if not isinstance(value, Sequence) or len(value) != length:
        raise ValueError(f"{what} must be {length} numbers, got {value!r}")
    return [float(v) for v in value]


def prompt_from_message(
    message: dict[str, Any], mask_of: Callable[[str], np.ndarray | None], image_key: str
) -> Prompt:
    """The view's prompt JSON as a `Prompt` (ValueError/TypeError naming what is wrong)."""
    points = []
    for i, point in enumerate(message.get("points") or []):
        if not isinstance(point, list) or len(point) != 3:
            raise ValueError(f"point {i} must be [x, y, positive], got {point!r}")
        points.append((*_floats(point[:2], 2, f"point {i}"), point[2]))
    fields: dict[str, Any] = {"points": points, "image_key": image_key}
    box, extreme = message.get("box"), message.get("extreme_points")
    if box is not None:
        fields["box"] = _floats(box, 4, "box")
    if extreme is not None:
        fields["extreme_points"] = [
            _floats(p, 2, f"extreme point {i}") for i, p in enumerate(extreme)
        ]
    color = message.get("instance_color")
    if isinstance(color, str) and color:
        fields["mask"] = mask_of(color)
    return Prompt(**fields)


class AssistBinding:
    """One widget's assist: the image array (decoded once per image), the view's
    prompts answered, `auto_segment` / `segment`. Created by the widget."""

    def __init__(self, widget: InstanceSegmentation) -> None:
        self.widget = widget
        self._image: tuple[int, bytes, np.ndarray, str] | None = None
        widget.observe(self._assist_changed, "assist")
        widget.on_msg(self._on_message)
        self._assist_changed()

    def _assist_changed(self, _change: object = None) -> None:
        self.widget._assist_available = self.widget.assist is not None

    def image(self) -> tuple[np.ndarray, str]:
        """The image shown as (H, W, 3) uint8 RGB (the same array while the image stays) and
        its key (a hash of its bytes); AssistError for a URL image."""
        widget = self.widget
        data, serial = widget._image_data, widget._image_serial
        cached = self._image
        if cached is not None and cached[0] == serial and cached[1] is data:
            return cached[2], cached[3]
        if not data:
            raise AssistError(URL_IMAGE)
        array = _image_array(data)
        key = hashlib.sha256(data).hexdigest()[:32]
        self._image = (serial, data, array, key)
        return array, key

    def _mask_of(self, color: str) -> np.ndarray | None:
        annotation = self.widget.annotation
        colors = [c.lower() for c in annotation.colors]
        if color.lower() not in colors:
            return None
        mask: np.ndarray = annotation.label_map == colors.index(color.lower()) + 1
        return mask if mask.any() else None

    # ------------------------------------------------------------ the view's prompts

    def _on_message(self, _widget: object, content: Any, _buffers: Sequence[Any]) -> None:
        if not isinstance(content, dict) or content.get("type") != "assist":
            return
        reply = {k: content.get(k) for k in ("view", "id", "image")}
        reply["type"] = "assist_result"
        if content.get("image") != self.widget._image_serial:
            return  # a prompt on an image no longer shown: its reply would be dropped anyway
        try:
            body, buffers = self._answer(content.get("prompt"))
        except Exception as error:  # the view always hears back: it shows the reason
            message = str(error)
            if not isinstance(error, AssistError):
                message = f"Python could not run the assist ({type(error).__name__}: {error})"
            self.widget.assist_error = message
            self.widget.send({**reply, "error": message})
            return
        self.widget.assist_error = ""
        self.widget.send({**reply, **body}, buffers)

    def _answer(self, message: Any) -> tuple[dict[str, Any], list[bytes]]:
        assist = self.widget.assist
        if assist is None:
            raise AssistError(NO_ASSIST)
        image, key = self.image()
        try:
            if not isinstance(message, dict):
                raise TypeError(f"the prompt must be an object, got {message!r}")
            prompt = prompt_from_message(message, self._mask_of, key)
        except (TypeError, ValueError) as error:
            raise AssistError(f"the view sent a prompt Python cannot read: {error}") from None
        return encode_result(run_assist(assist, image, prompt))

    # ------------------------------------------------------------ scripting

    def add_instance(self, prompt_fields: dict[str, Any], label: str | None) -> int:
        """Run the assist on a prompt and add its best mask as a new instance; its id."""
        widget = self.widget
        try:
            assist = widget.assist
            if assist is None:
                raise AssistError(NO_ASSIST)
            choice = widget._label_choice(widget.labels[0] if label is None else label)
            image, key = self.image()
            prompt = Prompt(**prompt_fields, image_key=key)
            annotation, instance = add_instance_from_prompt(
                widget.annotation, image, assist, prompt, choice, used_colors=widget._used_colors
            )
        except AssistError as error:
            widget.assist_error = str(error)
            raise
        widget.set_annotation(annotation)
        widget.assist_error = ""
        return instance
