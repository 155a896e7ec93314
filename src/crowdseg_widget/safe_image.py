"""Opening untrusted image bytes with Pillow, with a pixel limit checked before decoding.

The size of a PNG or JPEG is read from its header here, before Pillow sees
the bytes: a file of a few hundred bytes can claim 100000x100000 pixels (a
decompression bomb), and it is refused with the limit in the message. Other
formats are checked as soon as Pillow has read their header, still before any
pixel is decoded.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import warnings
import zlib
from pathlib import Path

from PIL import Image, UnidentifiedImageError

#: Larger images are refused before their pixels are decoded (decompression-bomb guard).
#: 100 megapixels is beyond any camera's photo and well within a browser canvas.
MAX_PIXELS = 100_000_000

#: Image files larger than this are not read (a 100-megapixel 16-bit RGBA TIFF is 800 MB).
MAX_FILE_BYTES = 2**30

#: The eight bytes every PNG starts with.
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"
#: JPEG start-of-frame markers (every SOFn but DHT C4, JPG C8 and DAC CC).
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the first start-of-frame segment, or None if there is none."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # stand-alone markers carry no length
            pos += 2
            continue
        if marker == 0xDA:  # start of scan: no frame header before the pixels
            return None
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _JPEG_SOF and pos + 9 <= len(data):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return width, height
        pos += 2 + length
    return None


def header_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) as a PNG's IHDR or a JPEG's frame header declares it; None otherwise."""
    if data.startswith(PNG_SIGNATURE) and data[12:16] == b"IHDR" and len(data) >= 33:
        # Trusted only with a matching CRC: a damaged header is Pillow's to report.
        (crc,) = struct.unpack(">I", data[29:33])
        if zlib.crc32(data[12:29]) == crc:
            width, height = struct.unpack(">II", data[16:24])
            return width, height
        return None
    if data.startswith(_JPEG_SIGNATURE):
        return _jpeg_size(data)
    return None


def png_bit_depth(data: bytes) -> int | None:
    """Bits per sample from a PNG's IHDR (1, 2, 4, 8 or 16), or None if `data` is not a PNG."""
    if data.startswith(PNG_SIGNATURE) and data[12:16] == b"IHDR" and len(data) >= 25:
        return data[24]
    return None


def check_size(width: int, height: int, what: str) -> None:
    """Refuse empty images and images over MAX_PIXELS, naming `what` and its size."""
    if width == 0 or height == 0:
        raise ValueError(f"{what} is {width}x{height}: an image needs at least one pixel")
    if width * height > MAX_PIXELS:
        raise ValueError(
            f"{what} is {width}x{height} ({width * height:,} pixels), over the "
            f"{MAX_PIXELS:,}-pixel limit; refused before decoding (a decompression bomb, "
            "or an image too large to label: downscale or tile it)"
        )


def _unreadable(data: bytes) -> str:
    if not data:
        return "it is empty (0 bytes)"
    if data.startswith(PNG_SIGNATURE):
        return "a PNG whose header is damaged"
    if data.startswith(_JPEG_SIGNATURE):
        return "a JPEG whose header is damaged"
    return f"not an image format Pillow reads; it starts with {data[:8]!r}"


def open_image(data: bytes, what: str) -> Image.Image:
    """Open (lazily) `data`, or raise ValueError naming `what` and the reason."""
    declared = header_size(data)
    if declared is not None:
        check_size(*declared, what)
    try:
        with warnings.catch_warnings():
            # Our own limit governs; Pillow's warning threshold would contradict it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:  # formats whose size we do not read ourselves
        pillow_limit = 2 * (Image.MAX_IMAGE_PIXELS or 0)
        raise ValueError(
            f"{what} claims more than {pillow_limit:,} pixels, over the "
            f"{min(MAX_PIXELS, pillow_limit):,}-pixel limit; refused before decoding "
            "(a decompression bomb?)"
        ) from None
    except UnidentifiedImageError:
        raise ValueError(f"{what} is not a readable image: {_unreadable(data)}") from None
    except Exception as err:
        raise ValueError(f"{what} is not a readable image ({err})") from None
    check_size(image.width, image.height, what)
    return image


def load_pixels(image: Image.Image, what: str) -> None:
    """Decode every pixel now; a truncated or corrupt file raises ValueError naming `what`."""
    try:
        image.load()
    except Exception as err:  # Pillow raises OSError, SyntaxError, zlib errors, ...
        raise ValueError(f"{what} is damaged: its pixels cannot be decoded ({err})") from None


def file_kind(mode: int) -> str:
    """What a stat mode says a path is: 'a folder', 'a FIFO (named pipe)', ..."""
    kinds = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket")]  # fmt: skip
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _not_regular(path: Path, mode: int, what: str) -> ValueError:
    kind = file_kind(mode)
    if kind == "a folder":
        return ValueError(f"{what} {path} is a folder, not a file")
    return ValueError(f"{what} {path} is {kind}, not a regular file; only regular files are read")


def check_regular_file(path: Path, what: str) -> None:
    """ValueError unless `path` is a regular file (FileNotFoundError when it is gone).

    From the path's metadata alone: a FIFO is never opened (that would wait for
    a writer) and a device never read.
    """
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        raise _not_regular(path, mode, what)


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long, a loop of links, ...
        return False


def read_file(path: Path, what: str) -> bytes:
    """The bytes of the regular file at `path`, at most MAX_FILE_BYTES; ValueError naming `what`.

    Opened without blocking and checked on the open file, so a FIFO or device
    swapped in after a check is refused too, never waited on or read forever.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ValueError(f"{what} not found: {path}") from None
    except ValueError:  # os.open refuses a NUL in the path
        raise ValueError(f"{what} path {str(path)!r} holds a NUL character") from None
    except OSError as err:
        if isinstance(err, IsADirectoryError) or _is_folder(path):  # Windows cannot open one
            raise ValueError(f"{what} {path} is a folder, not a file") from None
        raise ValueError(f"{what} {path} cannot be read ({err.strerror or err})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise _not_regular(path, mode, what)
    with os.fdopen(fd, "rb") as file:
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(
            f"{what} {path} is over the {MAX_FILE_BYTES:,}-byte limit for an image file"
        )
    return data
