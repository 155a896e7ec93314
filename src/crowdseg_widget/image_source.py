"""Every `src` form, turned into what the browser is sent.

Local images travel as binary bytes, never Base64. EXIF orientation is
applied here, in Python, and the browser gets pixels with no orientation tag,
so Python and the browser always agree on width and height (a turned JPEG is
sent as a JPEG again, with its own quantization; other formats as PNG).
"""

from __future__ import annotations

import hashlib
import io
import os
import warnings
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

import numpy as np
from PIL import Image, ImageOps, JpegImagePlugin

from .formats.data_url import decode_base64, is_data_url, split_data_url
from .safe_image import check_regular_file, check_size, load_pixels, open_image, read_file

#: Formats every browser decodes natively; others are re-encoded as PNG.
_BROWSER_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif",
                    "WEBP": "image/webp", "BMP": "image/bmp"}  # fmt: skip
_EXIF_ORIENTATION = 0x0112
#: EXIF orientations that turn the image a quarter turn (width and height swap).
_SWAPS_SIDES = frozenset({5, 6, 7, 8})
#: Jupyter's websocket refuses messages over 10 MiB by default.
MESSAGE_LIMIT = 10 * 1024 * 1024


@dataclass(frozen=True)
class ImageSource:
    data: bytes  # encoded image for the browser; b"" when the browser loads `url`
    mime: str
    url: str  # an http(s) URL, or ""
    width: int  # 0 while unknown (a URL the browser has not loaded yet)
    height: int

    @cached_property
    def key(self) -> str:
        """A content hash of `data` and `mime`: the view matches a prefetched image to the
        one shown by it, so equal keys mean equal bytes. "" when there are no bytes."""
        if not self.data:
            return ""
        return hashlib.sha256(self.mime.encode() + b"\0" + self.data).hexdigest()[:32]


def png_bytes(image: Image.Image) -> bytes:
    """`image` as PNG bytes, deflated quickly (level 1): lossless, made to be sent or shown."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def exif_orientation(image: Image.Image) -> int:
    """The EXIF orientation tag (1 upright, 2-8 flipped or turned; 5-8 swap width and height).

    A PNG keeps EXIF after its pixels, so for a PNG this reads the whole file.
    """
    tag = image.getexif().get(_EXIF_ORIENTATION, 1)
    return tag if isinstance(tag, int) else 1


def image_size(path: Path) -> tuple[int, int]:
    """(width, height) of an image file as shown upright (EXIF orientation applied).

    Reads the header only (no pixels), as `load_image_source` would size the
    file. ValueError when it is not an image Pillow reads or not a regular file
    (a FIFO is never opened); FileNotFoundError when it is gone.
    """
    check_regular_file(path, "image file")
    try:
        with Image.open(path) as image:
            width, height = image.size
            orientation = exif_orientation(image)
    except FileNotFoundError:
        raise
    except Exception as err:
        raise ValueError(f"cannot be read as an image ({err})") from None
    return (height, width) if orientation in _SWAPS_SIDES else (width, height)


def _from_pil(image: Image.Image) -> ImageSource:
    check_size(image.width, image.height, "the image")
    if image.mode not in ("L", "LA", "RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    return ImageSource(png_bytes(image), "image/png", "", image.width, image.height)


def _upright_jpeg(original: Image.Image, upright: Image.Image) -> ImageSource:
    """A turned JPEG photo as a JPEG again, with the original's own quantization tables
    and chroma subsampling: about the original's size and quality, where a lossless PNG
    of a 12 MP photo is ~19 MB, over the server's 10 MiB message limit."""
    check_size(upright.width, upright.height, "the image")
    buffer = io.BytesIO()
    sampling = JpegImagePlugin.get_sampling(original)
    options: dict[str, Any] = {"qtables": getattr(original, "quantization", None) or None}
    if sampling >= 0:
        options["subsampling"] = sampling
    if options["qtables"] is None:
        options = {"quality": 95}
    upright.save(buffer, format="JPEG", **options)
    return ImageSource(buffer.getvalue(), "image/jpeg", "", upright.width, upright.height)


def _from_array(array: np.ndarray) -> ImageSource:
    if array.dtype != np.uint8:
        raise TypeError(f"a numpy image must be uint8, got {array.dtype}; scale it to 0..255 first")
    if not (array.ndim == 2 or (array.ndim == 3 and array.shape[2] in (3, 4))):
        raise ValueError(
            f"a numpy image must have shape (H, W), (H, W, 3) or (H, W, 4), got {array.shape}"
        )
    return _from_pil(Image.fromarray(np.ascontiguousarray(array)))


def _from_bytes(data: bytes, origin: str) -> ImageSource:
    image = open_image(data, origin)
    pages = getattr(image, "n_frames", 1)
    if pages > 1:  # a multi-page TIFF, an animated GIF, WebP or PNG
        raise ValueError(
            f"{origin} has {pages} pages (frames); one image is labeled at a time: pass one "
            "page as a PIL image (image = PIL.Image.open(path); image.seek(page))"
        )
    try:
        orientation = exif_orientation(image)
    except Exception as err:
        raise ValueError(f"{origin} is damaged ({err})") from None
    if orientation != 1 or image.format not in _BROWSER_FORMATS:
        # Re-encode: rotated pixels, no orientation tag, a format browsers read.
        try:
            upright = ImageOps.exif_transpose(image)
        except Exception as err:
            raise ValueError(f"{origin} could not be decoded ({err})") from None
        if image.format == "JPEG":
            return _upright_jpeg(image, upright)
        return _from_pil(upright)
    try:  # catches corrupt files now rather than a blank canvas later
        Image.open(io.BytesIO(data)).verify()
    except Exception as err:
        raise ValueError(f"{origin} is damaged ({err})") from None
    width, height = image.size
    if image.format == "JPEG":
        # verify() does not read a JPEG's scans; decoding at 1/8 scale does, cheaply,
        # so a truncated file is an error here rather than a grey band in the browser.
        image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
        load_pixels(image, origin)
    return ImageSource(data, _BROWSER_FORMATS[str(image.format)], "", width, height)


def _from_data_url(url: str) -> ImageSource:
    parts = split_data_url(url)
    if parts is None:
        raise ValueError("a data URL src must look like data:image/png;base64,...")
    _, is_base64, payload = parts
    try:
        data = decode_base64(payload) if is_base64 else unquote_to_bytes(payload)
    except ValueError:
        raise ValueError("the data URL src does not hold valid Base64") from None
    return _from_bytes(data, "the data URL src")


def _from_pil_image(image: Image.Image) -> ImageSource:
    """A PIL image as it is shown: its current frame, upright, fully decoded now."""
    frames = getattr(image, "n_frames", 1)
    if frames > 1:
        warnings.warn(
            f"the PIL image has {frames} frames; frame {image.tell() + 1} (the current one) "
            "is labeled",
            UserWarning,
            stacklevel=4,
        )
    load_pixels(image, "the src image (PIL)")  # a lazily opened, truncated file: named here
    return _from_pil(ImageOps.exif_transpose(image))


def load_image_source(src: Any) -> ImageSource:
    """Accept a path, Path, http(s)/data URL, PIL image, uint8 array or encoded bytes
    (or an `ImageSource` already made, e.g. prepared ahead by a dataset session)."""
    if isinstance(src, ImageSource):
        return src
    if isinstance(src, Image.Image):
        return _from_pil_image(src)
    if isinstance(src, np.ndarray):
        return _from_array(src)
    if isinstance(src, (bytes, bytearray, memoryview)):
        return _from_bytes(bytes(src), "the src image (bytes)")
    if isinstance(src, str) and src[:8].lower().startswith(("http://", "https://")):
        return ImageSource(b"", "", src, 0, 0)
    if isinstance(src, str) and is_data_url(src):
        return _from_data_url(src)
    if isinstance(src, (str, os.PathLike)):
        path = Path(src).expanduser()
        return _from_bytes(read_file(path, "image file"), f"image file {path}")
    raise TypeError(
        "src must be a path, pathlib.Path, http(s) or data URL, PIL image, numpy uint8 "
        f"array or encoded image bytes, got {type(src).__name__}"
    )
