"""Navigation is linear: a step costs the same work in a session ten times larger.

No wall clock: the work is counted, as Python bytecode executed (every frame, the
widget's and traitlets' included) and as element visits of the session's lists and of
its status map through spies (C-level scans like `x in list` count there).
"""

import os
import sys
from collections import Counter

import numpy as np
import pytest
from PIL import Image

from crowdseg_widget import Annotation
from crowdseg_widget.datasets.labeler import ImageLabeler, label_images

SMALL, LARGE = 300, 3000


class CountingList(list):
    """A list that counts the elements any scan of it visits."""

    visits = 0

    def __iter__(self):
        for item in super().__iter__():
            CountingList.visits += 1
            yield item

    def __contains__(self, item):
        CountingList.visits += len(self)
        return super().__contains__(item)

    def __getitem__(self, index):
        CountingList.visits += len(range(len(self))[index]) if isinstance(index, slice) else 1
        return super().__getitem__(index)

    def index(self, *args):
        CountingList.visits += len(self)
        return super().index(*args)

    def count(self, item):
        CountingList.visits += len(self)
        return super().count(item)


class CountingDict(dict):
    """A dict that counts the entries any scan of it visits."""


def _scan_counted(method):
    def counted(self):
        CountingList.visits += len(self)
        return method(self)

    return counted


for _scan in ("__iter__", "keys", "values", "items"):
    setattr(CountingDict, _scan, _scan_counted(getattr(dict, _scan)))


def session(tmp_path, count: int) -> ImageLabeler:
    folder = tmp_path / f"photos{count}"
    folder.mkdir()
    Image.fromarray(np.full((8, 8, 3), 90, np.uint8)).save(tmp_path / "base.png")
    for i in range(count):
        os.link(tmp_path / "base.png", folder / f"{i:05d}.png")
    return label_images(folder, ["Thing"], store=tmp_path / f"labels{count}")


def work(action) -> tuple[int, int]:
    """(bytecode instructions executed, list/dict elements visited) while `action` runs."""
    executed = 0

    def trace(frame, event, arg):
        nonlocal executed
        frame.f_trace_opcodes = True
        if event == "opcode":
            executed += 1
        return trace

    CountingList.visits = 0
    sys.settrace(trace)
    try:
        action()
    finally:
        sys.settrace(None)
    return executed, CountingList.visits


def steps(w: ImageLabeler) -> None:
    """A Next, a Previous, a far goto, a Skip, and a painted image left (written and counted)."""
    middle = len(w.images) // 2
    w.next()
    w.previous()
    w.goto(middle + 7)
    w.skip()
    label_map = np.zeros((8, 8), np.uint8)
    label_map[2:4, 2:4] = 1
    w.set_state({"value": Annotation(label_map, ["Thing"]).to_value()})
    w.goto(middle)


@pytest.fixture(scope="module")
def sessions(tmp_path_factory):
    found = {}
    for count in (SMALL, LARGE):
        w = session(tmp_path_factory.mktemp(f"s{count}"), count)
        w.image_keys = CountingList(w.image_keys)
        w.images = CountingList(w.images)
        w._statuses = CountingDict(w._statuses)
        w._shown_keys = CountingDict(w._shown_keys)
        w.goto(count // 2)
        steps(w)  # warm: first calls fill caches
        found[count] = w
    return found


def test_a_step_does_the_same_work_in_a_session_ten_times_larger(sessions):
    small = work(lambda: steps(sessions[SMALL]))
    large = work(lambda: steps(sessions[LARGE]))
    assert large[1] == small[1]  # not one more element visited
    assert large[0] <= small[0] * 1.05  # bytecode: the same, give or take a cache


def test_counts_are_kept_not_recounted(sessions):
    w = sessions[LARGE]
    executed, visited = work(w.counts)
    assert visited == 0 and executed < 50
    recount = Counter(w.status(i) for i in range(LARGE))
    assert recount["done"] >= 1 and recount["skipped"] >= 1
    assert w.counts() == {"done": recount["done"], "skipped": recount["skipped"],
                          "open": recount["open"], "unlabeled": recount[None]}  # fmt: skip


def test_start_up_is_linear(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    small = work(lambda: session(tmp_path / "a", SMALL))
    large = work(lambda: session(tmp_path / "b", LARGE))
    # Ten times the images: at most ten times the work (a fixed part makes it less).
    assert large[0] <= 10 * small[0]
