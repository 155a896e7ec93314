"""Every `src` form, decoded to the same pixels and size the browser will get."""

import base64
import io

import numpy as np
import pytest
from PIL import Image, ImageOps

from crowdseg_widget import sample_image
from crowdseg_widget.image_source import image_size, load_image_source


def decoded(source) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(source.data)))


def test_sample_image_is_shipped_in_the_package():
    path = sample_image("cat")
    assert path.is_file() and path.name == "chelsea.png"
    assert (path.parent / "LICENSES.md").read_text().count("CC0") >= 2


def test_unknown_sample_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="'cat', 'coffee', 'coins'"):
        sample_image("dog")


@pytest.mark.parametrize("as_str", [True, False])
def test_path_sends_the_file_bytes_unchanged(as_str):
    path = sample_image("coins")
    source = load_image_source(str(path) if as_str else path)
    assert source.data == path.read_bytes()
    assert (source.mime, source.url, source.width, source.height) == ("image/png", "", 384, 303)


def test_encoded_bytes_and_data_url_are_sent_as_binary():
    data = sample_image("cat").read_bytes()
    url = "data:image/png;base64," + base64.b64encode(data).decode()
    assert load_image_source(data).data == data
    assert load_image_source(bytearray(data)).data == data
    assert load_image_source(url).data == data


def test_http_url_is_left_for_the_browser_to_load():
    source = load_image_source("https://example.org/cat.jpg")
    assert (source.data, source.url, source.width, source.height) == (
        b"", "https://example.org/cat.jpg", 0, 0)  # fmt: skip


@pytest.mark.parametrize("shape", [(7, 9), (7, 9, 3), (7, 9, 4)])
def test_numpy_arrays_are_sent_as_lossless_png(shape):
    array = np.random.default_rng(1).integers(0, 256, shape, dtype=np.uint8)
    source = load_image_source(array)
    assert (source.mime, source.width, source.height) == ("image/png", 9, 7)
    assert np.array_equal(decoded(source), array)


def test_pil_image_is_sent_as_lossless_png():
    image = Image.open(sample_image("coffee"))
    source = load_image_source(image)
    assert np.array_equal(decoded(source), np.asarray(image))


def jpeg_with_orientation(orientation: int) -> bytes:
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, 10, 20))  # blue band on the left edge
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=95)
    return buffer.getvalue()


def test_exif_rotated_jpeg_is_rotated_in_python_so_sizes_agree_with_the_browser():
    # Orientation 6: the camera was turned; viewers rotate 90 degrees clockwise.
    source = load_image_source(jpeg_with_orientation(6))
    assert (source.width, source.height, source.mime) == (20, 40, "image/jpeg")
    pixels = decoded(source)
    assert pixels.shape == (40, 20, 3)
    assert pixels[2, 10, 2] > 150 and pixels[38, 10, 0] > 150  # blue band now on top
    assert Image.open(io.BytesIO(source.data)).getexif().get(0x0112) is None


def test_a_turned_jpeg_photo_stays_a_jpeg_of_about_its_own_size():
    """A phone photo with an EXIF turn: as a PNG a 12 MP one is ~19 MB, over the server's
    10 MiB message limit; as a JPEG with its own quantization it stays about its size."""
    rng = np.random.default_rng(3)
    photo = Image.fromarray(rng.integers(0, 256, (60, 80, 3), np.uint8)).resize((800, 600))
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=90, exif=exif)
    original = buffer.getvalue()
    source = load_image_source(original)
    assert (source.width, source.height, source.mime) == (600, 800, "image/jpeg")
    assert len(source.data) <= 1.2 * len(original)
    upright = ImageOps.exif_transpose(Image.open(io.BytesIO(original)))
    difference = np.abs(decoded(source).astype(int) - np.asarray(upright, int))
    assert difference.mean() < 4  # one more JPEG generation at the same tables


@pytest.mark.parametrize("orientation", range(1, 9))
def test_a_file_is_sized_from_its_header_as_the_widget_shows_it(tmp_path, orientation):
    path = tmp_path / "photo.jpg"
    path.write_bytes(jpeg_with_orientation(orientation))
    source = load_image_source(path)
    turned = orientation >= 5  # 5-8 are quarter turns
    assert image_size(path) == (source.width, source.height) == ((20, 40) if turned else (40, 20))


def test_upright_jpeg_is_sent_as_is():
    data = jpeg_with_orientation(1)
    source = load_image_source(data)
    assert (source.data, source.mime, source.width, source.height) == (
        data, "image/jpeg", 40, 20)  # fmt: skip


def test_formats_browsers_cannot_show_are_reencoded_as_png():
    buffer = io.BytesIO()
    Image.new("RGB", (3, 2), (1, 2, 3)).save(buffer, "TIFF")
    source = load_image_source(buffer.getvalue())
    assert source.mime == "image/png" and decoded(source)[0, 0].tolist() == [1, 2, 3]


@pytest.mark.parametrize(
    ("src", "error", "match"),
    [
        (12, TypeError, "src must be a path"),
        (np.zeros((4, 4), np.float32), TypeError, "must be uint8"),
        (np.zeros((4, 4, 2), np.uint8), ValueError, r"\(H, W\), \(H, W, 3\) or \(H, W, 4\)"),
        ("no/such/file.png", ValueError, "image file not found"),
        (b"definitely not an image", ValueError, "not a readable image"),
        ("data:image/png;base64,%%%", ValueError, "valid Base64"),
    ],
)
def test_bad_src_raises_an_error_naming_the_problem(src, error, match):
    with pytest.raises(error, match=match):
        load_image_source(src)


def test_truncated_png_is_reported_as_damaged():
    data = sample_image("cat").read_bytes()
    with pytest.raises(ValueError, match=r"damaged|not a readable"):
        load_image_source(data[: len(data) // 2])


# ------------------------------------------------------------------ hostile input (issue 15)


def wrapped(data: bytes, width: int = 76) -> str:
    text = base64.b64encode(data).decode()
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


@pytest.mark.parametrize(
    "url",
    [
        "data:image/png;base64," + wrapped(sample_image("coins").read_bytes()),  # MIME, 76 wide
        "data:image/png;base64," + " ".join(wrapped(sample_image("coins").read_bytes(), 4).split()),
        "data:image/png;BASE64," + base64.b64encode(sample_image("coins").read_bytes()).decode(),
        "DATA:image/png;charset=utf-8;Base64,"
        + base64.b64encode(sample_image("coins").read_bytes()).decode(),
    ],
    ids=["wrapped at 76", "inner spaces", ";BASE64", "DATA: with a parameter"],
)
def test_valid_base64_data_urls_in_any_wrapping_and_case_are_read(url):
    data = sample_image("coins").read_bytes()
    assert load_image_source(url).data == data


def test_url_schemes_are_case_insensitive():
    for url in ["HTTPS://example.org/cat.jpg", "Http://example.org/cat.jpg"]:
        source = load_image_source(url)
        assert (source.data, source.url) == (b"", url)


def test_a_fifo_as_src_is_named_and_never_opened_for_reading(tmp_path):
    import os
    import threading

    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def load() -> None:
        try:
            load_image_source(fifo)
        except BaseException as err:
            outcome.append(err)

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():  # unblock the reader so the thread ends, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO as src hung")
    assert isinstance(outcome[0], ValueError)
    assert f"image file {fifo} is a FIFO (named pipe), not a regular file" in str(outcome[0])
    with pytest.raises(ValueError, match="is a FIFO"):
        image_size(fifo)  # the size probe a dataset session runs over its images


@pytest.mark.parametrize(
    ("src", "message"),
    [
        (".", r"image file \. is a folder, not a file"),
        ("/dev/zero", r"image file /dev/zero is a character device, not a regular file"),
        ("a\x00b.png", r"image file path 'a\\x00b\.png' holds a NUL character"),
        ("x" * 5000, r"image file x+ cannot be read \(File name too long\)"),
    ],
)
def test_a_folder_or_a_device_as_src_says_what_it_is(src, message):
    with pytest.raises(ValueError, match=message):
        load_image_source(src)


def test_a_lazily_opened_truncated_pil_image_is_reported_as_damaged():
    pixels = np.random.default_rng(2).integers(0, 256, (60, 80, 3), np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    image = Image.open(io.BytesIO(buffer.getvalue()[:3000]))  # header read, pixels not yet
    with pytest.raises(ValueError, match=r"the src image \(PIL\) is damaged: its pixels cannot"):
        load_image_source(image)


def multipage_tiff(pages: int) -> bytes:
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (6, 4), (40 * i, 0, 0)) for i in range(pages)]
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def test_a_multipage_tiff_is_refused_naming_its_pages_and_one_page_can_be_labeled():
    with pytest.raises(ValueError, match=r"has 3 pages \(frames\); one image is labeled at a"):
        load_image_source(multipage_tiff(3))
    image = Image.open(io.BytesIO(multipage_tiff(3)))
    image.seek(2)
    with pytest.warns(UserWarning, match=r"the PIL image has 3 frames; frame 3 \(the current"):
        source = load_image_source(image)
    assert decoded(source)[0, 0].tolist() == [80, 0, 0]
