"""The images of a labeling session: a folder walked or a list, each checked with one
`stat` and keyed by its real path relative to the store's root.

Start-up must stay fast at 100,000 images, so an image's content is not opened
here (a header probe costs ~0.1 ms); an image whose content cannot be read is
named when the session reaches it, and passed over.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from .files import file_kind

#: Files taken from a folder (case-insensitive suffixes).
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff"})


def image_list(
    images: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], store: Path
) -> list[Path]:
    """The images of a folder (recursively, leaving out the store inside it, links to
    folders not followed) sorted by path, or a list as given."""
    if isinstance(images, (str, os.PathLike)):
        folder = Path(images).expanduser()
        if not folder.is_dir():
            raise ValueError(f"images must be a folder or a list of images; {folder} is neither")
        found = list(_walk_images(folder, os.path.realpath(store.expanduser())))
        if not found:
            raise ValueError(f"no images ({', '.join(sorted(IMAGE_SUFFIXES))}) in {folder}")
        return found
    paths = [Path(p).expanduser() for p in images]
    if not paths:
        raise ValueError("images is empty: give a folder or a list of image paths")
    return paths


def _walk_images(folder: Path, store: str) -> Iterator[Path]:
    """In `Path` order (name by name per folder), without sorting Paths (slow at 100,000)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:  # unreadable subfolder: its images cannot be labeled anyway
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if os.path.realpath(entry.path) != store:
                yield from _walk_images(folder / entry.name, store)
        elif os.path.splitext(entry.name)[1].lower() in IMAGE_SUFFIXES:
            yield folder / entry.name  # a child, cheaper than parsing the whole path


class RealPaths:
    """Real paths of image files with one `lstat` each (a folder's real path is looked up
    once for all its files)."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def __call__(self, path: Path) -> str:
        """The real path of a regular file; ValueError saying what else it is,
        FileNotFoundError when it is gone."""
        name = os.fspath(path)
        status = os.lstat(name)
        if stat.S_ISLNK(status.st_mode):
            real = os.path.realpath(name)
            status = os.stat(real)
        else:
            folder, base = os.path.split(name)
            if folder not in self._folders:
                self._folders[folder] = os.path.realpath(folder)
            real = os.path.join(self._folders[folder], base)
        if not stat.S_ISREG(status.st_mode):
            raise ValueError(f"{file_kind(status.st_mode)}, not a regular file")
        return real


def common_root(reals: Sequence[str]) -> Path:
    """The deepest folder holding every one of these real paths."""
    return Path(os.path.commonpath([os.path.dirname(real) for real in reals]))


def key_of(real: str, root: Path, path: Path) -> str:
    """The key of `path` (real path `real`) under `root` (see `LabelStore.key`);
    ValueError when it is outside `root`."""
    prefix = str(root).rstrip(os.sep) + os.sep
    if not real.startswith(prefix):
        raise ValueError(
            f"image {path} is not inside the store's root folder {root}; "
            "pass root= a folder that holds every image"
        )
    return real[len(prefix) :].replace(os.sep, "/")
