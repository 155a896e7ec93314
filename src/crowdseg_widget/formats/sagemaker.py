"""The SageMaker value and `initial_value` forms, to and from `Annotation`.

Output (what the element submits; docs/format.md)::

    {"inputImageProperties": {"height": H, "width": W},
     "instances": [{"color": "#2ca02c", "label": "Cat"}, ...],
     "labeledImage": {"pngImageData": "<Base64 PNG>"}}

`initial_value` (what the element accepts as its starting point)::

    {"instances": [...], "src": <PNG as data URL, Base64, path or bytes>}
    {"labelMappings": {"Cat": {"color": "#2ca02c"}, ...}, "src": ...}   # semantic form

The output form itself, and the `{name: value}` wrapper, are accepted too.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import Any

from ..annotation import Annotation, check_instances, dimension
from ..safe_image import read_file
from .data_url import decode_base64, is_data_url, split_data_url
from .png_codec import decode_label_png, encode_label_png, view_reads


def annotation_to_value(annotation: Annotation) -> dict[str, Any]:
    if annotation.width == 0 or annotation.height == 0:
        raise ValueError(
            f"the annotation is {annotation.width}x{annotation.height}: a SageMaker value "
            "needs an image of at least one pixel"
        )
    png = encode_label_png(annotation.label_map, annotation.colors)
    return {
        "inputImageProperties": {"height": annotation.height, "width": annotation.width},
        "instances": annotation.instances,
        "labeledImage": {"pngImageData": base64.b64encode(png).decode("ascii")},
    }


def _base64_png(text: str | bytes, what: str) -> bytes:
    try:
        return decode_base64(text)
    except ValueError:
        raise ValueError(f"{what} is not valid Base64") from None


def _png_source(source: object) -> bytes:
    """PNG bytes from any form an `initial_value` may give: a data URL, Base64, a path, bytes."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, PathLike):
        return read_file(Path(source), "labeled PNG file")
    if not isinstance(source, str):
        raise TypeError(
            "the labeled PNG must be a data URL, Base64 text, a path or bytes, "
            f"got {type(source).__name__}"
        )
    text = source.strip()
    if is_data_url(text):
        parts = split_data_url(text)
        if parts is None or not parts[1]:
            raise ValueError("a data URL for the labeled PNG must be Base64 (data:...;base64,...)")
        text = parts[2]
    elif text.endswith(".png") and len(text) < 4096:
        return read_file(Path(text).expanduser(), "labeled PNG file")
    try:
        return _base64_png(text, "the labeled PNG")
    except ValueError:
        raise ValueError(
            "the labeled PNG is neither a data URL, valid Base64, nor a path to a .png file"
        ) from None


def labeled_png(value: Mapping[str, Any]) -> bytes:
    """The PNG bytes of an output value: its `labeledImage.pngImageData`, Base64 text."""
    image = value.get("labeledImage")
    data = image.get("pngImageData") if isinstance(image, Mapping) else None
    if not isinstance(data, str):
        raise ValueError("the value has no labeledImage.pngImageData (Base64 PNG text)")
    return _base64_png(data, "labeledImage.pngImageData")


def _instances(value: Mapping[str, Any]) -> tuple[list[Any], list[Any]]:
    """Labels and colors as given; `check_instances` validates them."""
    if "instances" in value:
        instances = value["instances"]
        if not isinstance(instances, list):
            raise TypeError(f"'instances' must be a list of {{color, label}}, got {instances!r}")
        labels: list[Any] = []
        colors: list[Any] = []
        for item in instances:
            if not isinstance(item, Mapping) or "color" not in item or "label" not in item:
                raise ValueError(
                    f"an instance must be {{'color': ..., 'label': ...}}, got {item!r}"
                )
            labels.append(item["label"])
            colors.append(item["color"])
        return labels, colors
    if "labelMappings" in value:
        mappings = value["labelMappings"]
        if not isinstance(mappings, Mapping):
            raise TypeError("'labelMappings' must map each label to {'color': '#rrggbb'}")
        colors = [m.get("color") if isinstance(m, Mapping) else m for m in mappings.values()]
        return list(mappings), colors
    raise ValueError("the value has neither 'instances' nor 'labelMappings'")


def declared_size(properties: object) -> tuple[int, int]:
    """(width, height) from `inputImageProperties`, which must be {"height": H, "width": W}.

    Each must be a positive whole number: an int, a numpy integer or a whole
    float such as 800.0 (other tools' JSON writes sizes that way). 800.5, 0,
    True and "800" are refused.
    """
    if isinstance(properties, Mapping):
        width, height = dimension(properties.get("width")), dimension(properties.get("height"))
        if width is not None and height is not None:
            return width, height
    raise ValueError(
        "'inputImageProperties' must be {'height': H, 'width': W} with positive integers, "
        f"got {properties!r}"
    )


def check_value(value: object) -> dict[str, Any]:
    """An output value's shape, checked without decoding its PNG; a copy with int sizes.

    The value must be a dict with `inputImageProperties` (see `declared_size`),
    an `instances` list and a Base64 `labeledImage.pngImageData`. Other keys
    are kept as they are.
    """
    if not isinstance(value, Mapping):
        raise ValueError(f"expected a JSON object, got {type(value).__name__}")
    width, height = declared_size(value.get("inputImageProperties"))
    if not isinstance(value.get("instances"), list):
        raise ValueError("'instances' must be a list")
    labeled_png(value)
    return {**value, "inputImageProperties": {"height": height, "width": width}}


def _unwrap(value: Mapping[str, Any]) -> Mapping[str, Any]:
    """Accept `{name: value}` (the element's output) as well as the value itself."""
    if len(value) == 1:
        (inner,) = value.values()
        if isinstance(inner, Mapping) and ("labeledImage" in inner or "src" in inner):
            return inner
    return value


def _decoded(value: Mapping[str, Any], size: tuple[int, int] | None) -> tuple[Annotation, bytes]:
    """The annotation `value` holds, and its PNG's bytes."""
    if not isinstance(value, Mapping):
        raise TypeError(f"a SageMaker value must be a dict, got {type(value).__name__}")
    value = _unwrap(value)
    labels, colors = _instances(value)
    if "labeledImage" in value:
        image = value["labeledImage"]
        if not isinstance(image, Mapping) or "pngImageData" not in image:
            raise ValueError("'labeledImage' must be {'pngImageData': '<Base64 PNG>'}")
        png = _png_source(image["pngImageData"])
    elif "src" in value:
        png = _png_source(value["src"])
    else:
        raise ValueError("the value has no PNG: expected 'labeledImage.pngImageData' or 'src'")
    if size is None and "inputImageProperties" in value:
        size = declared_size(value["inputImageProperties"])
    labels, colors = check_instances(labels, colors)  # before decoding: errors name the cause
    return Annotation(decode_label_png(png, colors, size), labels, colors), png


def annotation_from_value(
    value: Mapping[str, Any], size: tuple[int, int] | None = None
) -> Annotation:
    """Parse any accepted form; `size` is the image's (width, height) when known."""
    return _decoded(value, size)[0]


def normalized_value(
    value: Mapping[str, Any], size: tuple[int, int] | None = None
) -> tuple[dict[str, Any], Annotation]:
    """`value` (any form `annotation_from_value` reads) checked by decoding it, in output form.

    The result is the output value of the decoded annotation. Its PNG is the
    one given (in plain Base64) when the view can read it, else our encoding
    of the same pixels (a Ground Truth RGB PNG, grayscale, interlaced): a data
    URL, a path or an `initial_value` form becomes what the element would submit.
    """
    annotation, png = _decoded(value, size)
    if not view_reads(png):
        png = encode_label_png(annotation.label_map, annotation.colors)
    normalized = {
        "inputImageProperties": {"height": annotation.height, "width": annotation.width},
        "instances": annotation.instances,
        "labeledImage": {"pngImageData": base64.b64encode(png).decode("ascii")},
    }
    return normalized, annotation
