"""The images a dataset session is likely to show next, made ready while the user paints.

After showing image i, `ImageLabeler` prepares the image a step further in
the direction it moved (i+1 after next or skip, i-1 after previous; the other
way at either end): read, checked and EXIF-normalised here once
(`image_source.load_image_source`), and its bytes sent to the view as
`_prefetch`, after the image shown, so they never delay it. The view decodes
them in the background and uses the decoded image when Python shows it,
matched by `ImageSource.key` (a hash of the bytes).

Memory (docs/datasets.md): Python keeps the prepared bytes of at most three
images (the one shown and its two neighbours; encoded, e.g. ~3 MB for a 12 MP
JPEG); the view holds one prefetched image beside the one it shows.
A prepared image is used only while its file is unchanged (same inode,
size and modification time); an image that fails to prepare is not
prefetched, and its problem is named when it is shown, not before.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from pathlib import Path

from ..image_source import ImageSource, load_image_source
from .files import check_regular

#: What tells a file changed since it was prepared.
Stamp = tuple[int, int, int, int]


def _stamp(info: os.stat_result) -> Stamp:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def prefetch_target(position: int, direction: int, total: int) -> int | None:
    """The image to prepare after moving to `position` in `direction` (+1 or -1): the
    next one that way, or the other way at the end; None when there is no other image."""
    for target in (position + direction, position - direction):
        if 0 <= target < total:
            return target
    return None


class PreparedImages:
    """`ImageSource`s of a session's images by index, prepared once and reused while
    their files are unchanged; `keep_only` bounds how many are kept."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self._paths = paths
        self._prepared: dict[int, tuple[Stamp, ImageSource]] = {}

    def get(self, index: int) -> ImageSource:
        """Image `index`, ready for the view; OSError or ValueError as loading it would."""
        path = self._paths[index]
        # Regular (a FIFO swapped in would hang the read); stat before the read, so a
        # write during it is seen next time.
        stamp = _stamp(check_regular(path))
        cached = self._prepared.get(index)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        self._prepared.pop(index, None)
        source = load_image_source(path)
        self._prepared[index] = (stamp, source)
        return source

    def keep_only(self, indexes: Collection[int]) -> None:
        for index in [i for i in self._prepared if i not in indexes]:
            del self._prepared[index]

    def __len__(self) -> int:
        return len(self._prepared)
