"""The label PNG both ways: exact pixels, PNG structure, every foreign form."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from crowdseg_widget import safe_image
from crowdseg_widget.formats.png_codec import decode_label_png, encode_label_png
from crowdseg_widget.palette import next_colors


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    out, pos = [], 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, payload = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(payload, zlib.crc32(kind))
        out.append((kind, payload))
        pos += 12 + length
    return out


def sample_map(num: int, height: int = 23, width: int = 37, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(0, num + 1, (height, width)).astype(np.uint16)


def png_of(array: np.ndarray, mode: str, **save: object) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array, mode).save(buffer, "PNG", **save)
    return buffer.getvalue()


# ------------------------------------------------------------------ our writer


@pytest.mark.parametrize(("num", "bits"), [(0, 1), (1, 1), (3, 2), (15, 4), (16, 8), (255, 8)])
def test_indexed_png_has_sagemakers_chunks_and_a_bit_depth_by_palette_size(num, bits):
    colors = next_colors(num)
    png = encode_label_png(sample_map(num), colors)
    found = chunks(png)
    assert [k for k, _ in found] == [b"IHDR", b"sRGB", b"PLTE", b"tRNS", b"IDAT", b"IEND"]
    width, height, depth, color_type = struct.unpack(">IIBB", found[0][1][:10])
    assert (width, height, depth, color_type) == (37, 23, bits, 3)
    expected_palette = b"\x00\x00\x00" + b"".join(bytes.fromhex(c[1:]) for c in colors)
    assert found[2][1] == expected_palette
    assert found[3][1] == b"\x00"  # index 0 transparent, every other entry opaque


@pytest.mark.parametrize("num", [0, 1, 2, 3, 4, 15, 16, 200, 255])
def test_any_png_reader_returns_the_instance_ids_directly(num):
    label_map = sample_map(num)
    image = Image.open(io.BytesIO(encode_label_png(label_map, next_colors(num))))
    assert image.mode == "P"
    assert np.array_equal(np.asarray(image), label_map)
    assert image.info["transparency"] == 0


def test_pixels_are_exact_including_the_last_partial_byte_of_a_row():
    label_map = np.zeros((3, 5), np.uint8)
    label_map[0, 4] = 1  # last pixel of a 1-bit row shares its byte with padding
    label_map[2, 0] = 1
    colors = next_colors(1)
    decoded = decode_label_png(encode_label_png(label_map, colors), colors)
    assert decoded.dtype == np.uint8
    assert np.array_equal(decoded, label_map)


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (3, 5)])
def test_an_empty_map_of_each_size_encodes_to_its_own_png(shape):
    """Empty maps come from a cache by size: each the PNG of its own size, all zeros."""
    data = encode_label_png(np.zeros(shape, np.uint16), [])
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (shape[1], shape[0]) and image.mode == "P"
        assert not np.asarray(image).any()
    assert decode_label_png(data, [], (shape[1], shape[0])).shape == shape


def test_more_than_255_instances_are_written_as_rgba_and_read_back_as_uint16():
    num = 300
    colors = next_colors(num)
    label_map = np.arange(40 * 20, dtype=np.uint16).reshape(20, 40) % (num + 1)
    png = encode_label_png(label_map, colors)
    image = Image.open(io.BytesIO(png))
    assert image.mode == "RGBA"
    assert [k for k, _ in chunks(png)] == [b"IHDR", b"sRGB", b"IDAT", b"IEND"]
    rgba = np.asarray(image)
    assert tuple(rgba[0, 0]) == (0, 0, 0, 0)
    assert "#" + rgba.reshape(-1, 4)[299][:3].tobytes().hex() == colors[298]
    decoded = decode_label_png(png, colors)
    assert decoded.dtype == np.uint16
    assert np.array_equal(decoded, label_map)


# ------------------------------------------------------------------ foreign PNGs


def sagemaker_style_png(label_map: np.ndarray, colors: list[str]) -> bytes:
    """An indexed PNG like SageMaker's UPNG.js: palette in first-appearance order."""
    flat = label_map.ravel()
    _, first = np.unique(flat, return_index=True)
    order = flat[np.sort(first)]  # ids in order of first appearance
    index_of = np.zeros(len(colors) + 1, np.uint8)
    index_of[order] = np.arange(len(order))
    rgb = [(0, 0, 0) if i == 0 else tuple(bytes.fromhex(colors[i - 1][1:])) for i in order]
    image = Image.fromarray(index_of[label_map], "P")
    image.putpalette([v for c in rgb for v in c])
    alpha = bytes(0 if i == 0 else 255 for i in order)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", transparency=alpha)
    return buffer.getvalue()


def test_sagemaker_png_with_palette_in_first_appearance_order_decodes_by_color():
    label_map = np.zeros((10, 12), np.uint8)
    label_map[0, 0] = 3  # instance 3 appears first, so it gets palette index 0
    label_map[2:5, 2:6] = 2
    label_map[6:9, 1:11] = 1
    colors = next_colors(3)
    png = sagemaker_style_png(label_map, colors)
    assert np.asarray(Image.open(io.BytesIO(png)))[0, 0] == 0  # index 0 is not background here
    assert np.array_equal(decode_label_png(png, colors), label_map)


def rgb_image(label_map: np.ndarray, colors: list[str], background: tuple[int, ...]) -> np.ndarray:
    table = np.array([background] + [tuple(bytes.fromhex(c[1:])) + background[3:] for c in colors])
    if len(background) == 4:
        table[1:, 3] = 255
    return table.astype(np.uint8)[label_map]


@pytest.mark.parametrize(
    ("mode", "background"),
    [("RGBA", (0, 0, 0, 0)), ("RGBA", (255, 255, 255, 255)), ("RGB", (0, 0, 0)),
     ("RGB", (255, 255, 255))],
)  # fmt: skip
def test_rgba_and_rgb_pngs_decode_by_color_with_transparent_white_or_black_background(
    mode, background
):
    label_map = sample_map(5, seed=3).astype(np.uint8)
    colors = next_colors(5)
    png = png_of(rgb_image(label_map, colors, background), mode)
    assert np.array_equal(decode_label_png(png, colors), label_map)


def test_ground_truth_consolidated_png_with_white_background_decodes():
    # Ground Truth's consolidated PNGs: white background, palette index = class id.
    label_map = np.zeros((6, 8), np.uint8)
    label_map[1:3, 1:3], label_map[3:5, 4:7] = 1, 2
    image = Image.fromarray(label_map, "P")
    image.putpalette([255, 255, 255, 44, 160, 44, 31, 119, 180])
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    assert np.array_equal(decode_label_png(buffer.getvalue(), ["#2ca02c", "#1f77b4"]), label_map)


def test_grayscale_pngs_decode_when_gray_levels_are_instance_colors():
    label_map = np.array([[0, 1], [2, 0]], np.uint8)
    gray = np.array([0, 128, 255], np.uint8)[label_map]  # black background
    png = png_of(gray, "L")
    assert np.array_equal(decode_label_png(png, ["#808080", "#ffffff"]), label_map)
    la = np.stack([gray, np.full_like(gray, 255)], axis=-1)
    assert np.array_equal(decode_label_png(png_of(la, "LA"), ["#808080", "#ffffff"]), label_map)


def test_white_is_an_instance_when_an_instance_has_that_color():
    label_map = np.array([[0, 1]], np.uint8)
    png = png_of(rgb_image(label_map, ["#ffffff"], (0, 0, 0, 0)), "RGBA")
    assert np.array_equal(decode_label_png(png, ["#ffffff"]), label_map)


def test_lookup_cost_does_not_depend_on_instance_count_but_stays_exact_for_many_colors():
    num = 3000
    colors = next_colors(num)
    label_map = (np.arange(60 * 80).reshape(60, 80) % (num + 1)).astype(np.uint16)
    png = png_of(rgb_image(label_map, colors, (0, 0, 0, 0)), "RGBA")
    assert np.array_equal(decode_label_png(png, colors), label_map)


# ------------------------------------------------------------------ bad input


def test_antialiased_edge_is_rejected_naming_the_stray_color_and_its_pixel_count():
    label_map = np.zeros((8, 8), np.uint8)
    label_map[2:6, 2:6] = 1
    rgba = rgb_image(label_map, ["#2ca02c"], (0, 0, 0, 0))
    rgba[2, 2:5] = (22, 80, 22, 128)  # a blended edge: half-transparent darker green
    with pytest.raises(ValueError, match=r"#165016 \(alpha 128\) on 3 pixels") as err:
        decode_label_png(png_of(rgba, "RGBA"), ["#2ca02c"])
    assert "anti-aliased" in str(err.value)


def test_stray_color_in_an_indexed_png_is_rejected_with_its_count():
    label_map = np.array([[0, 1, 2, 2]], np.uint8)
    image = Image.fromarray(label_map, "P")
    image.putpalette([0, 0, 0, 44, 160, 44, 250, 0, 250])
    buffer = io.BytesIO()
    image.save(buffer, "PNG", transparency=0)
    with pytest.raises(ValueError, match="#fa00fa on 2 pixels"):
        decode_label_png(buffer.getvalue(), ["#2ca02c"])


def test_png_of_the_wrong_size_is_rejected_naming_both_sizes():
    png = encode_label_png(np.zeros((4, 5), np.uint8), [])
    with pytest.raises(ValueError, match="PNG is 5x4 but the image is 6x4"):
        decode_label_png(png, [], size=(6, 4))


@pytest.mark.parametrize("data", [b"", b"not a png", b"\xff\xd8\xff\xe0garbage"])
def test_unreadable_bytes_are_rejected(data):
    with pytest.raises(ValueError, match="not a readable image"):
        decode_label_png(data, [])


def test_jpeg_is_not_a_label_format():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "JPEG")
    with pytest.raises(ValueError, match="must be a PNG, got JPEG"):
        decode_label_png(buffer.getvalue(), [])


def test_huge_png_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(safe_image, "MAX_PIXELS", 100)
    png = encode_label_png(np.zeros((11, 10), np.uint8), [])
    with pytest.raises(ValueError, match="over the 100-pixel limit"):
        decode_label_png(png, [])
