"""Property tests of the label codec: whatever is encoded decodes back exactly.

Random label maps (odd sizes, 0 to 300 instances, long runs or noise) go
through our encoder, Pillow, and the encodings other tools write (RGBA,
palettes in shuffled order, grayscale) and back, pixel for pixel; and the
size the bomb guard reads from a header; damaged label PNGs and photos fail
only with ValueError. 11,800 examples in all; marked slow (part of `make test`,
20-40 s).
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from crowdseg_widget import Annotation
from crowdseg_widget.formats.png_codec import decode_label_png, encode_label_png
from crowdseg_widget.image_source import load_image_source
from crowdseg_widget.safe_image import header_size

pytestmark = pytest.mark.slow


def examples(count: int) -> settings:
    return settings(max_examples=count, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def label_maps(draw: st.DrawFn, max_instances: int = 300) -> tuple[np.ndarray, list[str]]:
    """(ids, colors): an (H, W) id map and one distinct random '#rrggbb' per instance.

    Half are noise (every pixel random), half rectangles painted over each other
    (long runs, as painted labels are), so both decoding paths are exercised.
    """
    height = draw(st.integers(1, 37))
    width = draw(st.integers(1, 41))
    count = draw(st.integers(0, max_instances))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if draw(st.booleans()):
        ids = rng.integers(0, count + 1, (height, width))
    else:
        ids = np.zeros((height, width), np.int64)
        for _ in range(int(rng.integers(0, 8))):
            y0, x0 = rng.integers(0, height), rng.integers(0, width)
            y1, x1 = rng.integers(y0, height + 1), rng.integers(x0, width + 1)
            ids[y0:y1, x0:x1] = rng.integers(0, count + 1)
    codes = rng.choice(1 << 24, count, replace=False)
    return ids.astype(np.uint16), [f"#{int(c):06x}" for c in codes]


def rgb_of(colors: list[str]) -> np.ndarray:
    return np.array([list(bytes.fromhex(c[1:])) for c in colors], np.uint8).reshape(-1, 3)


def png_of(image: Image.Image, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **options)
    return buffer.getvalue()


@examples(3000)
@given(label_maps())
def test_our_png_decodes_to_the_same_ids_and_any_reader_sees_them(case):
    ids, colors = case
    png = encode_label_png(ids, colors)
    decoded = decode_label_png(png, colors, size=(ids.shape[1], ids.shape[0]))
    assert decoded.dtype == (np.uint8 if len(colors) <= 255 else np.uint16)
    np.testing.assert_array_equal(decoded, ids)
    if len(colors) <= 255:  # indexed: Pillow's indices are the ids
        np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(png))), ids)


@examples(2500)
@given(label_maps(), st.integers(0, (1 << 24) - 1))
def test_foreign_rgba_with_any_rgb_under_transparent_background_decodes(case, hidden_rgb):
    ids, colors = case
    table = np.zeros((len(colors) + 1, 4), np.uint8)
    table[0, :3] = list(hidden_rgb.to_bytes(3, "big"))  # alpha 0: whatever RGB it carries
    table[1:, :3] = rgb_of(colors)
    table[1:, 3] = 255
    png = png_of(Image.fromarray(table[ids], "RGBA"))
    np.testing.assert_array_equal(decode_label_png(png, colors), ids)


@examples(2000)
@given(label_maps(max_instances=255), st.randoms(use_true_random=False))
def test_indexed_png_with_a_shuffled_palette_decodes_by_color(case, random):
    ids, colors = case
    order = list(range(len(colors) + 1))  # palette index k holds id order[k]
    random.shuffle(order)
    index_of = np.argsort(order).astype(np.uint8)
    rgb = np.concatenate([np.zeros((1, 3), np.uint8), rgb_of(colors)])
    image = Image.fromarray(index_of[ids], "P")
    image.putpalette(rgb[order].ravel().tolist())
    alpha = bytes(0 if i == 0 else 255 for i in order)
    png = png_of(image, transparency=alpha)
    np.testing.assert_array_equal(decode_label_png(png, colors), ids)


@examples(1500)
@given(label_maps(max_instances=254), st.sampled_from(["L", "LA", "RGB"]))
def test_grayscale_and_rgb_pngs_on_black_decode_by_gray_level(case, mode):
    ids, colors = case
    levels = np.random.default_rng(len(colors)).choice(np.arange(1, 255), len(colors), False)
    gray = np.concatenate([[0], levels]).astype(np.uint8)[ids]  # opaque black background
    grays = [f"#{int(v):02x}{int(v):02x}{int(v):02x}" for v in levels]
    pixels = {
        "L": gray,
        "LA": np.stack([gray, np.full_like(gray, 255)], axis=-1),
        "RGB": np.stack([gray] * 3, axis=-1),
    }[mode]
    png = png_of(Image.fromarray(pixels, mode))
    np.testing.assert_array_equal(decode_label_png(png, grays), ids)


@examples(1000)
@given(label_maps(), st.booleans())
def test_the_sagemaker_value_round_trips_with_or_without_a_data_prefix(case, data_url):
    ids, colors = case
    annotation = Annotation(ids, [f"label {i % 7}" for i in range(len(colors))], colors)
    value = annotation.to_value()
    if data_url:
        text = value["labeledImage"]["pngImageData"]
        value["labeledImage"]["pngImageData"] = "data:image/png;base64," + text
    decoded = Annotation.from_value(value)
    assert decoded == annotation
    masks = decoded.masks
    assert masks.shape == (len(colors), *ids.shape)
    np.testing.assert_array_equal(masks, ids[None] == np.arange(1, len(colors) + 1)[:, None, None])


@examples(300)
@given(
    st.integers(1, 300),
    st.integers(1, 300),
    st.sampled_from(["JPEG", "progressive JPEG", "JPEG with EXIF", "PNG", "indexed PNG"]),
)
def test_the_size_read_from_the_header_is_the_size_pillow_decodes(width, height, kind):
    # The pixel limit is checked on this size before Pillow opens the file.
    image = Image.new("P" if kind == "indexed PNG" else "RGB", (width, height))
    exif = Image.Exif()
    exif[0x010F] = "camera"  # an APP1 segment before the frame header
    options = {
        "JPEG": {}, "progressive JPEG": {"progressive": True}, "JPEG with EXIF": {"exif": exif},
        "PNG": {}, "indexed PNG": {},
    }[kind]  # fmt: skip
    buffer = io.BytesIO()
    image.save(buffer, "PNG" if "PNG" in kind else "JPEG", **options)
    assert header_size(buffer.getvalue()) == Image.open(buffer).size == (width, height)


def damaged(data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    """`data` with each (kind, position, byte) edit: overwrite, cut, or insert a byte."""
    out = bytearray(data)
    for kind, position, byte in edits:
        at = position % max(len(out), 1)
        if kind == 0:
            out[at : at + 1] = bytes([byte])
        elif kind == 1:
            del out[at:]
        else:
            out[at:at] = bytes([byte])
    return bytes(out)


DAMAGE = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 10**6), st.integers(0, 255)),
                  min_size=1, max_size=4)  # fmt: skip


@examples(1000)
@given(label_maps(max_instances=20), st.booleans(), DAMAGE)
def test_damaged_label_pngs_raise_value_error_or_decode_within_bounds(case, rgba, edits):
    ids, colors = case
    if rgba:
        table = np.zeros((len(colors) + 1, 4), np.uint8)
        table[1:, :3], table[1:, 3] = rgb_of(colors), 255
        png = png_of(Image.fromarray(table[ids], "RGBA"))
    else:
        png = encode_label_png(ids, colors)
    try:
        decoded = decode_label_png(damaged(png, edits), colors)
    except ValueError:
        return  # every failure is a ValueError that names the problem, never a raw error
    assert decoded.ndim == 2 and int(decoded.max(initial=0)) <= len(colors)


@examples(500)
@given(st.sampled_from(["JPEG", "PNG"]), st.integers(0, 2**32 - 1), DAMAGE)
def test_damaged_photos_raise_value_error_or_load_with_a_size(fmt, seed, edits):
    pixels = np.random.default_rng(seed).integers(0, 256, (24, 32, 3), np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, fmt)
    try:
        source = load_image_source(damaged(buffer.getvalue(), edits))
    except ValueError:
        return
    assert source.width > 0 and source.height > 0
