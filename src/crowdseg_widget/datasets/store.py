"""The on-disk label store: one SageMaker value (JSON) and its PNG per image.

Layout (docs/datasets.md)::

    labels/
      crowdseg-store.json    # {"format": "crowdseg-store", "version": 1, "root", "labels"}
      street/0001.jpg.json   # the SageMaker value + {"crowdseg": {"image", "status", "png_sha256"}}
      street/0001.jpg.png    # the same PNG as the value's pngImageData, for any PNG reader

An image's key is its path relative to the store's root folder (POSIX
separators), so two `0001.jpg` in different folders stay apart. The JSON is
the authority. Every file is written atomically and durably (`files.py`); the
PNG and the JSON of one entry are written under a lock on their folder, so
cooperating writers never leave a pair that disagrees, and readers compare
the PNG with the JSON's own bytes and rewrite it on a mismatch (a crash
between the two writes, a writer that does not lock). Nothing is written
outside the store's real folder, and only regular files are read.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..annotation import Annotation
from ..formats.sagemaker import check_value, declared_size, labeled_png
from ..image_source import image_size
from .files import (
    check_regular,
    folder_lock,
    make_folders,
    move_aside,
    os_reason,
    read_head,
    read_regular,
    remove_stale_temporary,
    walk,
    write_atomic,
)

MANIFEST = "crowdseg-store.json"
FORMAT = "crowdseg-store"
VERSION = 1
#: The store's own key inside each image's JSON, beside the SageMaker value's keys.
META = "crowdseg"
#: Entries moved aside because they no longer fit their image end in this (never deleted).
SET_ASIDE = ".bad"
#: `x.bad.json`, `x.bad-2.json`, ... (and the PNGs): set-aside files, not entries.
_SET_ASIDE_NAME = re.compile(rf"{re.escape(SET_ASIDE)}(-[0-9]+)?\.(json|png)$")
#: Size caps for what the store reads: a label PNG at the pixel limit (100 million
#: pixels, 16 bits each, in Base64) stays well under them; a crafted file does not.
JSON_LIMIT = 512 * 2**20
PNG_LIMIT = 384 * 2**20
MANIFEST_LIMIT = 64 * 2**20
#: Start-up reads only this much of each JSON for its status: `save` writes the store's
#: key first (a JSON is tens of KiB for a large image; 100,000 of them must load fast).
HEAD = 4096
_HEAD_START = b'{"' + META.encode() + b'": '

Status = Literal["open", "done", "skipped"]
STATUSES: tuple[Status, ...] = ("open", "done", "skipped")


class StoreWarning(UserWarning):
    """A stored annotation or its image has a problem (named in the message)."""


@dataclass(frozen=True)
class StoreProblem:
    """Something wrong with one stored image or annotation, by name."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


class StoreError(ValueError):
    """A problem that stops reading the store (or `strict=True` was asked for)."""


class StoreWriteError(StoreError):
    """Nothing was written: the disk refused (full, read-only, ...; the OSError is the
    cause) or the path would lead outside the store."""


@dataclass(frozen=True)
class StoredLabel:
    key: str
    value: dict[str, Any]  # the SageMaker value (without the store's own key)
    status: Status

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) as the value declares it."""
        return declared_size(self.value["inputImageProperties"])


def _status(meta: object, file: str | Path) -> Status:
    status = meta.get("status", "open") if isinstance(meta, dict) else "open"
    if status not in STATUSES:
        raise StoreError(f"{file}: unknown status {status!r}; expected one of {STATUSES}")
    return status


def _head_meta(head: bytes) -> dict[str, Any] | None:
    """The store's own key from the start of a JSON `save` wrote, None if it is not there."""
    if not head.startswith(_HEAD_START):
        return None
    try:
        meta, _ = json.JSONDecoder().raw_decode(head[len(_HEAD_START) :].decode("ascii", "replace"))
    except ValueError:
        return None
    return meta if isinstance(meta, dict) else None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def probe_size(image: Path) -> tuple[int, int]:
    """(width, height) of a regular image file; ValueError saying what else it is."""
    check_regular(image)
    return image_size(image)


class LabelStore:
    """A folder of labels for the images under `root` (see the module doc).

    Opening a store removes the temporary files of writers that died (docs/datasets.md).
    """

    def __init__(
        self, path: str | os.PathLike[str], root: str | os.PathLike[str] | None = None
    ) -> None:
        self.path = Path(_as_path(path, "path")).expanduser()
        if root is not None:
            root = _as_path(root, "root")
        #: Problems met by the last listing (links to folders, which are not read through).
        self.listing_problems: list[StoreProblem] = []
        manifest = self._read_manifest()
        if manifest is None:
            if root is None:
                raise StoreError(
                    f"{self.path} is not a label store (no {MANIFEST}); label_images() creates one"
                )
            self.root = Path(root).expanduser().resolve()
            self.labels: list[str] = []
            self._write_manifest()
            self.real_path = self.path.resolve()
            return
        self.real_path = self.path.resolve()
        self.root = Path(manifest["root"])
        self.labels = list(manifest.get("labels", []))
        keys = self._list(clean=True)  # removes dead writers' temporaries
        if root is not None and Path(root).expanduser().resolve() != self.root:
            moved = Path(root).expanduser().resolve()
            if keys:
                report(
                    f"{self.path}: labels were stored for images under {self.root}; they are "
                    f"now looked up under {moved} (keys are paths relative to that folder)",
                    strict=False,
                )
            self.root = moved
            self._write_manifest()

    def _read_manifest(self) -> dict[str, Any] | None:
        file = self.path / MANIFEST
        if not os.path.lexists(file):
            return None
        try:
            manifest = json.loads(read_regular(file, MANIFEST_LIMIT))
        except (OSError, ValueError) as err:
            raise StoreError(f"{file}: the store's manifest cannot be read ({err})") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise StoreError(f"{file}: not a crowdseg label store manifest")
        if manifest.get("version") != VERSION:
            raise StoreError(
                f"{file}: store version {manifest.get('version')!r}; this version reads {VERSION}"
            )
        labels, root = manifest.get("labels", []), manifest.get("root")
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise StoreError(f"{file}: 'labels' must be a list of strings, got {labels!r:.80}")
        if not isinstance(root, str) or not root:
            raise StoreError(f"{file}: 'root' must be the image folder's path, got {root!r:.80}")
        return manifest

    def _write_manifest(self) -> None:
        manifest = {"format": FORMAT, "version": VERSION, "root": str(self.root),
                    "labels": self.labels}  # fmt: skip
        write_atomic(self.path / MANIFEST, json.dumps(manifest, indent=1).encode())

    def set_labels(self, labels: Sequence[str]) -> None:
        """Remember the label choices (COCO categories follow their order)."""
        if list(labels) != self.labels:
            self.labels = list(labels)
            self._write_manifest()

    # ------------------------------------------------------------ names

    def key(self, image: str | os.PathLike[str]) -> str:
        """The image's key: its path relative to `root`, with '/' separators."""
        resolved = Path(image).expanduser().resolve()
        try:
            return resolved.relative_to(self.root).as_posix()
        except ValueError:
            raise ValueError(
                f"image {image} is not inside the store's root folder {self.root}; "
                "pass root= a folder that holds every image"
            ) from None

    def image_path(self, key: str) -> Path:
        """The image file `key` names, under `root` (it may not exist)."""
        return self.root / key

    def json_path(self, key: str) -> Path:
        """Where `key`'s SageMaker value is stored: `<key>.json` in the store (the authority)."""
        return self.path / f"{key}.json"

    def png_path(self, key: str) -> Path:
        """Where `key`'s label PNG is stored beside its JSON: `<key>.png` (for PNG tools)."""
        return self.path / f"{key}.png"

    def stored_keys(self) -> list[str]:
        """Keys of every stored image, sorted. Only the store's own files are not entries:
        the manifest, temporaries and set-asides (dot-files are entries like any other)."""
        return [key for key, _ in self._list(clean=False)]

    def _list(self, *, clean: bool) -> list[tuple[str, bool]]:
        """(key, whether its JSON is a plain regular file, as the listing saw it), sorted."""
        found = []
        self.listing_problems = []
        prefix = len(os.path.join(self.path, ""))
        for entry, folder_link in walk(self.path):
            relative = entry.path[prefix:].replace(os.sep, "/")
            if folder_link:
                target = os.path.realpath(entry.path)
                self.listing_problems.append(StoreProblem(relative, (
                    f"a link to the folder {target}: its entries are not read, and nothing "
                    "is written through it")))  # fmt: skip
            elif clean and remove_stale_temporary(entry):
                continue
            elif (entry.name.endswith(".json") and relative != MANIFEST
                  and not _SET_ASIDE_NAME.search(entry.name)):  # fmt: skip
                found.append((relative[: -len(".json")], entry.is_file(follow_symlinks=False)))
        return sorted(found)

    def _target(self, key: str, suffix: str) -> Path:
        """Where `key`'s file goes, refused (StoreWriteError) before anything is written
        when it would lead outside the store's real folder."""
        parts = re.split(r"[/\\]", key) if os.name == "nt" else key.split("/")
        if key.startswith("/") or any(part in ("", ".", "..") for part in parts):
            raise StoreWriteError(f"{key!r} is not a key (a relative path without '.' or '..')")
        target = self.path / f"{key}{suffix}"
        existing = target.parent
        while not os.path.lexists(existing):
            existing = existing.parent
        real = existing.resolve()
        if real != self.real_path and self.real_path not in real.parents:
            raise StoreWriteError(
                f"{key}: not saved: {existing} leads to {real}, outside the store's folder "
                f"{self.real_path}; nothing is written outside the store"
            )
        return target

    # ------------------------------------------------------------ reading and writing

    def _read_bytes(self, file: str | Path, read: Callable[[str | Path], bytes]) -> bytes | None:
        """`read(file)`, None when there is no such file, StoreError naming any other trouble."""
        try:
            return read(file)
        except FileNotFoundError:
            return None
        except ValueError as err:  # not a regular file, or over its limit
            raise StoreError(f"{file}: refused ({err})") from None
        except OSError as err:
            raise StoreError(f"{file}: cannot be read ({os_reason(err)})") from None

    def read(self, key: str) -> StoredLabel | None:
        """The stored label of `key`, None if there is none; StoreError naming the file if bad."""
        file = self.json_path(key)
        raw = self._read_bytes(file, lambda path: read_regular(path, JSON_LIMIT))
        if raw is None:
            return None
        try:
            data = json.loads(raw)
        except ValueError as err:
            raise StoreError(f"{file}: not valid JSON ({err})") from None
        try:
            meta = data.pop(META, {}) if isinstance(data, dict) else {}
            value = check_value(data)
        except ValueError as err:
            raise StoreError(f"{file}: not a SageMaker value ({err})") from None
        return StoredLabel(key, value, _status(meta, file))

    def read_status(self, key: str, *, listed_regular: bool = False) -> Status | None:
        """`key`'s status from the head of its JSON (the whole file only when the head does
        not hold it: an older or a hand-made JSON); None if there is none. The value itself
        is checked when it is read."""
        # A plain string path: at start-up this runs 100,000 times.
        file = os.path.join(self.path, f"{key}.json")
        head = self._read_bytes(
            file, lambda path: read_head(path, HEAD, listed_regular=listed_regular)
        )
        if head is None:
            return None
        meta = _head_meta(head)
        if meta is None:
            stored = self.read(key)
            return None if stored is None else stored.status
        return _status(meta, file)

    def save(self, key: str, value: Mapping[str, Any], status: Status = "open") -> None:
        """Write the PNG, then the JSON (the authority), each atomically and durably, under
        a lock on their folder. StoreWriteError when nothing could be written.

        The value's PNG bytes are written as they are (never re-encoded); the JSON
        records their SHA-256 (`crowdseg.png_sha256`), so any tool can check the pair.
        """
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; expected one of {STATUSES}")
        checked = check_value(value)
        png = labeled_png(checked)
        meta = {"image": key, "status": status, "png_sha256": _sha256(png)}
        record = {META: meta, **checked}  # first: start-up reads only the head
        png_file, json_file = self._target(key, ".png"), self._target(key, ".json")
        try:
            make_folders(json_file.parent)
            with folder_lock(json_file.parent):
                write_atomic(png_file, png)
                write_atomic(json_file, json.dumps(record).encode())
        except OSError as err:
            raise StoreWriteError(f"{key}: not saved ({os_reason(err)})") from err

    def repair_png(self, stored: StoredLabel) -> bool:
        """Rewrite the PNG beside `stored`'s JSON when it is not the JSON's (a crash between
        the two writes, a writer that did not lock): the JSON wins. True if rewritten."""
        if self._png_matches(stored):
            return False
        try:
            with folder_lock(self.json_path(stored.key).parent):
                current = self.read(stored.key)  # under the lock: no pair half written now
                if current is None or self._png_matches(current):
                    return False
                write_atomic(self._target(stored.key, ".png"), labeled_png(current.value))
        except OSError as err:
            reason = os_reason(err)
            raise StoreWriteError(
                f"{stored.key}: its PNG could not be rewritten ({reason})"
            ) from err
        return True

    def _png_matches(self, stored: StoredLabel) -> bool:
        try:
            return read_regular(self.png_path(stored.key), PNG_LIMIT) == labeled_png(stored.value)
        except (OSError, ValueError):
            return False

    def set_aside(self, key: str) -> list[Path]:
        """Move an entry that no longer fits its image out of the way, as `<name>.bad.json`
        and `.bad.png`, or `.bad-2`, `.bad-3`, ... when those exist: never replaced."""
        files = [f for f in (self.json_path(key), self.png_path(key)) if os.path.lexists(f)]
        for file in files:
            self._target(key, file.suffix)
        folder, name = self.json_path(key).parent, key.rsplit("/", 1)[-1]
        moved: list[Path] = []
        number = 1
        while files:
            mark = SET_ASIDE if number == 1 else f"{SET_ASIDE}-{number}"
            number += 1
            if any(os.path.lexists(folder / f"{name}{mark}{s}") for s in (".json", ".png")):
                continue  # the pair shares one number
            try:
                while files:
                    target = folder / f"{name}{mark}{files[0].suffix}"
                    move_aside(files[0], target)
                    moved.append(target)
                    files.pop(0)
            except FileExistsError:  # another process took this number meanwhile
                continue
        return moved

    def decode(self, stored: StoredLabel) -> Annotation:
        """The stored label decoded, checked against its image. StoreError names what is wrong."""
        key = stored.key
        image = self.image_path(key)
        try:
            size = probe_size(image)
        except FileNotFoundError:
            raise StoreError(f"{key}: the image is gone ({image} does not exist)") from None
        except ValueError as err:
            raise StoreError(f"{key}: the image {err}") from None
        if size != stored.size:
            raise StoreError(
                f"{key}: the image is now {size[0]}x{size[1]} but was labeled at "
                f"{stored.size[0]}x{stored.size[1]}"
            )
        try:
            return Annotation.from_value(stored.value, size)
        except (ValueError, TypeError) as err:
            raise StoreError(
                f"{self.json_path(key)}: the annotation cannot be decoded ({err})"
            ) from None

    def statuses(self) -> tuple[dict[str, Status], list[StoreProblem]]:
        """Every entry's status (without decoding PNGs), and the entries that cannot be read."""
        found: dict[str, Status] = {}
        listed = self._list(clean=False)
        problems = list(self.listing_problems)
        for key, regular in listed:
            try:
                status = self.read_status(key, listed_regular=regular)
            except StoreError as err:
                problems.append(StoreProblem(key, str(err)))
                continue
            if status is not None:
                found[key] = status
        return found, problems


def report(problem: StoreProblem | str, *, strict: bool, stacklevel: int = 3) -> None:
    """A problem is never silent: a StoreWarning naming it, or StoreError when strict."""
    if strict:
        raise StoreError(str(problem))
    warnings.warn(str(problem), StoreWarning, stacklevel=stacklevel)


def labeled(
    store: LabelStore,
    keys: Iterable[str],
    *,
    statuses: Sequence[Status] = ("done",),
    strict: bool = False,
) -> Iterator[tuple[str, Annotation]]:
    """`(key, Annotation)` for each of `keys` whose status is in `statuses`; problems reported.
    A PNG that is not its JSON's is rewritten from the JSON (reported if that fails)."""
    for problem in store.listing_problems:
        report(problem, strict=strict, stacklevel=4)
    for key in keys:
        try:
            stored = store.read(key)
            if stored is None or stored.status not in statuses:
                continue
            annotation = store.decode(stored)
        except StoreError as err:
            report(str(err), strict=strict, stacklevel=4)
            continue
        try:
            store.repair_png(stored)
        except StoreWriteError as err:
            report(f"{err}; the JSON (the authority) is read", strict=False, stacklevel=4)
        yield key, annotation


def load_store(
    path: str | os.PathLike[str],
    *,
    statuses: Sequence[Status] = ("done",),
    strict: bool = False,
) -> Iterator[tuple[Path, Annotation]]:
    """Yield `(image_path, Annotation)` for every stored image whose status is in `statuses`.

    An entry whose JSON is damaged, whose image is gone, unreadable or of
    another size is reported by name: a `StoreWarning` per problem, or a
    `StoreError` at the first one with `strict=True`.
    """
    store = LabelStore(path)
    for key, annotation in labeled(store, store.stored_keys(), statuses=statuses, strict=strict):
        yield store.image_path(key), annotation


def _as_path(value: object, name: str) -> str | os.PathLike[str]:
    """`value` as a path, or a StoreError naming the argument (pathlib's TypeError does not)."""
    if isinstance(value, str | os.PathLike):
        return value
    raise StoreError(f"the store's {name} must be a path (str or os.PathLike), got {value!r:.80}")
