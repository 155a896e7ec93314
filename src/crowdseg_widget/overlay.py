"""Pictures of an annotation: its colors blended over the photo, or alone for `display()`.

Blending is exact integer arithmetic. `opacity` becomes A = round(opacity * 255)
(halves up), and each channel of an instance pixel is

    (image * (255 - A) + color * A + 127) // 255

i.e. the blend rounded to the nearest integer (halves up). Background pixels
keep the image's values.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image, ImageOps

from .image_source import load_image_source, png_bytes
from .palette import color_to_rgb
from .safe_image import load_pixels, open_image

#: `_repr_png_` shows at most this many pixels on the longer side (nearest neighbour).
PREVIEW_SIDE = 1024
#: The preview's background: white is never an instance color (docs/format.md).
PREVIEW_BACKGROUND = (255, 255, 255)


def _color_table(colors: Sequence[str], background: tuple[int, int, int]) -> np.ndarray:
    """(N+1, 3) uint8: row 0 the background, row i instance i's color."""
    return np.array([background, *(color_to_rgb(c) for c in colors)], np.uint8)


def _is_uint8_image_array(image: Any) -> bool:
    return (
        isinstance(image, np.ndarray)
        and image.dtype == np.uint8
        and (image.ndim == 2 or (image.ndim == 3 and image.shape[2] in (3, 4)))
    )


def _rgb_pixels(image: Any) -> np.ndarray:
    """(H, W, 3) uint8 from anything the widget's `src` accepts, upright as the widget shows it."""
    if isinstance(image, Image.Image):
        picture = ImageOps.exif_transpose(image)  # as the widget does (image_source.py)
    elif _is_uint8_image_array(image):
        picture = Image.fromarray(np.ascontiguousarray(image))  # no PNG round trip
    else:  # other arrays too: load_image_source names what is wrong with them
        source = load_image_source(image)
        if not source.data:
            raise ValueError(
                "overlay needs the image's pixels and does not download URLs; "
                "pass the file, its bytes, a PIL image or an array"
            )
        picture = open_image(source.data, "the overlay image")
        load_pixels(picture, "the overlay image")
    return np.array(picture.convert("RGB"))


def edge_pixels(label_map: np.ndarray) -> np.ndarray:
    """(H, W) bool: instance pixels with a 4-neighbour of another id or on the image border.

    The same pixels the widget's outline view shows.
    """
    padded = np.pad(label_map, 1, constant_values=0)
    inner = padded[1:-1, 1:-1]
    differs = (
        (padded[:-2, 1:-1] != inner)
        | (padded[2:, 1:-1] != inner)
        | (padded[1:-1, :-2] != inner)
        | (padded[1:-1, 2:] != inner)
    )
    differs[0, :] = differs[-1, :] = True
    differs[:, 0] = differs[:, -1] = True
    edges: np.ndarray = differs & (label_map != 0)
    return edges


def blend_weight(opacity: float) -> int:
    """`opacity` in 0..1 as a whole number of 255ths, halves rounded up."""
    if isinstance(opacity, bool) or not isinstance(opacity, numbers.Real):
        raise TypeError(f"opacity must be a number from 0 to 1, got {opacity!r}")
    if not 0 <= opacity <= 1:
        raise ValueError(f"opacity must be from 0 to 1, got {opacity}")
    return math.floor(opacity * 255 + 0.5)


def overlay_image(
    label_map: np.ndarray,
    colors: Sequence[str],
    image: Any,
    opacity: float = 0.5,
    *,
    outline: bool = False,
) -> Image.Image:
    """An RGB picture: `image` with each instance's color blended in at `opacity`.

    With `outline=True` only each instance's edge pixels are colored (as the
    widget's outline view). An alpha channel in `image` is dropped.
    """
    weight = blend_weight(opacity)
    pixels = _rgb_pixels(image)
    height, width = label_map.shape
    if pixels.shape[:2] != (height, width):
        raise ValueError(
            f"the image is {pixels.shape[1]}x{pixels.shape[0]} but the annotation is "
            f"{width}x{height} (width x height); overlay needs the image that was labeled"
        )
    painted = edge_pixels(label_map) if outline else label_map != 0
    # At most 255 * 255 + 127 = 65152: the blend fits in uint16.
    table = _color_table(colors, PREVIEW_BACKGROUND).astype(np.uint16)
    under = pixels[painted].astype(np.uint16)
    over = table[label_map[painted]]
    pixels[painted] = (under * (255 - weight) + over * weight + 127) // 255
    return Image.fromarray(pixels)


def preview_png(label_map: np.ndarray, colors: Sequence[str]) -> bytes | None:
    """PNG bytes of the instance colors on white, at most PREVIEW_SIDE pixels on a side.

    Larger annotations are shown at 1/k scale (k the smallest whole number that
    fits), keeping every k-th pixel of every k-th row (nearest neighbour).
    None for an image with no pixels (IPython then shows the text repr).
    """
    height, width = label_map.shape
    if label_map.size == 0:
        return None
    step = max(1, math.ceil(max(height, width) / PREVIEW_SIDE))
    shown = label_map[::step, ::step]
    table = _color_table(colors, PREVIEW_BACKGROUND)
    if len(table) <= 256:  # indexed: index = instance id, no per-pixel color lookup
        picture = Image.fromarray(np.ascontiguousarray(shown, np.uint8))
        picture.putpalette(table.ravel().tobytes())  # makes it mode "P"
    else:
        picture = Image.fromarray(table[shown])
    return png_bytes(picture)
