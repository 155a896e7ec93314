"""Instance outlines as COCO polygons, traced along pixel edges by rasterio (GDAL).

`rasterio.features.shapes` follows the edges between pixels, so every vertex
is a pixel corner and pycocotools' `frPyObjects` rasterizes the polygons back
to exactly the painted pixels. COCO polygons cannot subtract, so a hole in an
instance is filled in (with a warning); RLE (`to_coco`) keeps holes.
Needs `pip install 'crowdseg-widget[polygons]'`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from types import ModuleType

import numpy as np

from ..extras import require


def require_rasterio_features() -> ModuleType:
    """`rasterio.features`, or an ImportError that names the extra to install."""
    return require("rasterio.features", "polygons", "to_polygons()")


def instance_polygons(label_map: np.ndarray, labels: Sequence[str]) -> list[list[list[float]]]:
    """Per instance, COCO polygons: one flat `[x0, y0, x1, y1, ...]` list per 4-connected region.

    Vertices are pixel corners (pixel (x, y) spans x..x+1, y..y+1); each ring is
    open (its first vertex is not repeated). Unpainted instances get `[]`.
    """
    features = require_rasterio_features()
    polygons: list[list[list[float]]] = [[] for _ in labels]
    with_holes: list[int] = []
    ids = np.ascontiguousarray(label_map)  # uint8 or uint16: both are rasterio dtypes
    for geometry, value in features.shapes(ids, mask=ids != 0, connectivity=4):
        instance = int(value)
        exterior, *holes = geometry["coordinates"]
        polygons[instance - 1].append([float(c) for corner in exterior[:-1] for c in corner])
        if holes and instance not in with_holes:
            with_holes.append(instance)
    if with_holes:
        named = ", ".join(f"{i} ({labels[i - 1]!r})" for i in sorted(with_holes))
        warnings.warn(
            f"instances {named} have holes, which COCO polygons cannot represent; they are "
            "filled in. Use to_coco() (RLE) to keep every pixel.",
            UserWarning,
            stacklevel=3,
        )
    return polygons
