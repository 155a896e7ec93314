"""Training formats on a 4000x3000 annotation with 100 instances.

Each of ours is set against the straightforward way of getting the same
result, measured in the same run (machines here are shared and noisy; compare
ratios, not seconds; each ratio is the median of back-to-back pairs):

- boxes + areas vs. one `np.bincount` over the label map (a single pass);
- `to_coco` vs. pycocotools' `encode` of the (N, H, W) masks (masks included);
- `from_coco` vs. pycocotools' `decode` of the same RLEs (an (H, W, N) stack);
- `overlay` vs. Pillow's `Image.composite` of a color picture (no per-instance blend);
- `_repr_png_` and `to_polygons` have no reference: their time is printed.

    python bench/bench_training.py

`main()` prints the rows and returns them.
"""

from __future__ import annotations

import statistics
import timeit
import warnings
from typing import Any

import numpy as np
from bench_codec import paired_times, row
from PIL import Image
from pycocotools import mask as coco_mask
from scenes import blob_label_map

from crowdseg_widget import Annotation

WIDTH, HEIGHT, INSTANCES = 4000, 3000, 100
CATEGORIES = {"object": 1}


def photo() -> np.ndarray:
    rng = np.random.default_rng(1)
    return rng.integers(0, 256, (HEIGHT, WIDTH, 3), np.uint8)


def naive_overlay(ann: Annotation, pixels: np.ndarray) -> Image.Image:
    colors = np.array([[0, 0, 0], *(list(bytes.fromhex(c[1:])) for c in ann.colors)], np.uint8)
    tinted = Image.blend(Image.fromarray(pixels), Image.fromarray(colors[ann.label_map]), 0.5)
    painted = Image.fromarray((ann.label_map != 0).astype(np.uint8) * 255)
    return Image.composite(tinted, Image.fromarray(pixels), painted)


def main() -> list[dict[str, Any]]:
    warnings.simplefilter("ignore")  # pycocotools under numpy 2; to_polygons on holes
    ann = Annotation(blob_label_map(WIDTH, HEIGHT, INSTANCES), ["object"] * INSTANCES)
    painted = int((ann.areas > 0).sum())
    coco = ann.to_coco(1, CATEGORIES)
    rles = [item["segmentation"] for item in coco]
    back = Annotation.from_coco(coco, height=HEIGHT, width=WIDTH, categories={1: "object"})
    kept = ann.areas > 0
    assert np.array_equal(back.masks, ann.masks[kept]), "COCO round trip is not exact"
    pixels = photo()

    def one_pass() -> object:
        return np.bincount(ann.label_map.ravel())

    def encode_masks() -> object:
        stack = np.asfortranarray(ann.masks.transpose(1, 2, 0).astype(np.uint8))
        return coco_mask.encode(stack)

    rows = [
        row(
            "boxes + areas",
            paired_times(lambda: (ann.boxes, ann.areas), one_pass),
            None,
        ),
        row(
            "to_coco (RLE)",
            paired_times(lambda: ann.to_coco(1, CATEGORIES), encode_masks, repeat=3),
            None,
        ),
        row(
            "from_coco",
            paired_times(
                lambda: Annotation.from_coco(
                    coco, height=HEIGHT, width=WIDTH, categories={1: "object"}
                ),
                lambda: coco_mask.decode(rles),
                repeat=3,
            ),
            None,
        ),
        row(
            "overlay(array, 0.5)",
            paired_times(lambda: ann.overlay(pixels), lambda: naive_overlay(ann, pixels), repeat=3),
            None,
        ),
    ]
    only = [
        ("_repr_png_ (1000x750 shown)", ann._repr_png_),
        ("to_polygons", ann.to_polygons),
    ]
    print(f"{WIDTH}x{HEIGHT}, {INSTANCES} instances ({painted} painted, with overlaps)")
    print(f"{'name':30} | {'ours ms':>8} | {'reference ms':>12} | {'ratio':>5}")
    for r in rows:
        ours, reference, ratio = r["ours_ms"], r["reference_ms"], r["ratio"]
        print(f"{r['name']:30} | {ours:8.1f} | {reference:12.1f} | {ratio:5.2f}")
    for name, run in only:
        ms = statistics.median(timeit.repeat(run, number=1, repeat=5)) * 1e3
        print(f"{name:30} | {ms:8.1f} | {'-':>12} | {'-':>5}")
        rows.append({"name": name, "ours_ms": ms, "reference_ms": None, "ratio": None,
                     "goal": None})  # fmt: skip
    return rows


if __name__ == "__main__":
    main()
