"""Every kind of bad input, across the Python API and `initial_value`, and the error it gets.

One table row per kind: what is passed, the exception type, and a pattern the
message must match, naming the problem. No raw numpy, Pillow, zlib or binascii
error may leak out. A second table lists inputs that look odd but are accepted
(docs/hardening.md), each decoded exactly.
"""

from __future__ import annotations

import base64
import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from traitlets import TraitError

from crowdseg_widget import Annotation, InstanceSegmentation
from crowdseg_widget.formats.png_codec import encode_label_png
from crowdseg_widget.formats.predictions import annotation_from_predictions

COLORS = ["#2ca02c", "#1f77b4"]
PHOTO = np.zeros((5, 7, 3), np.uint8)  # the image every widget row paints on: 7x5


def label_map() -> np.ndarray:
    ids = np.zeros((5, 7), np.uint8)
    ids[1:4, 1:3] = 1
    ids[2:5, 4:7] = 2
    return ids


def chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(payload, zlib.crc32(kind))
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def crafted_png(width: int, height: int, idat: bytes, depth: int = 8, color_type: int = 0) -> bytes:
    """A PNG with a valid IHDR (CRC included) claiming any size, and any IDAT payload."""
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def bomb_png() -> bytes:
    """About 80 bytes claiming 100000x100000 pixels; its IDAT is not even valid zlib."""
    return crafted_png(100_000, 100_000, b"never decoded")


def saved(image: Image.Image, fmt: str, **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg(size: tuple[int, int] = (64, 48), mode: str = "RGB") -> bytes:
    rng = np.random.default_rng(0)
    if mode == "RGB":
        pixels = rng.integers(0, 256, (size[1], size[0], 3), np.uint8)
        return saved(Image.fromarray(pixels), "JPEG", quality=90)
    return saved(Image.new(mode, size), "JPEG")


def bomb_jpeg() -> bytes:
    """A real JPEG whose frame header is rewritten to claim 65000x65000 pixels."""
    data = bytearray(jpeg())
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 65000, 65000)
    return bytes(data)


def multipage_tiff() -> bytes:
    pages = [Image.fromarray(PHOTO + i) for i in range(3)]
    return saved(pages[0], "TIFF", save_all=True, append_images=pages[1:])


def lazy_truncated_png() -> Image.Image:
    """Opened (header read) but not decoded: the pixels are cut off."""
    noise = np.random.default_rng(3).integers(0, 256, (60, 80, 3), np.uint8)
    return Image.open(io.BytesIO(truncated(saved(Image.fromarray(noise), "PNG"), 0.3)))


def png16(mode: str) -> bytes:
    """A 16-bit-per-sample PNG (RGBA or grayscale), written chunk by chunk."""
    channels, color_type = {"RGBA": (4, 6), "L": (1, 0)}[mode]
    rows = np.zeros((5, 7 * channels), ">u2").view(np.uint8).reshape(5, -1)
    raw = np.concatenate([np.zeros((5, 1), np.uint8), rows], axis=1).tobytes()
    return crafted_png(7, 5, zlib.compress(raw), depth=16, color_type=color_type)


def our_png() -> bytes:
    return encode_label_png(label_map(), COLORS)


def value_with(png: bytes | str, **changes: Any) -> dict[str, Any]:
    text = png if isinstance(png, str) else base64.b64encode(png).decode("ascii")
    value: dict[str, Any] = {
        "inputImageProperties": {"height": 5, "width": 7},
        "instances": [{"color": c, "label": lab} for c, lab in zip(COLORS, "AB", strict=True)],
        "labeledImage": {"pngImageData": text},
    }
    value.update(changes)
    return value


def initial(png: bytes | str, instances: Any = None) -> dict[str, Any]:
    src = png if isinstance(png, str) else base64.b64encode(png).decode("ascii")
    if instances is None:
        instances = [{"color": c, "label": lab} for c, lab in zip(COLORS, "AB", strict=True)]
    return {"instances": instances, "src": src}


def first_instance(**changes: Any) -> list[dict[str, Any]]:
    """The two instances, the first with `changes` (a bad color or label)."""
    return [{"color": COLORS[0], "label": "A"} | changes, {"color": COLORS[1], "label": "B"}]


def widget(**kwargs: Any) -> InstanceSegmentation:
    kwargs.setdefault("labels", ["A", "B"])
    return InstanceSegmentation(kwargs.pop("src", PHOTO), **kwargs)


def from_value(value: Any) -> Callable[[], object]:
    return lambda: Annotation.from_value(value)


def with_initial(value: Any, labels: list[str] | None = None) -> Callable[[], object]:
    return lambda: widget(initial_value=value, labels=labels or ["A", "B"])


def stray_png() -> bytes:
    image = Image.fromarray(np.array([[0, 1, 2, 2, 0, 0, 0]] * 5, np.uint8), "P")
    image.putpalette([0, 0, 0, 44, 160, 44, 250, 0, 250])
    return saved(image, "PNG", transparency=0)


def stray_at_palette_index_255() -> bytes:
    """A full 256-entry palette whose last entry, used by two pixels, is no instance's color."""
    indices = np.zeros((5, 7), np.uint8)
    indices[1, 1:4], indices[4, 5:7] = 1, 255
    image = Image.fromarray(indices, "P")
    palette = [0] * 768
    palette[3:6], palette[765:768] = [44, 160, 44], [250, 0, 250]
    image.putpalette(palette)
    return saved(image, "PNG", transparency=0)


def read_value(value: dict[str, Any]) -> Callable[[], object]:
    """Python code assigning `widget.value` directly, then reading the label map."""

    def run() -> object:
        w = widget()
        w.value = value
        return w.label_map

    return run


def truncated(data: bytes, keep: float = 0.6) -> bytes:
    return data[: int(len(data) * keep)]


def damaged_ihdr(data: bytes) -> bytes:
    return data[:20] + bytes([data[20] ^ 0xFF]) + data[21:]  # width byte: CRC no longer matches


def probabilities_with_nan() -> np.ndarray:
    masks = np.full((2, 5, 7), 0.2)
    masks[1, 3, 3] = np.nan
    return masks


WHOLE = {"size": [5, 7], "counts": [0, 35]}


def coco(
    segmentation: Any, height: Any = 5, width: Any = 7, scores: list[Any] | None = None
) -> Annotation:
    """Annotation.from_coco of one annotation (two with `scores`) on a 7x5 image."""
    items = [{"id": 1, "category_id": 1, "segmentation": segmentation}]
    if scores is not None:
        items = [{"id": n, "category_id": 1, "segmentation": segmentation, "score": s}
                 for n, s in enumerate(scores, 1)]  # fmt: skip
    return Annotation.from_coco(items, height=height, width=width, categories={1: "A"})


def annotation() -> Annotation:
    return Annotation(label_map(), ["A", "B"], COLORS)


# (kind, action, exception type, pattern the message must match)
BAD_INPUT: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    # ---- src: the image to label
    ("src of a wrong type", lambda: widget(src=12), TypeError, r"src must be a path.*got int"),
    ("src array of floats", lambda: widget(src=np.zeros((5, 7), np.float32)), TypeError,
     r"must be uint8, got float32"),
    ("src array of a wrong shape", lambda: widget(src=np.zeros((5, 7, 2), np.uint8)), ValueError,
     r"\(H, W\), \(H, W, 3\) or \(H, W, 4\), got \(5, 7, 2\)"),
    ("src array 0x0", lambda: widget(src=np.zeros((0, 0, 3), np.uint8)), ValueError,
     r"is 0x0: an image needs at least one pixel"),
    ("src PNG 0x0", lambda: widget(src=crafted_png(0, 0, zlib.compress(b""))), ValueError,
     r"is 0x0: an image needs at least one pixel"),
    ("src file missing", lambda: widget(src="no/such/photo.jpg"), ValueError,
     r"image file not found: no/such/photo\.jpg"),
    ("src a folder", lambda: widget(src="."), ValueError,
     r"image file \. is a folder, not a file"),
    ("src a device", lambda: widget(src="/dev/zero"), ValueError,
     r"image file /dev/zero is a character device, not a regular file; only regular files"),
    ("src a multi-page TIFF", lambda: widget(src=multipage_tiff()), ValueError,
     r"the src image \(bytes\) has 3 pages \(frames\); one image is labeled at a time"),
    ("src PIL image truncated (opened lazily)", lambda: widget(src=lazy_truncated_png()),
     ValueError, r"the src image \(PIL\) is damaged: its pixels cannot be decoded \(image file"),
    ("src bytes empty", lambda: widget(src=b""), ValueError, r"not a readable image: .*empty"),
    ("src bytes not an image", lambda: widget(src=b"GIF? no, text"), ValueError,
     r"not a readable image: not an image format Pillow reads; it starts with b'GIF\? no,'"),
    ("src PNG truncated", lambda: widget(src=truncated(saved(Image.fromarray(PHOTO), "PNG"))),
     ValueError, r"src image \(bytes\) is damaged \(image file is truncated"),
    ("src PNG with a damaged header",
     lambda: widget(src=damaged_ihdr(saved(Image.fromarray(PHOTO), "PNG"))), ValueError,
     r"not a readable image: a PNG whose header is damaged"),
    ("src JPEG truncated", lambda: widget(src=jpeg()[:-200]), ValueError,
     r"src image \(bytes\) is damaged: its pixels cannot be decoded \(image file is truncated"),
    ("src JPEG with damaged tables", lambda: widget(src=jpeg()[:3] + bytes(40) + jpeg()[43:]),
     ValueError, r"src image \(bytes\) is damaged: its pixels cannot be decoded"),
    ("src PNG decompression bomb", lambda: widget(src=bomb_png()), ValueError,
     r"is 100000x100000 \(10,000,000,000 pixels\), over the 100,000,000-pixel limit; "
     r"refused before decoding"),
    ("src JPEG decompression bomb", lambda: widget(src=bomb_jpeg()), ValueError,
     r"is 65000x65000 \(4,225,000,000 pixels\), over the 100,000,000-pixel limit"),
    ("next image a decompression bomb", lambda: widget().set_image(bomb_png()), ValueError,
     r"is 100000x100000 \(10,000,000,000 pixels\), over the 100,000,000-pixel limit"),
    ("src data URL with broken Base64", lambda: widget(src="data:image/png;base64,%%%"),
     ValueError, r"data URL src does not hold valid Base64"),
    # ---- the widget's text attributes and labels
    ("header not a string", lambda: widget(header=3), TypeError, r"header must be a string"),
    ("name not a string", lambda: widget(name=None), TypeError, r"name must be a string"),
    ("labels not a list", lambda: widget(labels=5), TypeError, r"labels must be a list of str"),
    ("labels empty", lambda: widget(labels=[]), ValueError, r"labels must not be empty"),
    ("a label empty", lambda: widget(labels=["A", " "]), ValueError,
     r"labels must not be empty strings"),
    ("a label not a string", lambda: widget(labels=["A", 1]), TypeError,
     r"label 1 is a int, not a string"),
    ("labels repeated", lambda: widget(labels=["A", "B", "A"]), ValueError,
     r"labels must be unique; repeated: \['A'\]"),
    ("a label of zero-width characters", lambda: widget(labels=["A", "\u200b\u200d"]), ValueError,
     r"label '\\u200b\\u200d' has no visible character \(only zero-width or format"),
    ("a label with a NUL", lambda: widget(labels=["A", "B\x00"]), ValueError,
     r"label 'B\\x00' holds a control character U\+0000; labels are plain text"),
    ("a label with a lone surrogate", lambda: widget(labels=["A", "\ud800"]), ValueError,
     r"label '\\ud800' holds a lone surrogate U\+D800 \(not valid Unicode\)"),
    ("labels equal once NFC-normalised", lambda: widget(labels=["caf\u00e9", "cafe\u0301"]),
     ValueError, r"labels 'caf\\xe9' and 'cafe\\u0301' are the same label written two ways "
     r"\(equal once Unicode-normalised \(NFC\) and stripped of spaces\)"),
    ("labels equal once stripped", lambda: widget(labels=["A", "A "]), ValueError,
     r"labels 'A' and 'A ' are the same label written two ways"),
    ("labels string nested too deeply", lambda: widget(labels="[" * 100_000 + "]" * 100_000),
     ValueError, r"the labels string is nested too deeply; write a flat list"),
    ("labels as a generator", lambda: widget(labels=(x for x in "AB")), TypeError,
     r"labels must be a list of strings, got generator"),
    ("labels string that is no list", lambda: widget(labels="A, B"), ValueError,
     r"labels string 'A, B' is not a list"),
    ("labels reassigned to an empty list", lambda: setattr(widget(), "labels", []), ValueError,
     r"labels must not be empty"),
    ("header reassigned to a number", lambda: setattr(widget(), "header", 3), TraitError,
     r"The 'header' trait .* expected a unicode string, not the int 3"),
    # ---- initial_value and the SageMaker value: structure
    ("value not a dict", from_value([1, 2]), TypeError, r"must be a dict, got list"),
    ("value without instances", from_value({"src": our_png()}), ValueError,
     r"neither 'instances' nor 'labelMappings'"),
    ("instances not a list", from_value(initial(our_png(), instances="A")), TypeError,
     r"'instances' must be a list"),
    ("instance without a color", from_value(initial(our_png(), [{"label": "A"}])), ValueError,
     r"an instance must be \{'color': \.\.\., 'label': \.\.\.\}"),
    ("value without a PNG", from_value({"instances": []}), ValueError,
     r"has no PNG: expected 'labeledImage\.pngImageData' or 'src'"),
    ("labeledImage without pngImageData",
     from_value(value_with(our_png(), labeledImage={"png": "x"})), ValueError,
     r"'labeledImage' must be \{'pngImageData'"),
    ("inputImageProperties malformed",
     from_value(value_with(our_png(), inputImageProperties={"width": "7", "height": 5})),
     ValueError, r"'inputImageProperties' must be \{'height': H, 'width': W\}"),
    # ---- instances: colors and labels
    ("color without '#'",
     from_value(initial(our_png(), first_instance(color="2ca02c"))),
     ValueError, r"instance color '2ca02c' is not in '#rrggbb' form"),
    ("color not a string",
     from_value(initial(our_png(), first_instance(color=0x2CA02C))),
     TypeError, r"instance color must be a '#rrggbb' string, got int"),
    ("duplicate instance colors",
     from_value(initial(our_png(), first_instance(color="#1F77B4"))),
     ValueError, r"instance color #1f77b4 is used twice"),
    ("empty instance label",
     from_value(initial(our_png(), first_instance(label=""))),
     ValueError, r"instance labels must not be empty"),
    ("instance label not in labels", with_initial(initial(our_png()), labels=["A", "C"]),
     ValueError, r"initial_value has instances labeled \['B'\], which are not in labels"),
    # ---- the PNG itself
    ("PNG text neither Base64 nor a path", from_value(initial("@@@ not base64 @@@")),
     ValueError, r"neither a data URL, valid Base64, nor a path to a \.png file"),
    ("PNG data URL not Base64", from_value(initial("data:image/png,abc")), ValueError,
     r"a data URL for the labeled PNG must be Base64"),
    ("PNG of a wrong type", from_value(initial(our_png(), None) | {"src": 42}), TypeError,
     r"must be a data URL, Base64 text, a path or bytes, got int"),
    ("PNG path that does not exist", from_value(initial(our_png()) | {"src": Path("no.png")}),
     ValueError, r"labeled PNG file not found: no\.png"),
    ("PNG path that is a folder", from_value(initial(our_png()) | {"src": Path(".")}),
     ValueError, r"labeled PNG file \. is a folder, not a file"),
    ("PNG path that is a device", from_value(initial(our_png()) | {"src": Path("/dev/zero")}),
     ValueError, r"labeled PNG file /dev/zero is a character device, not a regular file"),
    ("pngImageData holds a JPEG", from_value(value_with(jpeg((7, 5)))), ValueError,
     r"labeled image must be a PNG, got JPEG"),
    ("pngImageData holds no image", from_value(value_with(b"just some text")), ValueError,
     r"labeled PNG is not a readable image: not an image format"),
    ("PNG truncated", from_value(value_with(truncated(encode_label_png(
        np.arange(300 * 200).reshape(200, 300) % 3, COLORS), 0.5))), ValueError,
     r"labeled PNG is damaged: its pixels cannot be decoded"),
    ("PNG with corrupt pixel data",
     from_value(value_with(crafted_png(7, 5, b"this is not zlib data"))), ValueError,
     r"labeled PNG is damaged: its pixels cannot be decoded"),
    ("PNG with 16-bit RGBA samples", from_value(value_with(png16("RGBA"))), ValueError,
     r"labeled PNG has 16 bits per sample; label PNGs have 8"),
    ("PNG with 16-bit gray samples", from_value(value_with(png16("L"))), ValueError,
     r"labeled PNG has 16 bits per sample"),
    ("stray colors in the PNG", from_value(value_with(stray_png())), ValueError,
     r"not an instance color: #fa00fa on 10 pixels"),
    ("stray color at palette index 255", from_value(value_with(stray_at_palette_index_255())),
     ValueError, r"not an instance color: #fa00fa on 2 pixels"),
    ("PNG size differs from the image", with_initial(initial(encode_label_png(
        np.zeros((5, 8), np.uint8), COLORS))), ValueError,
     r"labeled PNG is 8x5 but the image is 7x5"),
    ("PNG decompression bomb in a value", from_value(value_with(bomb_png())), ValueError,
     r"labeled PNG is 100000x100000 .* over the 100,000,000-pixel limit; refused before decoding"),
    ("PNG decompression bomb in initial_value", with_initial(initial(bomb_png())), ValueError,
     r"labeled PNG is 100000x100000 .* over the 100,000,000-pixel limit"),
    ("PNG decompression bomb assigned to widget.value", read_value(value_with(bomb_png())),
     ValueError, r"labeled PNG is 100000x100000 .* over the 100,000,000-pixel limit"),
    ("widget.value assigned a dict that is no value", lambda: setattr(widget(), "value", {"a": 1}),
     ValueError, r"the value has neither 'instances' nor 'labelMappings'"),
    ("widget.value with a color that injects CSS",
     lambda: setattr(widget(), "value", value_with(our_png(), instances=first_instance(
         color="#000;background:url(javascript:alert(1))"))), ValueError,
     r"instance color '#000;background:url\(javascript:alert\(1\)\)' is not in '#rrggbb' form"),
    ("widget.value of another size", lambda: setattr(widget(src=np.zeros((5, 8), np.uint8)),
     "value", value_with(our_png())), ValueError, r"labeled PNG is 7x5 but the image is 8x5"),
    ("PNG 0x0", from_value(initial(crafted_png(0, 0, zlib.compress(b"")))), ValueError,
     r"labeled PNG is 0x0: an image needs at least one pixel"),
    # ---- masks, label maps and edits from Python
    ("float masks with NaN",
     lambda: annotation_from_predictions(probabilities_with_nan(), ["A", "B"]), ValueError,
     r"float masks hold 1 NaN values \(first in mask 1\)"),
    ("NaN score",
     lambda: annotation_from_predictions(np.ones((2, 5, 7), bool), ["A", "B"],
                                         scores=[0.9, float("nan")]), ValueError,
     r"score nan of mask 1 is not a finite number"),
    ("scores that are not numbers",
     lambda: annotation_from_predictions(np.ones((2, 5, 7), bool), ["A", "B"], scores=["high", 1]),
     TypeError, r"scores must be numbers, one per mask; got \['high', 1\]"),
    ("float masks outside 0..1",
     lambda: annotation_from_predictions(np.full((1, 5, 7), 3.0), ["A"]), ValueError,
     r"float masks must be probabilities in 0\.\.1"),
    ("masks of a wrong shape", lambda: Annotation.from_masks(np.zeros((5, 7), bool), ["A"]),
     ValueError, r"masks must have shape \(N, height, width\), got \(5, 7\)"),
    ("masks and labels of different counts",
     lambda: Annotation.from_masks(np.zeros((2, 5, 7), bool), ["A"]), ValueError,
     r"got 1 labels for 2 masks"),
    ("COCO polygon far outside the image (pycocotools would crash)",
     lambda: coco([[0, 0, 3e9, 0, 3e9, 3e9]]), ValueError,
     r"COCO annotation 0 \(id 1\): a polygon vertex's x 3e\+09 is outside the 7x5 image"),
    ("COCO polygon coordinate NaN", lambda: coco([[0, 0, 1, np.nan, 2, 2]]), ValueError,
     r"a polygon vertex's y is nan, not a finite number"),
    ("COCO image over the pixel limit",
     lambda: coco({"size": [100_000, 100_000], "counts": [0, 10**10]}, 100_000, 100_000),
     ValueError, r"the COCO image is 100000x100000 \(10,000,000,000 pixels\), over the"),
    ("COCO run of 1e30 pixels", lambda: coco({"size": [5, 7], "counts": [0, 10**30]}),
     ValueError, r"the RLE has a run of 10{30} pixels but the image has 5x7"),
    ("COCO counts that are bools", lambda: coco({"size": [5, 7], "counts": [True, 34]}),
     ValueError, r"counts must be whole numbers \(ints, not bools\)"),
    ("COCO height not whole", lambda: coco([], 5.5), ValueError,
     r"height and width must be positive whole numbers, got 5\.5x7"),
    ("COCO score NaN", lambda: coco(WHOLE, scores=[0.3, np.nan]), ValueError,
     r"score nan of annotation 1 is not a finite number"),
    ("COCO score text", lambda: coco(WHOLE, scores=[0.3, "high"]), TypeError,
     r"scores must be numbers, one per annotation"),
    ("label map of floats", lambda: Annotation(np.zeros((5, 7)), []), TypeError,
     r"label_map must hold integer instance ids, got dtype float64"),
    ("label map id without an instance", lambda: Annotation(label_map(), ["A"]), ValueError,
     r"label_map holds ids 0\.\.2 but there are 1 instances"),
    ("mask of a wrong size for a new instance",
     lambda: annotation().with_instance("A", "#ff7f0e", np.ones((4, 4), bool)), ValueError,
     r"mask has shape \(4, 4\) but the image is 7x5"),
    ("unknown label for a new instance", lambda: widget().add_instance("Bird"), ValueError,
     r"label 'Bird' is not one of the labels \['A', 'B'\]"),
    ("instance id that does not exist", lambda: annotation().without_instance(3), ValueError,
     r"instance 3 does not exist; ids are 1\.\.2"),
    ("70,000 instances", lambda: Annotation(np.zeros((1, 1), np.uint8), ["A"] * 70_000),
     ValueError, r"70,000 instances are more than an image can hold: at most 65,535"),
    ("ragged masks", lambda: Annotation.from_masks([np.zeros((5, 7)), np.zeros((4, 7))], "AB"),
     ValueError, r"masks must all have the same shape \(height, width\); got shapes \[\(4, 7\), "
     r"\(5, 7\)\]"),
    ("masks with no pixels", lambda: Annotation.from_masks(np.zeros((0, 0, 0), bool), []),
     ValueError, r"masks of shape \(0, 0, 0\) have no pixels"),
    ("value of a 0x0 annotation", lambda: Annotation.empty(0, 0).to_value(), ValueError,
     r"the annotation is 0x0: a SageMaker value needs an image of at least one pixel"),
    ("mask scores that are text",
     lambda: Annotation.from_masks(np.ones((2, 5, 7), bool), ["A", "B"], scores=["0.5", "x"]),
     TypeError, r"scores must be numbers, one per mask; got \['0\.5', 'x'\]"),
    ("mask score NaN (it would win every overlap)",
     lambda: Annotation.from_masks(np.ones((2, 5, 7), bool), ["A", "B"], scores=[0.5, np.nan]),
     ValueError, r"score nan of mask 1 is not a finite number"),
    ("mask labels as a generator",
     lambda: Annotation.from_masks(np.ones((2, 5, 7), bool), (x for x in "AB")), TypeError,
     r"instance labels must be a list of strings, got generator"),
    ("float mask for a new instance",
     lambda: annotation().with_instance("A", "#ff7f0e", np.full((5, 7), 0.7)), ValueError,
     r"mask must be boolean or hold only 0 and 1 \(got dtype float64\); threshold"),
    ("instance id True", lambda: annotation().relabeled(True, "B"), TypeError,
     r"instance True is a bool; give an instance id \(an int, 1\.\.2\)"),
    ("annotation of a wrong size",
     lambda: widget().set_annotation(Annotation.empty(8, 5)), ValueError,
     r"annotation is 8x5 but the image is 7x5"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("action", "error", "pattern"),
    [pytest.param(action, error, pattern, id=kind) for kind, action, error, pattern in BAD_INPUT],
)
def test_bad_input_raises_an_error_that_names_the_problem(action, error, pattern):
    with pytest.raises(error, match=pattern) as raised:
        action()
    assert type(raised.value) is error  # not a subclass leaking from numpy or Pillow


def test_the_table_covers_at_least_thirty_distinct_kinds():
    kinds = [kind for kind, *_ in BAD_INPUT]
    assert len(set(kinds)) == len(kinds) >= 30


def test_a_decompression_bomb_is_refused_from_its_header_alone():
    # The bomb's pixel data is not even valid zlib: had anything tried to decode it,
    # the error would say "damaged". It names the size and the limit instead.
    bomb = bomb_png()
    assert len(bomb) < 100
    with pytest.raises(ValueError, match="over the 100,000,000-pixel limit") as raised:
        Annotation.from_value(value_with(bomb))
    assert "damaged" not in str(raised.value)


# ------------------------------------------------------------------ accepted on purpose


def shuffled_palette_png() -> bytes:
    """Palette entries in an arbitrary order (SageMaker's UPNG.js orders by first appearance)."""
    order = np.array([2, 0, 1])  # palette index k holds id order[k]
    index_of = np.argsort(order).astype(np.uint8)
    image = Image.fromarray(index_of[label_map()], "P")
    rgb = [(0, 0, 0), (44, 160, 44), (31, 119, 180)]
    image.putpalette([v for i in order for v in rgb[i]])
    return saved(image, "PNG", transparency=bytes(0 if i == 0 else 255 for i in order))


def grayscale_png() -> tuple[bytes, list[str]]:
    gray = np.array([0, 128, 200], np.uint8)[label_map()]  # black background
    return saved(Image.fromarray(gray, "L"), "PNG"), ["#808080", "#c8c8c8"]


def exif_rotated_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # viewers turn it 90 degrees clockwise
    return saved(Image.new("RGB", (7, 5), (200, 30, 30)), "JPEG", exif=exif)


def png16_photo() -> bytes:
    gray = (np.arange(35, dtype=np.uint16).reshape(5, 7) * 1000).astype("<u2")
    return saved(Image.fromarray(gray), "PNG")  # mode I;16


def wrapped(text: str, width: int, separator: str) -> str:
    assert len(text) > 2 * width  # wrapped at least twice
    return separator.join(text[i : i + width] for i in range(0, len(text), width))


@pytest.mark.parametrize(
    "src",
    [
        "data:image/png;base64," + base64.b64encode(our_png()).decode(),
        base64.b64encode(our_png()).decode(),
        "  " + base64.b64encode(our_png()).decode() + "\n",
        wrapped(base64.b64encode(our_png()).decode(), 76, "\r\n"),
        wrapped(base64.b64encode(our_png()).decode(), 8, " "),
        "data:image/png;BASE64," + base64.b64encode(our_png()).decode(),
        "DATA:image/png;name=x.png;base64,\r\n" + base64.b64encode(our_png()).decode(),
    ],
    ids=[
        "data URL",
        "plain Base64",
        "Base64 with whitespace around",
        "MIME Base64 (76 wide)",
        "Base64 with inner spaces",
        ";BASE64",
        "DATA: with a parameter and a line break",
    ],
)
def test_base64_with_and_without_a_data_prefix_is_accepted(src):
    assert Annotation.from_value(initial(src)) == annotation()
    assert widget(initial_value=initial(src)).annotation == annotation()


def test_palette_pngs_in_any_order_and_grayscale_pngs_decode_exactly():
    shuffled = Annotation.from_value(initial(shuffled_palette_png()))
    np.testing.assert_array_equal(shuffled.label_map, label_map())
    png, colors = grayscale_png()
    gray = Annotation.from_value(initial(png, [{"color": c, "label": "A"} for c in colors]))
    np.testing.assert_array_equal(gray.label_map, label_map())


@pytest.mark.parametrize(
    ("src", "size", "mime"),
    [
        (jpeg((7, 5), "CMYK"), (7, 5), "image/jpeg"),  # every major browser shows CMYK JPEGs
        (exif_rotated_jpeg(), (5, 7), "image/jpeg"),  # turned upright in Python
        (png16_photo(), (7, 5), "image/png"),  # browsers show 16-bit PNGs; sent as is
        (np.zeros((1, 1), np.uint8), (1, 1), "image/png"),
    ],
    ids=["CMYK JPEG", "EXIF-rotated JPEG", "16-bit PNG photo", "1x1 array"],
)
def test_photos_in_unusual_forms_are_accepted_with_the_size_the_browser_shows(src, size, mime):
    w = InstanceSegmentation(src, ["A"])
    assert (w.image_width, w.image_height, w._image_mime) == (*size, mime)
    assert w.label_map.shape == (size[1], size[0])


def test_declared_sizes_as_numpy_integers_or_whole_floats_are_accepted():
    # JSON from other tools may say 7.0; sizes computed with numpy are np.int64.
    value = value_with(our_png(), inputImageProperties={"width": np.int64(7), "height": 5.0})
    assert Annotation.from_value(value) == annotation()
