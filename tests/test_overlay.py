import io

import numpy as np
import pytest
from PIL import Image

from crowdseg_widget import Annotation, sample_image
from crowdseg_widget.overlay import PREVIEW_SIDE

GREEN, BLUE = (0x2C, 0xA0, 0x2C), (0x1F, 0x77, 0xB4)  # the first two palette colors


def photo() -> np.ndarray:
    """A 4x6 RGB image, every pixel (200, 100, 50) but one."""
    pixels = np.empty((4, 6, 3), np.uint8)
    pixels[:] = (200, 100, 50)
    pixels[0, 5] = (0, 255, 10)
    return pixels


def two_instances() -> Annotation:
    label_map = np.zeros((4, 6), np.uint8)
    label_map[0:3, 0:3] = 1  # 3x3 block: (1, 1) is its only inner pixel
    label_map[0, 5] = 2
    return Annotation(label_map, ["Cat", "Dog"])


def test_instance_pixels_blend_by_the_rounded_integer_rule():
    out = np.asarray(two_instances().overlay(photo(), opacity=0.5))
    # A = round(0.5 * 255) = 128; (200*127 + 44*128 + 127) // 255 = 122, and so on.
    assert out[1, 1].tolist() == [122, 130, 47]
    assert out[0, 5].tolist() == [16, 187, 95]  # (0, 255, 10) under #1f77b4
    assert out[3, 0].tolist() == [200, 100, 50]  # background untouched
    assert out.shape == (4, 6, 3) and out.dtype == np.uint8


def test_opacity_one_shows_the_color_and_zero_the_image():
    ann = two_instances()
    assert np.asarray(ann.overlay(photo(), opacity=1))[2, 2].tolist() == list(GREEN)
    assert np.array_equal(np.asarray(ann.overlay(photo(), opacity=0)), photo())


def test_outline_colors_only_edge_pixels():
    out = np.asarray(two_instances().overlay(photo(), opacity=1.0, outline=True))
    assert out[1, 1].tolist() == [200, 100, 50]  # inside the block: untouched
    assert out[0, 0].tolist() == list(GREEN)  # on the image border
    assert out[1, 2].tolist() == list(GREEN)  # next to background
    assert out[0, 5].tolist() == list(BLUE)
    assert out[3, 3].tolist() == [200, 100, 50]


def test_the_picture_is_a_pil_rgb_image():
    picture = two_instances().overlay(photo())
    assert isinstance(picture, Image.Image)
    assert (picture.mode, picture.size) == ("RGB", (6, 4))


def test_every_src_form_with_pixels_is_accepted(tmp_path):
    coins = sample_image("coins")  # grayscale 384x303
    gray = np.asarray(Image.open(coins))
    label_map = np.zeros(gray.shape, np.uint8)
    label_map[10:20, 30:40] = 1
    ann = Annotation(label_map, ["Coin"])
    expected = np.asarray(ann.overlay(Image.open(coins)))
    assert expected[15, 35].tolist() == [
        (int(gray[15, 35]) * 127 + c * 128 + 127) // 255 for c in GREEN
    ]
    assert expected[0, 0].tolist() == [gray[0, 0]] * 3
    for form in (coins, str(coins), coins.read_bytes(), gray):
        assert np.array_equal(np.asarray(ann.overlay(form)), expected)


def test_an_image_of_another_size_is_refused_with_both_sizes():
    with pytest.raises(ValueError, match=r"the image is 5x4 but the annotation is 6x4"):
        two_instances().overlay(np.zeros((4, 5, 3), np.uint8))


def test_a_url_is_refused_because_it_is_not_downloaded():
    with pytest.raises(ValueError, match="does not download URLs"):
        two_instances().overlay("https://example.com/cat.png")


@pytest.mark.parametrize(("opacity", "error"), [(1.5, ValueError), (-0.1, ValueError),
                                                ("0.5", TypeError), (True, TypeError)])  # fmt: skip
def test_opacity_must_be_a_number_from_0_to_1(opacity, error):
    with pytest.raises(error, match="opacity must be"):
        two_instances().overlay(photo(), opacity=opacity)


def decode_png(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def test_repr_png_shows_instance_colors_on_white():
    shown = decode_png(two_instances()._repr_png_())
    assert shown.shape == (4, 6, 3)
    assert shown[1, 1].tolist() == list(GREEN)
    assert shown[0, 5].tolist() == list(BLUE)
    assert shown[3, 0].tolist() == [255, 255, 255]


def test_repr_png_of_a_large_annotation_keeps_every_kth_pixel():
    label_map = np.zeros((3000, 2000), np.uint8)
    label_map[3:6, 0:3] = 1  # preview pixel (0, 1) samples (0, 3)
    label_map[2997, 1998] = 2  # preview pixel (666, 999) samples (1998, 2997)
    shown = decode_png(Annotation(label_map, ["a", "b"])._repr_png_())
    assert PREVIEW_SIDE == 1024 and shown.shape == (1000, 667, 3)  # step 3
    assert shown[1, 0].tolist() == list(GREEN)
    assert shown[999, 666].tolist() == list(BLUE)
    assert shown[0, 0].tolist() == [255, 255, 255]
    assert (shown != 255).any(axis=2).sum() == 2  # nothing else


def test_repr_png_beyond_255_instances():
    label_map = np.arange(300, dtype=np.uint16).reshape(15, 20)  # 0..299: 299 instances
    ann = Annotation(label_map, ["a"] * 299)
    shown = decode_png(ann._repr_png_())
    assert shown[0, 0].tolist() == [255, 255, 255]
    last = ann.colors[-1]
    assert shown[14, 19].tolist() == [int(last[i : i + 2], 16) for i in (1, 3, 5)]


def test_an_rgba_array_loses_its_alpha_and_a_float_array_is_refused():
    rgba = np.concatenate([photo(), np.full((4, 6, 1), 7, np.uint8)], axis=2)
    out = np.asarray(two_instances().overlay(rgba))
    assert out.shape == (4, 6, 3) and out[1, 1].tolist() == [122, 130, 47]
    with pytest.raises(TypeError, match="must be uint8"):
        two_instances().overlay(photo().astype(float))


def test_repr_png_of_an_image_without_pixels_is_none_so_the_text_repr_shows():
    assert Annotation.empty(0, 0)._repr_png_() is None


def test_numpy_opacity_is_accepted():
    out = np.asarray(two_instances().overlay(photo(), opacity=np.float32(0.5)))
    assert out[1, 1].tolist() == [122, 130, 47]
