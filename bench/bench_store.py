"""What one store save costs on every stroke's end: a 4000x3000 annotation.

`python3 bench/bench_store.py` prints the median of each step, in one run:
the save itself (PNG bytes as they are + JSON, both written atomically with
fsync), and for scale what re-encoding the PNG would have cost.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from scenes import blob_label_map

from crowdseg_widget import Annotation
from crowdseg_widget.datasets.store import LabelStore
from crowdseg_widget.formats.png_codec import encode_label_png

WIDTH, HEIGHT, RUNS = 4000, 3000, 15


def median_ms(run: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(instances: int) -> None:
    label_map = blob_label_map(WIDTH, HEIGHT, instances)
    annotation = Annotation(label_map, ["thing"] * instances)
    value = annotation.to_value()
    png_kib = len(value["labeledImage"]["pngImageData"]) * 3 / 4 / 1024
    with tempfile.TemporaryDirectory() as tmp:
        store = LabelStore(Path(tmp) / "labels", root=tmp)
        save = median_ms(lambda: store.save("photo.jpg", value, "open"))
        encode = median_ms(lambda: encode_label_png(annotation.label_map, annotation.colors))
    print(f"{WIDTH}x{HEIGHT}, {instances} instances, PNG {png_kib:.0f} KiB, median of {RUNS}")
    print(f"  store.save (PNG + JSON, atomic, fsync): {save:7.1f} ms")
    print(f"  re-encoding the PNG (not done):         {encode:7.1f} ms")
    print(f"  save / encode:                          {save / encode:7.2f}")


def main() -> None:
    for instances in (40, 250):
        measure(instances)


if __name__ == "__main__":
    main()
