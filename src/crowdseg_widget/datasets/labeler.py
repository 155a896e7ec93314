"""Labeling a whole dataset: one widget that walks a list of images, saving every stroke.

`label_images(images, labels, store="labels/")` returns an `ImageLabeler`:
the widget with previous / next / skip. Every value that reaches Python is
written to the store at once (`datasets/store.py`); the view flushes its last stroke
before it asks to move, so moving never loses it. Re-running the same call
resumes at the first image neither done nor skipped (docs/datasets.md).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import traitlets

from ..annotation import Annotation
from ..formats.sagemaker import labeled_png
from ..image_source import image_size
from ..widget import InstanceSegmentation
from .store import LabelStore, Status, StoredLabel, StoreError, StoreProblem, StoreWarning

#: Files taken from a folder (case-insensitive suffixes).
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff"})
ACTIONS = ("next", "previous", "skip")


def _image_list(
    images: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], store: Path
) -> list[Path]:
    """The images of a folder (recursively, leaving out the store inside it) or a list."""
    if isinstance(images, (str, os.PathLike)):
        folder = Path(images).expanduser()
        if not folder.is_dir():
            raise ValueError(f"images must be a folder or a list of images; {folder} is neither")
        store = store.expanduser().resolve()
        found = [
            p
            for p in folder.rglob("*")
            if p.suffix.lower() in IMAGE_SUFFIXES
            and p.is_file()
            and store not in p.resolve().parents
        ]
        if not found:
            raise ValueError(f"no images ({', '.join(sorted(IMAGE_SUFFIXES))}) in {folder}")
        return sorted(found)
    paths = [Path(p).expanduser() for p in images]
    if not paths:
        raise ValueError("images is empty: give a folder or a list of image paths")
    return paths


def _common_root(paths: Sequence[Path]) -> Path:
    return Path(os.path.commonpath([str(p.resolve().parent) for p in paths]))


class ImageLabeler(InstanceSegmentation):
    """`InstanceSegmentation` over many images, stored in a `LabelStore` as you paint.

    Navigate with the bar's buttons or keys (`.` next, `,` previous, `s` skip),
    or from Python with `next()`, `previous()`, `skip()`, `goto(i)`.
    """

    #: Where the view is: {"position", "total", "done", "skipped", "name", "status", "problem"}.
    _navigation = traitlets.Dict().tag(sync=True)

    def __init__(
        self,
        images: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
        labels: Any,
        store: str | os.PathLike[str] = "labels",
        *,
        root: str | os.PathLike[str] | None = None,
        **widget_kwargs: Any,
    ) -> None:
        paths = _image_list(images, Path(store))
        if root is None and isinstance(images, (str, os.PathLike)):
            root = images
        self.store = LabelStore(store, root if root is not None else _common_root(paths))
        #: Every problem met so far (unreadable images, damaged or stale stored labels).
        self.problems: list[StoreProblem] = []
        self._statuses, problems = self.store.statuses()
        for problem in problems:
            self._problem(problem)
        self.images: list[Path] = []
        for path in paths:
            try:
                image_size(path)
            except (OSError, ValueError) as err:
                self._problem(StoreProblem(str(path), f"left out: {err}"))
                continue
            self.images.append(path)
        if not self.images:
            raise ValueError("none of the images can be read (see the warnings)")
        self.image_keys = [self.store.key(p) for p in self.images]
        for key in sorted(set(self._statuses) - set(self.image_keys)):
            if not self.store.image_path(key).exists():
                self._problem(StoreProblem(key, "the image is gone; its label stays in the store"))
        self._loading = True
        #: `_image_serial` -> key of the image shown with it, for strokes that arrive late.
        self._shown_keys: dict[int, str] = {}
        # A 1x1 stand-in until `goto` shows the resume image (passed over if it fails).
        super().__init__(np.zeros((1, 1), np.uint8), labels, **widget_kwargs)
        self.store.set_labels(list(self.labels))
        self.observe(lambda change: self.store.set_labels(list(change["new"])), "labels")
        self.position = 0
        self.observe(self._save, "value")
        self.goto(self._resume_position(), leave=False)

    # ------------------------------------------------------------ state

    @property
    def current_image(self) -> Path:
        return self.images[self.position]

    @property
    def current_key(self) -> str:
        return self.image_keys[self.position]

    def status(self, index: int | None = None) -> Status | None:
        """'done', 'skipped', 'open' (stored, not finished) or None (nothing stored)."""
        return self._statuses.get(self.image_keys[self.position if index is None else index])

    def counts(self) -> dict[str, int]:
        """How many images of this session are done, skipped, open, unlabeled."""
        found = [self._statuses.get(key) for key in self.image_keys]
        return {"done": found.count("done"), "skipped": found.count("skipped"),
                "open": found.count("open"), "unlabeled": found.count(None)}  # fmt: skip

    def _resume_position(self) -> int:
        """The first image neither done nor skipped (the first image when all are)."""
        for i, key in enumerate(self.image_keys):
            if self._statuses.get(key) not in ("done", "skipped"):
                return i
        return 0

    def _problem(self, problem: StoreProblem, *, stacklevel: int = 3) -> None:
        self.problems.append(problem)
        warnings.warn(str(problem), StoreWarning, stacklevel=stacklevel)

    # ------------------------------------------------------------ saving

    def _save(self, change: dict[str, Any]) -> None:
        """Every value that reaches Python is written at once (the view's or Python's)."""
        if self._loading or not change["new"]:
            return
        key = self.current_key
        status = self._statuses.get(key) or "open"
        self.store.save(key, change["new"], status)
        self._statuses[key] = status
        self._publish()

    def _late_value(self, image: int, value: Any) -> None:
        """A stroke on an image already left (Python moved while it was on its way):
        saved to that image's entry, never to the current one."""
        key = self._shown_keys.get(image)
        if key is None or not isinstance(value, dict) or not value:
            super()._late_value(image, value)
            return
        status = self._statuses.get(key) or "open"
        self.store.save(key, value, status)
        self._statuses[key] = status
        self._publish()

    def _leave(self, action: str) -> None:
        """Mark the current image: skipped, or done when it has painted pixels."""
        key = self.current_key
        before = self._statuses.get(key)
        if action == "skip":
            status: Status | None = "skipped"
        elif bool(self.annotation.label_map.any()):
            status = "done"
        else:
            status = before if before == "skipped" else ("open" if before else None)
        if status is not None and status != before:
            self.store.save(key, self.value, status)
            self._statuses[key] = status

    # ------------------------------------------------------------ navigation

    def next(self) -> None:
        """Finish this image (done if painted) and show the next one (the last one stays)."""
        self._move("next")

    def previous(self) -> None:
        self._move("previous")

    def skip(self) -> None:
        """Mark this image skipped and show the next one."""
        self._move("skip")

    def _move(self, action: str) -> None:
        step = -1 if action == "previous" else 1
        self._leave(action)
        target = min(max(self.position + step, 0), len(self.images) - 1)
        if target != self.position:
            self.goto(target, leave=False, direction=step)
        else:
            self._publish()

    def goto(self, index: int, *, leave: bool = True, direction: int = 1) -> None:
        """Show image `index` with its stored label. An image that cannot be shown is
        reported and passed over in `direction`."""
        if not 0 <= index < len(self.images):
            raise IndexError(f"image index {index} is out of range 0..{len(self.images) - 1}")
        if leave:
            self._leave("goto")
        problem = ""
        # The asked-for image, then onwards in `direction`, then back the other way.
        candidates = [index, *range(index + direction, len(self.images) if direction > 0 else -1,
                                    direction)]  # fmt: skip
        candidates += [i for i in range(len(self.images))[::-direction] if i not in candidates]
        for candidate in candidates:
            try:
                self._show(candidate)
                break
            except (OSError, ValueError) as err:
                reason = f"cannot be shown ({err})"
                problem = f"{self.image_keys[candidate]}: {reason}"
                self._problem(StoreProblem(self.image_keys[candidate], reason))
        else:
            raise ValueError("none of the images can be shown (see the warnings)")
        self._publish(problem)

    def _show(self, index: int) -> None:
        key = self.image_keys[index]
        initial: Annotation | None = None
        stored = None
        try:
            stored = self.store.read(key)
            if stored is not None:
                initial = self.store.decode(stored)
        except StoreError as err:
            moved = self.store.set_aside(key)
            self._statuses.pop(key, None)
            names = ", ".join(p.name for p in moved)
            self._problem(StoreProblem(key, f"{err}; set aside as {names}, starting empty"))
        self._loading = True
        try:
            self.set_image(self.images[index], initial_value=initial)
        finally:
            self._loading = False
        self.position = index
        self._shown_keys[self._image_serial] = key
        if stored is not None and initial is not None:
            self._repair_png(stored)

    def _repair_png(self, stored: StoredLabel) -> None:
        """After a crash between the PNG and the JSON, the JSON wins: rewrite the PNG."""
        png = labeled_png(stored.value)
        path = self.store.png_path(stored.key)
        if not path.exists() or path.read_bytes() != png:
            self.store.save(stored.key, stored.value, stored.status)

    def _publish(self, problem: str = "") -> None:
        counts = self.counts()
        self._navigation = {
            "position": self.position,
            "total": len(self.images),
            "done": counts["done"],
            "skipped": counts["skipped"],
            "name": self.current_key,
            "status": self.status() or "",
            "problem": problem,
        }

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """A state update from the view. A navigation request travels in the state
        channel, after (or with) the last stroke's `value`, and is handled after it:
        a custom message could overtake an update the front end is still holding back.
        """
        request = sync_data.get("_navigation_request")
        super().set_state({k: v for k, v in sync_data.items() if k != "_navigation_request"})
        # A request made on an image already left (a double click) is stale.
        if (
            isinstance(request, dict)
            and request.get("action") in ACTIONS
            and request.get("image") == self._image_serial
        ):
            self._move(str(request["action"]))


def label_images(
    images: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    labels: Any,
    store: str | os.PathLike[str] = "labels",
    *,
    root: str | os.PathLike[str] | None = None,
    **widget_kwargs: Any,
) -> ImageLabeler:
    """Label a folder (searched recursively) or a list of images, saving into `store`.

    Images are keyed by their path relative to `root` (default: the folder, or
    the common folder of the list); pass `root` when the list may grow beyond
    one folder. Other keywords go to `InstanceSegmentation` (header,
    instructions, ...).
    """
    return ImageLabeler(images, labels, store, root=root, **widget_kwargs)
