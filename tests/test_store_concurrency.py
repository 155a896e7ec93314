"""Two writers, one image: after every round of simultaneous saves, the PNG beside the
JSON is the JSON's own (the pair is written under a lock on its folder)."""

import hashlib
import json
import multiprocessing
import shutil

import numpy as np

from crowdseg_widget import Annotation, sample_image
from crowdseg_widget.datasets.store import LabelStore
from crowdseg_widget.formats.sagemaker import labeled_png

ROUNDS = 60
KEY = "cat.png"


def value(writer: int, round_: int) -> dict:
    """A different annotation per writer and round, large enough that writes take a while."""
    label_map = np.zeros((300, 451), np.uint8)
    rng = np.random.default_rng(writer * 1000 + round_)
    label_map[rng.random((300, 451)) < 0.3] = 1 + writer
    return Annotation(label_map, ["A", "B"]).to_value()


def writer(path: str, number: int, barrier) -> None:
    store = LabelStore(path)
    values = [value(number, r) for r in range(ROUNDS)]
    for round_ in range(ROUNDS):
        barrier.wait(timeout=60)  # both start together
        store.save(KEY, values[round_], "open")
        barrier.wait(timeout=60)  # the parent checks now


def test_two_processes_saving_one_image_never_leave_a_pair_that_disagrees(tmp_path):
    (tmp_path / "images").mkdir()
    shutil.copy(sample_image("cat"), tmp_path / "images" / KEY)
    store = LabelStore(tmp_path / "labels", root=tmp_path / "images")
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(3)
    writers = [context.Process(target=writer, args=(str(store.path), n, barrier)) for n in (0, 1)]
    for process in writers:
        process.start()
    disagreeing, winners = [], set()
    try:
        for round_ in range(ROUNDS):
            barrier.wait(timeout=60)
            barrier.wait(timeout=60)
            record = json.loads(store.json_path(KEY).read_bytes())
            png = store.png_path(KEY).read_bytes()
            digest = record["crowdseg"].get("png_sha256")
            if png != labeled_png(record) or digest != hashlib.sha256(png).hexdigest():
                disagreeing.append(round_)
            winners.add(record["labeledImage"]["pngImageData"])
    except BaseException:
        barrier.abort()  # the writers stop waiting at once
        raise
    finally:
        for process in writers:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
    assert [p.exitcode for p in writers] == [0, 0]
    assert disagreeing == []
    assert len(winners) > 1  # the rounds did change the entry
