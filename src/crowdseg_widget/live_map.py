"""`LiveLabelMap`: the kernel's label map kept current from a view's patches.

At each committed action the view sends `_patches` at once: the action's
changed pixels as runs of equal ids (binary buffers), ahead of the PNG value,
which follows from its encoder. Applying them keeps `label_map`, `masks` and
`annotation` current within about one websocket message. The runs are
absolute (the ids after the action), so a patch applies only on the map it
was made from: the same `origin` (Python's value the view loaded last), the
same view, and the action right after the one the map holds. Anything else
(another view's patch, a gap) waits for the value, which is always complete.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .annotation import Annotation, check_instances, id_dtype

#: What a view's runs may be, as they arrive (ipywidgets: memoryview; the test harness: bytes).
_BUFFERS = (bytes, bytearray, memoryview)


_Runs = tuple[np.ndarray, np.ndarray, np.ndarray]  # starts, lengths, ids


@dataclass(frozen=True)
class _Change:
    """One undo step's change: `runs` set ids; `remove` deletes an instance; `restore`
    puts one back at `runs` (the view's `LabelChange`, js/core/runs.ts)."""

    runs: _Runs
    remove: int = 0
    restore: int = 0


@dataclass(frozen=True)
class _Entry:
    seq: int
    labels: list[str]
    colors: list[str]
    changes: list[_Change]


def _array(buffer: object, dtype: str, what: str) -> np.ndarray:
    if not isinstance(buffer, _BUFFERS):
        raise ValueError(f"{what} must be a binary buffer, got {type(buffer).__name__}")
    raw = memoryview(buffer).cast("B")
    if len(raw) % np.dtype(dtype).itemsize:
        raise ValueError(f"{what} is {len(raw)} bytes, not a whole number of {dtype} items")
    return np.frombuffer(raw, dtype)


def _runs(raw: Mapping[str, Any], size: int, count: int) -> _Runs:
    """Runs inside the image (`size` pixels), setting ids of the `count` instances."""
    starts = _array(raw.get("starts"), "<u4", "starts")
    lengths = _array(raw.get("lengths"), "<u4", "lengths")
    ids = _array(raw.get("ids"), "<u2", "ids")
    if not len(starts) == len(lengths) == len(ids):
        counts = f"{len(starts)} starts, {len(lengths)} lengths, {len(ids)} ids"
        raise ValueError(f"a patch's runs do not match: {counts}")
    if len(starts) and int((starts.astype(np.int64) + lengths).max()) > size:
        raise ValueError("a patch's runs reach past the image")
    if len(ids) and int(ids.max()) > count:
        raise ValueError(f"a patch sets id {int(ids.max())} but has {count} instances")
    return starts, lengths, ids


def _instance_id(value: object, count: int, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= count:
        raise ValueError(f"a patch's {what} must be an instance id 1..{count}, got {value!r}")
    return value


def _change(raw: object, size: int, count: int) -> _Change:
    """One change, checked against the instances before it (`count`)."""
    if not isinstance(raw, Mapping):
        raise ValueError("a patch's change must be a mapping")
    if "remove" in raw:
        return _Change(_NO_RUNS, remove=_instance_id(raw["remove"], count, "remove"))
    if "restore" in raw:
        at = raw.get("at")
        if not isinstance(at, Mapping):
            raise ValueError("a patch's restore needs its pixels (at)")
        restore = _instance_id(raw["restore"], count + 1, "restore")
        return _Change(_runs(at, size, count + 1), restore=restore)
    return _Change(_runs(raw, size, count))


_NO_RUNS: _Runs = (np.zeros(0, "<u4"), np.zeros(0, "<u4"), np.zeros(0, "<u2"))


def _entry(raw: Mapping[str, Any], size: int, count: int) -> _Entry:
    """One action of the view's `_patches`, checked: runs inside the image, ids of its
    instances (`count` before the action, the entry's own after it)."""
    seq = raw.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool):
        raise ValueError(f"a patch needs an integer seq, got {seq!r}")
    instances = raw.get("instances")
    if not isinstance(instances, list) or not all(isinstance(i, Mapping) for i in instances):
        raise ValueError("a patch needs its instances as a list of {label, color}")
    labels = [str(i.get("label", "")) for i in instances]
    labels, colors = check_instances(labels, [str(i.get("color", "")).lower() for i in instances])
    changes = raw.get("changes")
    if not isinstance(changes, list):
        raise ValueError("a patch needs its changes as a list")
    # Ids may name instances added in the action: check against the larger count.
    most = max(count, len(labels))
    return _Entry(seq, labels, colors, [_change(c, size, most) for c in changes])


def _apply_runs(flat: np.ndarray, runs: _Runs) -> None:
    """Write each run in order (later runs win): one slice fill per run."""
    starts, lengths, ids = runs
    if len(starts) > 64 and len(starts) * 64 > int(lengths.sum()):
        # Many short runs (noise-like edits): index them all at once.
        count = lengths.astype(np.intp)
        first = np.repeat(starts.astype(np.intp) - np.cumsum(count) + count, count)
        flat[first + np.arange(first.size)] = np.repeat(ids, count)
        return
    for start, length, value in zip(starts.tolist(), lengths.tolist(), ids.tolist(), strict=True):
        flat[start : start + length] = value


def _apply_change(flat: np.ndarray, change: _Change) -> None:
    if change.remove:
        gone = flat == change.remove
        flat[flat > change.remove] -= 1
        flat[gone] = 0
    elif change.restore:
        flat[flat >= change.restore] += 1
    _apply_runs(flat, change.runs)


class LiveLabelMap:
    """The label map as of the view's last action that reached the kernel.

    `origin` counts the values Python set itself; `view`/`seq` name the view
    and its action the map holds (view None: Python's own value, no action
    yet). The map is kept only while it is known to hold the `value` trait's
    pixels or newer ones (`ahead`); otherwise it is None and the value is read.
    """

    def __init__(self) -> None:
        self.origin = 0
        self.view: str | None = None
        self.seq = 0
        self.ahead = False
        #: (origin, view, seq) of the `value` trait; None: a value of unknown source.
        self._value_at: tuple[int, str | None, int] | None = (0, None, 0)
        self._flat: np.ndarray | None = None  # uint16 ids, row-major
        self._shape = (0, 0)
        self._labels: list[str] = []
        self._colors: list[str] = []
        self._built: Annotation | None = None  # the annotation of the map, once asked for

    def python_value(self, origin: int, annotation: Annotation | None) -> None:
        """Python set `value` itself (number `origin`); the map is that annotation (None:
        the value's, decoded when a patch needs it)."""
        self.origin = origin
        self.view, self.seq, self.ahead = None, 0, False
        self._value_at = (self.origin, None, 0)
        self._drop(annotation)

    def view_value(self, source: object) -> None:
        """A view's `value` arrived, holding its actions up to `source["seq"]` (`_value_patch`)."""
        view = source.get("view") if isinstance(source, Mapping) else None
        origin = source.get("origin") if isinstance(source, Mapping) else None
        seq = source.get("seq") if isinstance(source, Mapping) else None
        if not isinstance(view, str) or not isinstance(origin, int) or not isinstance(seq, int):
            self._value_at = None  # unknown: no patch applies until a value says where it is
            self.origin, self.view, self.seq, self.ahead = -1, None, 0, False
            return self._drop(None)
        self._value_at = (origin, view, seq)
        if (view, origin) == (self.view, self.origin) and seq <= self.seq:
            self.ahead = seq < self.seq  # the map already holds it (and maybe more): no decode
            return
        self.origin, self.view, self.seq, self.ahead = origin, view, seq, False
        self._drop(None)

    def apply(self, message: object, base: Callable[[], Annotation]) -> bool:
        """A view's `_patches`: apply the entries that follow the map; True if it changed.

        `base()` is the `value` trait's annotation, decoded only when the map
        must start from it. Raises ValueError naming what is wrong with a patch.
        """
        if not isinstance(message, Mapping) or not isinstance(message.get("entries"), list):
            raise ValueError("_patches must be {view, origin, entries: [...]}")
        view, origin = message.get("view"), message.get("origin")
        if origin != self.origin or not isinstance(view, str):
            return False
        if self.view is not None and view != self.view:
            return False  # another view's numbering: its value brings its pixels
        changed = False
        for raw in message["entries"]:
            if not isinstance(raw, Mapping):
                raise ValueError("a patch entry must be a mapping")
            seq = raw.get("seq")
            if not isinstance(seq, int) or seq <= self.seq:
                continue  # already in the map
            if seq != self.seq + 1 or not self._ready(base):
                break  # not the next action, or no map to apply it to: the value brings it
            entry = _entry(raw, int(np.prod(self._shape)), len(self._labels))
            assert self._flat is not None
            for change in entry.changes:  # all checked by `_entry`: none fails half-way
                _apply_change(self._flat, change)
            self.view, self.seq = view, seq
            self._labels, self._colors, self._built = entry.labels, entry.colors, None
            self.ahead = changed = True
        return changed

    def _ready(self, base: Callable[[], Annotation]) -> bool:
        """Make the map from the value if there is none; False if the value is elsewhere."""
        if self._flat is not None:
            return True
        if self._built is None:
            if self._value_at != (self.origin, self.view, self.seq):
                return False
            self._built = base()
        self._flat = self._built.label_map.astype(np.uint16).ravel()
        self._shape = self._built.label_map.shape
        self._labels, self._colors = self._built.labels, self._built.colors
        return True

    @property
    def current(self) -> bool:
        """The map holds the value's pixels or newer ones (`ahead`): read the annotation here."""
        return self._flat is not None or self._built is not None

    def annotation(self) -> Annotation:
        """The map as an `Annotation` (a copy, built once per state)."""
        if self._built is None:
            assert self._flat is not None
            ids = self._flat.reshape(self._shape)
            # One copy in the annotation's dtype; ids and instances were checked per patch.
            dtype = id_dtype(len(self._labels))
            self._built = Annotation._trusted(ids.astype(dtype), self._labels, self._colors)
        return self._built

    def _drop(self, annotation: Annotation | None) -> None:
        """The map is `annotation` (None: the value's, decoded when a patch needs it)."""
        self._flat = None
        self._built = annotation
