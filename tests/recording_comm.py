"""A stand-in for the kernel's comm that records Python's state updates, in the order
ipywidgets sends them (for tests of what goes to the view, and when)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass
class RecordedUpdate:
    """One `update` message: its JSON state, and its binary values apart, by path."""

    state: dict[str, Any]
    buffer_paths: list[list[Any]]
    buffers: list[bytes]

    @property
    def names(self) -> list[str]:
        """The traits it sets, binary ones included (they are not in `state`)."""
        return sorted(set(self.state) | {path[0] for path in self.buffer_paths})

    def merged(self) -> dict[str, Any]:
        """The state with each buffer back where it was, as the front end puts it."""
        state: dict[str, Any] = json.loads(json.dumps(self.state))
        for path, buffer in zip(self.buffer_paths, self.buffers, strict=True):
            target = state
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = buffer
        return state


class RecordingComm:
    kernel = object()
    comm_id = "recording"

    def __init__(self) -> None:
        self.updates: list[RecordedUpdate] = []

    def send(self, data: dict[str, Any], buffers: Any = None) -> None:
        if data.get("method") == "update":
            self.updates.append(RecordedUpdate(
                data["state"], list(data.get("buffer_paths", [])), [bytes(b) for b in buffers or []]
            ))  # fmt: skip

    def on_msg(self, callback: Any) -> None:
        pass

    def close(self, *args: Any, **kwargs: Any) -> None:
        pass
