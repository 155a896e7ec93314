"""Base64 text and `data:` URLs, as `src` and the label PNG may be given.

Base64 is read strictly (only its 64 characters and padding), but whitespace
anywhere is ignored: MIME wraps Base64 at 76 characters, and text pasted
from elsewhere may carry spaces or line breaks. The `data:` scheme and its
`;base64` flag are case-insensitive (RFC 2397).
"""

from __future__ import annotations

import base64
import binascii


def is_data_url(text: str) -> bool:
    return text[:5].lower() == "data:"


def decode_base64(text: str | bytes) -> bytes:
    """The bytes `text` encodes; ValueError when it is not standard Base64."""
    try:
        raw = text.encode("ascii") if isinstance(text, str) else text
        return base64.b64decode(b"".join(raw.split()), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise ValueError("not valid Base64") from None


def split_data_url(url: str) -> tuple[str, bool, str] | None:
    """(media type, whether Base64, payload) of `data:[<type>][;param...][;base64],<payload>`.

    None when `url` has no comma, so no payload.
    """
    header, comma, payload = url.partition(",")
    if not comma:
        return None
    media_type, *parameters = header[5:].split(";")
    is_base64 = any(p.strip().lower() == "base64" for p in parameters)
    return media_type.strip(), is_base64, payload
