"""`InstanceMasks`: one instance's mask at a time, made when asked for.

`Annotation.masks` is the whole (N, H, W) bool stack: N times the image in
memory (1.2 GB for 100 instances at 12 MP), so making it costs more than
decoding the PNG. Most uses need one mask at a time (a training loader,
an overlay, a metric) or only each instance's box: these come from the
label map as they are read, and the label map is all that is decoded.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple, overload

import numpy as np

from .boxes import instance_boxes


class CroppedMask(NamedTuple):
    """An instance's mask inside its box: `mask` is `label_map[y0:y1, x0:x1] == id`."""

    box: tuple[int, int, int, int]  # x0, y0, x1, y1 (pixel edges, exclusive ends)
    mask: np.ndarray


class InstanceMasks(Sequence[np.ndarray]):
    """A lazy (N, H, W) bool stack: `masks[k]` is instance k + 1's mask, made on access
    (one compare over the image); nothing is computed or held until then.

    `np.asarray(masks)` is the whole stack (as `Annotation.masks`); `crop(k)` and
    `cropped()` give masks cut to each instance's box, for box-based training.
    """

    def __init__(self, label_map: np.ndarray, num_instances: int) -> None:
        self._label_map = label_map
        self._count = num_instances
        self._boxes: np.ndarray | None = None

    def __len__(self) -> int:
        return self._count

    @property
    def shape(self) -> tuple[int, int, int]:
        return (self._count, *self._label_map.shape)

    @overload
    def __getitem__(self, index: int) -> np.ndarray: ...
    @overload
    def __getitem__(self, index: slice) -> list[np.ndarray]: ...
    def __getitem__(self, index: int | slice) -> np.ndarray | list[np.ndarray]:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(self._count))]
        mask: np.ndarray = self._label_map == self._id(index)
        return mask

    def __iter__(self) -> Iterator[np.ndarray]:
        return (self[k] for k in range(self._count))

    def __array__(self, dtype: np.dtype[Any] | None = None, copy: bool | None = None) -> np.ndarray:
        # Set only the painted pixels in zeroed memory: N full-image compares would
        # write N*H*W bytes; this touches only the pages an instance covers.
        flat = self._label_map.ravel()
        painted = np.flatnonzero(flat != 0)
        stack = np.zeros(self._count * flat.size, bool)
        stack[(flat[painted].astype(np.intp) - 1) * flat.size + painted] = True
        out = stack.reshape(self.shape)
        return out if dtype is None else out.astype(dtype)

    @property
    def boxes(self) -> np.ndarray:
        """(N, 4) int64 `[x0, y0, x1, y1]`, as `Annotation.boxes` (computed once)."""
        if self._boxes is None:
            self._boxes = instance_boxes(self._label_map, self._count)
        return self._boxes

    def crop(self, index: int) -> CroppedMask:
        """Instance index + 1's mask inside its box (0x0 for an unpainted instance)."""
        instance = self._id(index)
        x0, y0, x1, y1 = (int(v) for v in self.boxes[instance - 1])
        return CroppedMask((x0, y0, x1, y1), self._label_map[y0:y1, x0:x1] == instance)

    def cropped(self) -> list[CroppedMask]:
        """Every instance's mask inside its box: memory follows the boxes, not N images."""
        return [self.crop(k) for k in range(self._count)]

    def _id(self, index: int) -> int:
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
            raise TypeError(f"a mask index must be an integer, got {type(index).__name__}")
        k = int(index) + self._count if index < 0 else int(index)
        if not 0 <= k < self._count:
            raise IndexError(f"mask index {index} is out of range for {self._count} instances")
        return k + 1
