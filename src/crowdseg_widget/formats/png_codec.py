"""Label maps to and from PNG bytes: the value's `labeledImage.pngImageData` (docs/format.md).

We write an indexed PNG whose palette index *i* is instance *i* (index 0 is
transparent black), so any PNG reader returns the instance-id map directly.
Beyond 255 instances we write 8-bit RGBA. We read every PNG a consumer may
hand us and map colors to ids with a cost that does not grow with the number
of instances.
"""

from __future__ import annotations

import functools
import struct
import zlib
from collections.abc import Sequence

import numpy as np
from PIL import Image

from ..annotation import id_dtype
from ..palette import color_to_rgb
from ..safe_image import PNG_SIGNATURE, load_pixels, open_image, png_bit_depth

_TRANSPARENT = 0  # uint32 key of any fully transparent pixel (alpha in the top byte)
_OPAQUE_WHITE = 0xFFFFFFFF
_OPAQUE_BLACK = 0xFF000000


# ---------------------------------------------------------------- encoding


def _chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(payload, zlib.crc32(kind))
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def _bit_depth(palette_size: int) -> int:
    for bits in (1, 2, 4):
        if palette_size <= 1 << bits:
            return bits
    return 8


def _pack_rows(ids: np.ndarray, bits: int) -> np.ndarray:
    """Pack (H, W) ids < 2**bits into PNG scanlines of `bits` bits per pixel."""
    rows = ids.astype(np.uint8)
    if bits == 8:
        return rows
    per_byte = 8 // bits
    height, width = rows.shape
    padded = np.zeros((height, -(-width // per_byte) * per_byte), np.uint8)
    padded[:, :width] = rows
    groups = padded.reshape(height, -1, per_byte)
    shifts = np.arange(per_byte - 1, -1, -1, dtype=np.uint8) * bits
    packed: np.ndarray = np.bitwise_or.reduce(groups << shifts, axis=2).astype(np.uint8)
    return packed


def _png(ihdr: bytes, chunks: list[bytes], scanlines: np.ndarray) -> bytes:
    # Filter type 0 on every row: label maps are long runs that deflate handles well.
    height = scanlines.shape[0]
    raw = np.concatenate([np.zeros((height, 1), np.uint8), scanlines.reshape(height, -1)], axis=1)
    idat = zlib.compress(raw.tobytes(), 6)
    return b"".join(
        [PNG_SIGNATURE, _chunk(b"IHDR", ihdr), _chunk(b"sRGB", b"\x00"), *chunks,
         _chunk(b"IDAT", idat), _chunk(b"IEND", b"")]
    )  # fmt: skip


@functools.lru_cache(maxsize=4)
def _empty_png(height: int, width: int) -> bytes:
    return _encode(np.zeros((height, width), np.uint8), ())


def encode_label_png(label_map: np.ndarray, colors: Sequence[str]) -> bytes:
    """Encode an (H, W) id map (0 = background, i = colors[i-1]) as PNG bytes.

    Up to 255 instances: indexed PNG, palette index = id, index 0 transparent
    black, bit depth 1/2/4/8 by palette size. Beyond: 8-bit RGBA. An empty map's
    PNG comes from a small cache by size (a dataset session starts many; at 12 MP
    its encode alone is ~60 ms).
    """
    if not colors and not label_map.any():
        return _empty_png(*label_map.shape)
    return _encode(label_map, colors)


def _encode(label_map: np.ndarray, colors: Sequence[str]) -> bytes:
    height, width = label_map.shape
    rgb = np.array([(0, 0, 0), *(color_to_rgb(c) for c in colors)], np.uint8)
    if len(colors) <= 255:
        bits = _bit_depth(len(rgb))
        ihdr = struct.pack(">IIBBBBB", width, height, bits, 3, 0, 0, 0)
        chunks = [_chunk(b"PLTE", rgb.tobytes()), _chunk(b"tRNS", b"\x00")]
        return _png(ihdr, chunks, _pack_rows(label_map, bits))
    rgba = np.concatenate([rgb, np.full((len(rgb), 1), 255, np.uint8)], axis=1)
    rgba[0, 3] = 0
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return _png(ihdr, [], rgba[label_map])


def view_reads(data: bytes) -> bool:
    """Whether the view's own PNG decoder (js/core/png.ts) reads `data`, from its IHDR:
    indexed at 1, 2, 4 or 8 bits, or 8-bit RGBA, not interlaced (what we write)."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR" or len(data) < 29:
        return False
    depth, color_type, interlace = data[24], data[25], data[28]
    indexed = color_type == 3 and depth in (1, 2, 4, 8)
    return (indexed or (color_type == 6 and depth == 8)) and interlace == 0


# ---------------------------------------------------------------- decoding


def _open_png(data: bytes) -> Image.Image:
    image = open_image(data, "the labeled PNG")
    if image.format != "PNG":
        raise ValueError(f"labeled image must be a PNG, got {image.format}")
    if png_bit_depth(data) == 16:
        # Pillow would quietly drop the low byte of each sample: refuse rather than guess.
        raise ValueError(
            "the labeled PNG has 16 bits per sample; label PNGs have 8 (indexed, RGBA, RGB, "
            "LA or L): save it with 8 bits per channel"
        )
    load_pixels(image, "the labeled PNG")
    return image


def _color_keys(colors: Sequence[str]) -> np.ndarray:
    """Each '#rrggbb' as the little-endian uint32 of its opaque RGBA pixel."""
    rgb = np.array([color_to_rgb(c) for c in colors], np.uint32).reshape(-1, 3)
    return rgb[:, 0] | (rgb[:, 1] << 8) | (rgb[:, 2] << 16) | np.uint32(0xFF000000)


def _key_to_text(key: int) -> str:
    r, g, b, a = key & 0xFF, (key >> 8) & 0xFF, (key >> 16) & 0xFF, key >> 24
    text = f"#{r:02x}{g:02x}{b:02x}"
    return text if a == 255 else f"{text} (alpha {a})"


def _stray_error(keys: np.ndarray, colors: Sequence[str]) -> ValueError:
    values, counts = np.unique(keys, return_counts=True)
    order = np.argsort(-counts, kind="stable")
    worst = ", ".join(
        f"{_key_to_text(int(values[i]))} on {int(counts[i])} pixels" for i in order[:3]
    )
    more = f" and {len(values) - 3} more colors" if len(values) > 3 else ""
    known = ", ".join(colors) or "none"
    return ValueError(
        f"labeled PNG has pixels whose color is not an instance color: {worst}{more} "
        f"(instance colors: {known}). Every pixel must be background or exactly one "
        "instance's color; anti-aliased (soft) edges are the usual cause."
    )


def _id_table(colors: Sequence[str]) -> dict[int, int]:
    """Pixel key -> id: instance colors, and the background keys.

    Background is transparent always, opaque white/black only where no
    instance has that color (Ground Truth's consolidated PNGs are white).
    """
    table = {int(k): i + 1 for i, k in enumerate(_color_keys(colors))}
    for key in (_TRANSPARENT, _OPAQUE_WHITE, _OPAQUE_BLACK):
        table.setdefault(key, 0)
    return table


def _key_lookup(pixel_keys: np.ndarray, table: dict[int, int]) -> np.ndarray | None:
    """Map uint32 keys to ids through a small open-addressing hash table.

    Returns None when some pixel's key is not in `table`. The table is at most
    a quarter full, so nearly every pixel resolves on its first probe: the cost
    per pixel does not grow with the number of instances.
    """
    bits = max(6, (4 * len(table) - 1).bit_length())
    mask = (1 << bits) - 1
    multiplier = 0x9E3779B1  # Fibonacci hashing: the top bits of key * 2**32/phi

    def home(key: int) -> int:
        return ((key * multiplier) & 0xFFFFFFFF) >> (32 - bits)

    # Empty slots hold key 0. Key 0 (transparent) hashes to slot 0 and is
    # inserted first, so it sits there and no other slot can falsely match it.
    table_keys = np.zeros(mask + 1, np.uint32)
    table_ids = np.zeros(mask + 1, id_dtype(max(table.values(), default=0)))
    occupied = np.zeros(mask + 1, bool)
    longest_probe = 0
    for key in sorted(table, key=lambda k: k != _TRANSPARENT):
        slot, probe = home(key), 0
        while occupied[(slot + probe) & mask]:
            probe += 1
        where = (slot + probe) & mask
        table_keys[where], table_ids[where], occupied[where] = key, table[key], True
        longest_probe = max(longest_probe, probe)

    flat_keys = pixel_keys.ravel()
    slots = (flat_keys * np.uint32(multiplier)) >> np.uint32(32 - bits)
    ids = table_ids[slots]
    pending = np.flatnonzero(table_keys[slots] != flat_keys)
    for probe in range(1, longest_probe + 1):
        if not len(pending):
            break
        probed = (slots[pending] + probe) & mask
        hit = table_keys[probed] == flat_keys[pending]
        ids[pending[hit]] = table_ids[probed[hit]]
        pending = pending[~hit]
    if len(pending):
        return None
    result: np.ndarray = ids.reshape(pixel_keys.shape)
    return result


def _run_starts(keys: np.ndarray) -> np.ndarray | None:
    """Flat indices where a new run of equal keys starts; None when runs are short.

    Label maps are long runs of one color (a 4000x3000 map with 100 instances has
    about 40,000), so mapping each run once costs a fraction of mapping each pixel.
    """
    change = keys[1:] != keys[:-1]
    if np.count_nonzero(change) > keys.size // 8:  # noise-like: map every pixel instead
        return None
    starts: np.ndarray = np.flatnonzero(change)
    starts += 1
    return np.concatenate([np.zeros(1, starts.dtype), starts])


def _background_keys(keys: np.ndarray) -> np.ndarray:
    """Every pixel with alpha 0 is background, whatever its RGB: one key for them all."""
    return np.where(keys < 1 << 24, np.uint32(_TRANSPARENT), keys)


def _decode_rgba(image: Image.Image, colors: Sequence[str]) -> np.ndarray:
    rgba = np.asarray(image if image.mode == "RGBA" else image.convert("RGBA"))
    keys = np.ascontiguousarray(rgba).view("<u4").ravel()
    table = _id_table(colors)
    starts = _run_starts(keys) if keys.size else None
    run_keys = _background_keys(keys if starts is None else keys[starts])
    run_ids = _key_lookup(run_keys, table)
    if run_ids is None:
        all_keys = _background_keys(keys)
        stray = ~np.isin(all_keys, np.fromiter(table, np.uint32, len(table)))
        raise _stray_error(all_keys[stray], colors)
    ids = run_ids if starts is None else np.repeat(run_ids, np.diff(starts, append=keys.size))
    result: np.ndarray = ids.reshape(rgba.shape[:2])
    return result


def _palette_alpha(image: Image.Image, entries: int) -> np.ndarray:
    alpha = np.full(entries, 255, np.uint8)
    transparency = image.info.get("transparency")
    if isinstance(transparency, int) and transparency < entries:
        alpha[transparency] = 0
    elif isinstance(transparency, bytes):
        given = np.frombuffer(transparency[:entries], np.uint8)
        alpha[: len(given)] = given
    return alpha


def _decode_indexed(image: Image.Image, colors: Sequence[str]) -> np.ndarray:
    indices = np.asarray(image)
    palette = np.array(image.getpalette("RGB") or [], np.uint32).reshape(-1, 3)
    alpha = _palette_alpha(image, len(palette)).astype(np.uint32)
    entry_keys = palette[:, 0] | (palette[:, 1] << 8) | (palette[:, 2] << 16) | (alpha << 24)
    entry_keys[alpha == 0] = _TRANSPARENT
    # Our own PNGs: palette index i already is instance i; skip the lookup.
    num = len(colors)
    own = np.concatenate([[_TRANSPARENT], _color_keys(colors)]).astype(np.uint32)
    is_own = len(entry_keys) > num and np.array_equal(entry_keys[: num + 1], own)
    if is_own and int(indices.max(initial=0)) <= num:
        return indices.astype(id_dtype(num), copy=False)
    # Foreign palettes (SageMaker orders by first appearance): map the <= 256 entries.
    table = _id_table(colors)
    stray_id = num + 1
    lut = np.full(256, stray_id, id_dtype(stray_id))
    for index, key in enumerate(entry_keys.tolist()):
        lut[index] = table.get(key, stray_id)
    ids: np.ndarray = lut[indices]
    if stray_id in lut[: int(indices.max(initial=0)) + 1]:  # int: uint8 255 + 1 wraps to 0
        stray = ids == stray_id
        if stray.any():
            # Indices past the palette's end read as transparent black (key 0).
            entry = np.minimum(indices[stray].astype(np.intp), len(entry_keys))
            keys = np.append(entry_keys, np.uint32(0))[entry]
            raise _stray_error(keys, colors)
    return ids.astype(id_dtype(num), copy=False)


def decode_label_png(
    data: bytes, colors: Sequence[str], size: tuple[int, int] | None = None
) -> np.ndarray:
    """Decode PNG bytes into an (H, W) id map, mapping each pixel by its color.

    `colors[i-1]` is instance i's color. Background is any fully transparent
    pixel, or opaque white/black where no instance has that color. `size` is
    the expected (width, height).
    """
    image = _open_png(data)
    if size is not None and image.size != tuple(size):
        raise ValueError(
            f"labeled PNG is {image.width}x{image.height} but the image is "
            f"{size[0]}x{size[1]}; the PNG must have exactly the image's size"
        )
    if image.mode == "P":
        return _decode_indexed(image, colors)
    if image.mode in ("RGBA", "RGB", "LA", "L", "1"):
        return _decode_rgba(image, colors)
    raise ValueError(f"unsupported PNG mode {image.mode!r} for labels")
