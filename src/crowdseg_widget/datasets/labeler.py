"""Labeling a whole dataset: one widget that walks a list of images, saving every stroke.

`label_images(images, labels, store="labels/")` returns an `ImageLabeler`:
the widget with previous / next / skip. Every value that reaches Python is
written to the store at once (`datasets/store.py`); the view flushes its last stroke
before it asks to move, so moving never loses it. Re-running the same call
resumes at the first image neither done nor skipped (docs/datasets.md). A save
that fails keeps the value in memory, says so in the view's status line and in
Python, and is retried at the next stroke or `save()`. Every navigation step
costs the same whatever the number of images.
"""

from __future__ import annotations

import os
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import traitlets

from ..annotation import Annotation
from ..widget import InstanceSegmentation
from .files import check_regular, os_reason
from .listing import RealPaths, common_root, image_list, key_of
from .prefetch import PreparedImages, prefetch_target
from .store import (
    LabelStore,
    Status,
    StoredLabel,
    StoreError,
    StoreProblem,
    StoreWarning,
    StoreWriteError,
)

ACTIONS = ("next", "previous", "skip")


class ImageLabeler(InstanceSegmentation):
    """`InstanceSegmentation` over many images, stored in a `LabelStore` as you paint.

    Navigate with the bar's buttons or keys (`.` next, `,` previous, `s` skip),
    or from Python with `next()`, `previous()`, `skip()`, `goto(i)`.
    """

    #: Where the view is: {"position", "total", "done", "skipped", "name", "status", "problem"}.
    _navigation = traitlets.Dict().tag(sync=True)
    #: The image likely shown next, for the view to decode ahead: {"key", "mime", "data"}
    #: (datasets/prefetch.py), or {} when there is none.
    _prefetch = traitlets.Dict().tag(sync=True)

    def __init__(
        self,
        images: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
        labels: Any,
        store: str | os.PathLike[str] = "labels",
        *,
        root: str | os.PathLike[str] | None = None,
        **widget_kwargs: Any,
    ) -> None:
        #: Every problem met so far (unreadable images, damaged or stale stored labels).
        self.problems: list[StoreProblem] = []
        self.images: list[Path] = []
        reals: list[str] = []
        real_path = RealPaths()
        for path in image_list(images, Path(store)):
            try:
                reals.append(real_path(path))
            except (OSError, ValueError) as err:
                self._problem(StoreProblem(str(path), f"left out: {_reason(err)}"))
                continue
            self.images.append(path)
        if not self.images:
            raise ValueError("none of the images can be read (see the warnings)")
        if root is None:
            root = images if isinstance(images, (str, os.PathLike)) else common_root(reals)
        self.store = LabelStore(store, root)
        self.image_keys = [
            key_of(r, self.store.root, p) for r, p in zip(reals, self.images, strict=True)
        ]
        self._statuses, problems = self.store.statuses()
        for problem in problems:
            self._problem(problem)
        for key in sorted(set(self._statuses) - set(self.image_keys)):
            if not self.store.image_path(key).exists():
                self._problem(StoreProblem(key, "the image is gone; its label stays in the store"))
        # Counted once here, then kept up to date: a step costs the same at any size.
        self._listed = Counter(self.image_keys)  # an image listed twice counts twice
        self._tally = Counter(self._statuses.get(key) for key in self.image_keys)
        #: Values not on disk yet (a save failed), by key, with their status: kept for a retry.
        self._unsaved: dict[str, tuple[dict[str, Any], Status]] = {}
        self._save_error = ""
        self._loading = True
        #: `_image_serial` -> key of the image shown with it, for strokes that arrive late.
        self._shown_keys: dict[int, str] = {}
        self._prepared = PreparedImages(self.images)
        self._bytes_to_send = b""  # the shown image's bytes, while the view has them as `_prefetch`
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
        """'done', 'skipped', 'open' (stored, not finished) or None (nothing stored), as
        on disk: a value a failed save keeps in memory does not count (see `save_error`)."""
        return self._statuses.get(self.image_keys[self.position if index is None else index])

    def counts(self) -> dict[str, int]:
        """How many images of this session are done, skipped, open, unlabeled."""
        tally = self._tally
        return {"done": tally["done"], "skipped": tally["skipped"], "open": tally["open"],
                "unlabeled": tally[None]}  # fmt: skip

    def _status_of(self, key: str) -> Status | None:
        """The status `key` has, or will have once the value kept in memory is written."""
        pending = self._unsaved.get(key)
        return pending[1] if pending else self._statuses.get(key)

    def _set_status(self, key: str, status: Status | None) -> None:
        """What is on disk now (the bar's counts and ✓ follow it)."""
        before = self._statuses.get(key)
        if status is None:
            self._statuses.pop(key, None)
        else:
            self._statuses[key] = status
        listed = self._listed[key]
        self._tally[before] -= listed
        self._tally[status] += listed

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

    @property
    def save_error(self) -> str:
        """Why the last save failed, '' when everything painted is on disk. While it is
        set, the values not written are kept in memory (and shown when you go back to
        their image), the view's status line says so, and every stroke retries."""
        return self._save_error

    def save(self) -> None:
        """Write what a failed save left in memory now; StoreError saying why if the
        store still refuses it (the values stay in memory)."""
        if not self._write_unsaved(warn=False):
            raise StoreError(self._save_error)

    def _save(self, change: dict[str, Any]) -> None:
        """Every value that reaches Python is written at once (the view's or Python's)."""
        if self._loading or not change["new"]:
            return
        key = self.current_key
        self._store_value(key, change["new"], self._status_of(key) or "open")
        self._publish()

    def _store_value(self, key: str, value: Mapping[str, Any], status: Status) -> None:
        """Write one entry (and any earlier one a failed save left in memory)."""
        self._unsaved[key] = (dict(value), status)
        self._write_unsaved(warn=True)

    def _write_unsaved(self, *, warn: bool) -> bool:
        """Write every value not on disk yet; on a refusal, keep them and say so."""
        for key, (value, status) in list(self._unsaved.items()):
            try:
                self.store.save(key, value, status)
            except StoreWriteError as err:
                waiting = len(self._unsaved)
                self._save_error = (
                    f"Not saved: {err}. {waiting} image{'s' if waiting > 1 else ''} kept in "
                    "memory only; the next stroke or save() retries."
                )
                self._sync_error = self._save_error  # the view's status line shows it
                if warn:
                    warnings.warn(self._save_error, StoreWarning, stacklevel=4)
                return False
            except ValueError:  # not a value at all: no retry can write it
                del self._unsaved[key]
                raise
            del self._unsaved[key]
            self._set_status(key, status)
        if self._save_error:
            if self._sync_error == self._save_error:
                self._sync_error = ""
            self._save_error = ""
        return True

    def _late_value(self, image: int, value: Any) -> None:
        """A stroke on an image already left (Python moved while it was on its way):
        saved to that image's entry, never to the current one."""
        key = self._shown_keys.get(image)
        if key is None or not isinstance(value, dict) or not value:
            super()._late_value(image, value)
            return
        self._store_value(key, value, self._status_of(key) or "open")
        self._publish()

    def _browser_trouble(self) -> str:
        # A failed save shows in `_sync_error` (the view's status line) but is the store's.
        return "" if self._sync_error == self._save_error else self._sync_error

    def _painted(self) -> bool:
        return bool(self.annotation.label_map.any())

    def _leave(self, action: str) -> None:
        """Mark the current image: skipped, or done when it has painted pixels. In
        memory only (`_unsaved`): the caller writes it once the next image's update has
        left (`_write_left`), so the fsync'd write does not delay the image shown."""
        key = self.current_key
        before = self._status_of(key)
        if action == "skip":
            status: Status | None = "skipped"
        elif self._painted():
            status = "done"
        else:
            status = before if before == "skipped" else ("open" if before else None)
        if status is not None and status != before:
            self._unsaved[key] = (dict(self.value), status)

    def _write_left(self) -> None:
        """Write the mark `_leave` kept in memory (and anything a failed save left); a
        refusal is reported as any failed save, and the values stay in memory."""
        if self._unsaved:
            self._write_unsaved(warn=True)

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
            self._write_left()
            self._publish()

    def _candidates(self, index: int, direction: int) -> Iterator[int]:
        """The asked-for image, then onwards in `direction`, then back the other way
        (lazily: usually the first one is shown)."""
        end = len(self.images) if direction > 0 else -1
        start = -1 if direction > 0 else len(self.images)
        return chain(range(index, end, direction), range(index - direction, start, -direction))

    def goto(self, index: int, *, leave: bool = True, direction: int = 1) -> None:
        """Show image `index` with its stored label. An image that cannot be shown is
        reported and passed over in `direction`."""
        if not 0 <= index < len(self.images):
            raise IndexError(f"image index {index} is out of range 0..{len(self.images) - 1}")
        if leave:
            self._leave("goto")
        problem = ""
        try:
            for candidate in self._candidates(index, direction):
                try:
                    self._show(candidate)
                    break
                except (OSError, ValueError) as err:
                    reason = f"cannot be shown ({_reason(err)})"
                    problem = f"{self.image_keys[candidate]}: {reason}"
                    self._problem(StoreProblem(self.image_keys[candidate], reason))
            else:
                raise ValueError("none of the images can be shown (see the warnings)")
        finally:
            self._write_left()  # the image left, now that the new one's update is out
        self._publish(problem)
        self._prefetch_after(direction)

    def _show(self, index: int) -> None:
        key = self.image_keys[index]
        check_regular(self.images[index])  # a FIFO swapped in would hang the image's read
        initial: Annotation | None = None
        stored = None
        try:
            pending = self._unsaved.get(key)  # not on disk: memory is where it is
            stored = StoredLabel(key, *pending) if pending else self.store.read(key)
            if stored is not None:
                initial = self.store.decode(stored)
        except StoreError as err:
            moved = self.store.set_aside(key)
            self._set_status(key, None)
            names = ", ".join(p.name for p in moved)
            self._problem(StoreProblem(key, f"{err}; set aside as {names}, starting empty"))
        source = self._prepared.get(index)
        # The view has these bytes as `_prefetch` already: the image's update (which the
        # view waits for) leaves them out; `_prefetch_after` sends them after it.
        prefetched = source.key != "" and source.key == self._prefetch.get("key")
        self._loading = True
        try:
            with self.hold_sync():
                self.set_image(source, initial_value=initial)
                if prefetched:
                    self._image_data = b""  # meanwhile `_prefetch` holds them (its key is ours)
        finally:
            self._loading = False
        self._bytes_to_send = source.data if prefetched else b""
        self.position = index
        self._shown_keys[self._image_serial] = key
        if self._save_error:  # set_image cleared the status line; the failure is still there
            self._sync_error = self._save_error
        if stored is not None and initial is not None and key not in self._unsaved:
            self._repair_png(stored)

    def _prefetch_after(self, direction: int) -> None:
        """Prepare the image a step further (`datasets/prefetch.py`) and offer its bytes
        to the view; the current image's message has left already."""
        if self._bytes_to_send:  # the image shown, its bytes now in `_image_data` as always
            self._image_data, self._bytes_to_send = self._bytes_to_send, b""
        target = prefetch_target(self.position, direction, len(self.images))
        self._prepared.keep_only({self.position - 1, self.position, self.position + 1})
        offer: dict[str, Any] = {}
        if target is not None:
            try:
                source = self._prepared.get(target)
            except (OSError, ValueError):
                source = None  # named when it is shown, as any image that cannot be
            # Within the message limit (as a shown image must be), else it is sent when shown.
            if source is not None and 0 < len(source.data) <= self.message_limit - 2**16:
                offer = {"key": source.key, "mime": source.mime, "data": source.data}
        if offer.get("key") != self._prefetch.get("key"):
            self._prefetch = offer

    def _repair_png(self, stored: StoredLabel) -> None:
        """After a crash between the PNG and the JSON, the JSON wins: rewrite the PNG."""
        try:
            self.store.repair_png(stored)
        except StoreWriteError as err:
            self._problem(StoreProblem(stored.key, f"{err}; the JSON (the authority) is shown"))

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


def _reason(err: Exception) -> str:
    return os_reason(err) if isinstance(err, OSError) else str(err)


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
