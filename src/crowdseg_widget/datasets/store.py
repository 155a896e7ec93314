"""The on-disk label store: one SageMaker value (JSON) and its PNG per image.

Layout (docs/datasets.md)::

    labels/
      crowdseg-store.json    # {"format": "crowdseg-store", "version": 1, "root", "labels"}
      street/0001.jpg.json   # the SageMaker value + {"crowdseg": {"image": ..., "status": ...}}
      street/0001.jpg.png    # the same PNG as the value's pngImageData, for any PNG reader

An image's key is its path relative to the store's root folder (POSIX
separators), so two `0001.jpg` in different folders stay apart. The JSON is
the authority; the PNG is written first, so after a crash between the two it
may be one save ahead of the JSON, and the next save rewrites both. Every
file is written atomically (a temporary file in the same folder, fsync,
rename): a crash leaves the previous file or the new one, never a torn one.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..annotation import Annotation
from ..formats.sagemaker import check_value, declared_size, labeled_png
from ..image_source import image_size

MANIFEST = "crowdseg-store.json"
FORMAT = "crowdseg-store"
VERSION = 1
#: The store's own key inside each image's JSON, beside the SageMaker value's keys.
META = "crowdseg"
#: Entries moved aside because they no longer fit their image end in this (never deleted).
SET_ASIDE = ".bad"

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


@dataclass(frozen=True)
class StoredLabel:
    key: str
    value: dict[str, Any]  # the SageMaker value (without the store's own key)
    status: Status

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) as the value declares it."""
        return declared_size(self.value["inputImageProperties"])


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old file or the new one, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(temporary, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


class LabelStore:
    """A folder of labels for the images under `root` (see the module doc)."""

    def __init__(
        self, path: str | os.PathLike[str], root: str | os.PathLike[str] | None = None
    ) -> None:
        self.path = Path(path).expanduser()
        manifest = self._read_manifest()
        if manifest is None:
            if root is None:
                raise StoreError(
                    f"{self.path} is not a label store (no {MANIFEST}); label_images() creates one"
                )
            self.root = Path(root).expanduser().resolve()
            self.labels: list[str] = []
            self._write_manifest()
            return
        self.root = Path(manifest["root"])
        self.labels = list(manifest.get("labels", []))
        if root is not None and Path(root).expanduser().resolve() != self.root:
            moved = Path(root).expanduser().resolve()
            if self.stored_keys():
                report(
                    f"{self.path}: labels were stored for images under {self.root}; they are "
                    f"now looked up under {moved} (keys are paths relative to that folder)",
                    strict=False,
                )
            self.root = moved
            self._write_manifest()

    def _read_manifest(self) -> dict[str, Any] | None:
        file = self.path / MANIFEST
        if not file.exists():
            return None
        try:
            manifest = json.loads(file.read_text("utf-8"))
        except (OSError, ValueError) as err:
            raise StoreError(f"{file}: the store's manifest cannot be read ({err})") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise StoreError(f"{file}: not a crowdseg label store manifest")
        if manifest.get("version") != VERSION:
            raise StoreError(
                f"{file}: store version {manifest.get('version')!r}; this version reads {VERSION}"
            )
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
        return self.root / key

    def json_path(self, key: str) -> Path:
        return self.path / f"{key}.json"

    def png_path(self, key: str) -> Path:
        return self.path / f"{key}.png"

    def stored_keys(self) -> list[str]:
        """Keys of every stored image, sorted (temporary and set-aside files are not entries)."""
        found = []
        for file in self.path.rglob("*.json"):
            relative = file.relative_to(self.path).as_posix()
            if relative == MANIFEST or file.name.startswith(".") or relative.endswith(
                f"{SET_ASIDE}.json"
            ):
                continue
            found.append(relative[: -len(".json")])
        return sorted(found)

    # ------------------------------------------------------------ reading and writing

    def read(self, key: str) -> StoredLabel | None:
        """The stored label of `key`, None if there is none; StoreError naming the file if bad."""
        file = self.json_path(key)
        try:
            data = json.loads(file.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as err:
            raise StoreError(f"{file}: not valid JSON ({err})") from None
        try:
            meta = data.pop(META, {}) if isinstance(data, dict) else {}
            value = check_value(data)
        except ValueError as err:
            raise StoreError(f"{file}: not a SageMaker value ({err})") from None
        status = meta.get("status", "open") if isinstance(meta, dict) else "open"
        if status not in STATUSES:
            raise StoreError(f"{file}: unknown status {status!r}; expected one of {STATUSES}")
        return StoredLabel(key, value, status)

    def save(self, key: str, value: Mapping[str, Any], status: Status = "open") -> None:
        """Write the PNG, then the JSON (the authority), each atomically.

        The value's PNG bytes are written as they are (never re-encoded).
        """
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; expected one of {STATUSES}")
        record = check_value(value)
        record[META] = {"image": key, "status": status}
        write_atomic(self.png_path(key), labeled_png(record))
        write_atomic(self.json_path(key), json.dumps(record).encode())

    def set_aside(self, key: str) -> list[Path]:
        """Move an entry that no longer fits its image out of the way (kept, never deleted)."""
        moved = []
        for file in (self.json_path(key), self.png_path(key)):
            if file.exists():
                target = file.with_name(f"{key.rsplit('/', 1)[-1]}{SET_ASIDE}{file.suffix}")
                os.replace(file, target)
                moved.append(target)
        return moved

    def decode(self, stored: StoredLabel) -> Annotation:
        """The stored label decoded, checked against its image. StoreError names what is wrong."""
        key = stored.key
        image = self.image_path(key)
        try:
            size = image_size(image)
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
        problems = []
        for key in self.stored_keys():
            try:
                stored = self.read(key)
            except StoreError as err:
                problems.append(StoreProblem(key, str(err)))
                continue
            if stored is not None:
                found[key] = stored.status
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
    """`(key, Annotation)` for each of `keys` whose status is in `statuses`; problems reported."""
    for key in keys:
        try:
            stored = store.read(key)
            if stored is None or stored.status not in statuses:
                continue
            annotation = store.decode(stored)
        except StoreError as err:
            report(str(err), strict=strict, stacklevel=4)
            continue
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
