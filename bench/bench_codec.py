"""Python codec speed on a 4000x3000 image with 200 instances.

Prints ratios to Pillow's own decode of the same bytes, measured in the same
run (machines here are shared and noisy; compare ratios, not seconds).

    python bench/bench_codec.py
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

import numpy as np
from PIL import Image
from scenes import blob_label_map

from crowdseg_widget.palette import next_colors
from crowdseg_widget.png_codec import decode_label_png, encode_label_png

WIDTH, HEIGHT, INSTANCES = 4000, 3000, 200


def median_time(fn: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ids = blob_label_map(WIDTH, HEIGHT, INSTANCES)
    colors = next_colors(INSTANCES)
    ours = encode_label_png(ids, colors)
    rgba_table = np.zeros((INSTANCES + 1, 4), np.uint8)
    rgba_table[1:, :3] = [list(bytes.fromhex(c[1:])) for c in colors]
    rgba_table[1:, 3] = 255
    buffer = io.BytesIO()
    Image.fromarray(rgba_table[ids], "RGBA").save(buffer, "PNG")
    foreign = buffer.getvalue()

    def pillow_decode(png: bytes) -> Callable[[], object]:
        return lambda: np.asarray(Image.open(io.BytesIO(png)))

    rows = [
        ("encode (ours, indexed)", median_time(lambda: encode_label_png(ids, colors)),
         median_time(lambda: Image.fromarray(ids, "L").save(io.BytesIO(), "PNG"))),
        ("decode our indexed PNG", median_time(lambda: decode_label_png(ours, colors)),
         median_time(pillow_decode(ours))),
        ("decode a foreign RGBA PNG", median_time(lambda: decode_label_png(foreign, colors)),
         median_time(pillow_decode(foreign))),
    ]  # fmt: skip
    print(f"{WIDTH}x{HEIGHT}, {INSTANCES} instances; our PNG {len(ours) / 1024:.0f} KiB")
    print(f"{'step':28} {'ours ms':>9} {'Pillow ms':>10} {'ratio':>6}")
    for name, mine, pillow in rows:
        print(f"{name:28} {mine * 1e3:9.1f} {pillow * 1e3:10.1f} {mine / pillow:6.2f}")


if __name__ == "__main__":
    main()
