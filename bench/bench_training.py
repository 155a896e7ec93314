"""Training formats on a 4000x3000 annotation with 100 instances.

Each of ours is set against the straightforward way of getting the same
result, measured in the same run (machines here are shared and noisy; compare
ratios, not seconds):

- boxes + areas vs. one `np.bincount` over the label map (a single pass);
- `to_coco` vs. pycocotools' `encode` of the (N, H, W) masks (masks included);
- `from_coco` vs. pycocotools' `decode` of the same RLEs (an (H, W, N) stack);
- `overlay` vs. Pillow's `Image.composite` of a color picture (no per-instance blend);
- `_repr_png_` and `to_polygons` have no reference: their time is printed.

    python bench/bench_training.py

`main()` prints the rows and returns them.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from bench_codec import median_time, row
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

    def encode_masks() -> object:
        stack = np.asfortranarray(ann.masks.transpose(1, 2, 0).astype(np.uint8))
        return coco_mask.encode(stack)

    rows = [
        row(
            "boxes + areas",
            median_time(lambda: (ann.boxes, ann.areas)),
            median_time(lambda: np.bincount(ann.label_map.ravel())),
            None,
        ),
        row(
            "to_coco (RLE)",
            median_time(lambda: ann.to_coco(1, CATEGORIES), repeat=5),
            median_time(encode_masks, repeat=3),
            None,
        ),
        row(
            "from_coco",
            median_time(
                lambda: Annotation.from_coco(
                    coco, height=HEIGHT, width=WIDTH, categories={1: "object"}
                ),
                repeat=3,
            ),
            median_time(lambda: coco_mask.decode(rles), repeat=3),
            None,
        ),
        row(
            "overlay(array, 0.5)",
            median_time(lambda: ann.overlay(pixels), repeat=3),
            median_time(lambda: naive_overlay(ann, pixels), repeat=3),
            None,
        ),
    ]
    only = [
        ("_repr_png_ (1000x750 shown)", median_time(ann._repr_png_)),
        ("to_polygons", median_time(ann.to_polygons, repeat=3)),
    ]
    print(f"{WIDTH}x{HEIGHT}, {INSTANCES} instances ({painted} painted, with overlaps)")
    print(f"{'name':30} | {'ours ms':>8} | {'reference ms':>12} | {'ratio':>5}")
    for r in rows:
        ours, reference, ratio = r["ours_ms"], r["reference_ms"], r["ratio"]
        print(f"{r['name']:30} | {ours:8.1f} | {reference:12.1f} | {ratio:5.2f}")
    for name, seconds in only:
        print(f"{name:30} | {seconds * 1e3:8.1f} | {'-':>12} | {'-':>5}")
        rows.append({"name": name, "ours_ms": seconds * 1e3, "reference_ms": None,
                     "ratio": None, "goal": None})  # fmt: skip
    return rows


if __name__ == "__main__":
    main()
