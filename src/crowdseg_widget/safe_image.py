"""Opening untrusted image bytes with Pillow, with a pixel limit checked before decoding."""

from __future__ import annotations

import io
import warnings

from PIL import Image

#: Larger images are refused before their pixels are decoded (decompression-bomb guard).
MAX_PIXELS = 200_000_000


def open_image(data: bytes, what: str) -> Image.Image:
    """Open (lazily) `data`, or raise ValueError naming `what` and the reason."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        raise ValueError(f"{what} refused: {err}") from None
    except Exception as err:
        raise ValueError(f"{what} is not a readable image ({err})") from None
    if image.width * image.height > MAX_PIXELS:
        raise ValueError(
            f"{what} is {image.width}x{image.height}, over the {MAX_PIXELS:,}-pixel limit"
        )
    return image
