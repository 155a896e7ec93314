"""A fake Ground Truth bucket on disk, written the way Ground Truth writes it.

PNGs are in the real encoder's form (UPNG, as the element submits them):
palette in order of first appearance, index 0 transparent black, bit depth
1, 2 or 4 as the palette allows, a full-length tRNS, sRGB intent 1. The
workers' answers, the output manifests of a job without Lambdas and one with
our consolidation Lambda, and real-style Lambda events are built from three
workers who disagree in known ways (see `scene()`).
"""

from __future__ import annotations

import base64
import io
import json
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from crowdseg_widget import GROUND_TRUTH_COLORS, Annotation

BUCKET = "s3://crowdseg-demo/"
JOB = "crowdseg-demo-job"
WIDTH, HEIGHT = 64, 48
IMAGES = ["img-0001.png", "img-0002.png"]


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload))
    )


def ground_truth_png(
    label_map: np.ndarray, colors: list[str], *, force_bits: int | None = None
) -> bytes:
    """The label map as the element's encoder writes it (see the module doc)."""
    flat = label_map.ravel()
    ids, first = np.unique(flat, return_index=True)
    order = [int(i) for _, i in sorted(zip(first.tolist(), ids.tolist(), strict=True)) if i != 0]
    palette = [(0, 0, 0)] + [
        tuple(int(colors[i - 1][k : k + 2], 16) for k in (1, 3, 5)) for i in order
    ]
    lut = np.zeros(len(colors) + 1, np.uint8)
    for position, i in enumerate(order, 1):
        lut[i] = position
    indices = lut[label_map]
    bits = force_bits or next(b for b in (1, 2, 4, 8) if len(palette) <= 1 << b)
    per_byte = 8 // bits
    height, width = indices.shape
    padded = np.zeros((height, -(-width // per_byte) * per_byte), np.uint8)
    padded[:, :width] = indices
    groups = padded.reshape(height, -1, per_byte).astype(np.uint16)
    shifts = (np.arange(per_byte - 1, -1, -1) * bits).astype(np.uint16)
    rows = np.bitwise_or.reduce(groups << shifts, axis=2).astype(np.uint8)
    raw = np.concatenate([np.zeros((height, 1), np.uint8), rows], axis=1).tobytes()
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bits, 3, 0, 0, 0)),
            _chunk(b"sRGB", b"\x01"),
            _chunk(b"PLTE", bytes(c for rgb in palette for c in rgb)),
            _chunk(b"tRNS", bytes([0] + [255] * (len(palette) - 1))),
            _chunk(b"IDAT", zlib.compress(raw)),
            _chunk(b"IEND", b""),
        ]
    )


def png_bit_depth(png: bytes) -> int:
    return png[24]


def element_value(annotation: Annotation, *, force_bits: int | None = None) -> dict[str, Any]:
    """What `<crowd-instance-segmentation>` submits for `annotation`."""
    png = ground_truth_png(
        np.asarray(annotation.label_map), annotation.colors, force_bits=force_bits
    )
    return {
        "inputImageProperties": {"height": annotation.height, "width": annotation.width},
        "instances": annotation.instances,
        "labeledImage": {"pngImageData": base64.b64encode(png).decode("ascii")},
    }


def box(top: int, left: int, bottom: int, right: int) -> np.ndarray:
    mask = np.zeros((HEIGHT, WIDTH), bool)
    mask[top:bottom, left:right] = True
    return mask


def worker_annotation(masks: list[tuple[np.ndarray, str]]) -> Annotation:
    """A worker's answer: instances in drawing order, colors in Ground Truth's order."""
    if not masks:
        return Annotation.empty(WIDTH, HEIGHT)
    stack = np.stack([m for m, _ in masks])
    return Annotation.from_masks(
        stack, [label for _, label in masks], list(GROUND_TRUTH_COLORS[: len(masks)])
    )


@dataclass(frozen=True)
class Scene:
    """Three workers on one image, disagreeing in known ways."""

    workers: list[Annotation]
    worker_ids: list[str]
    cat: list[np.ndarray]  # each worker's mask of the big cat (None where not drawn)
    expected: Annotation  # the consolidation, worked out by hand


def scene() -> Scene:
    cat = [box(5, 5, 20, 25), box(6, 5, 21, 25), box(5, 6, 20, 24)]
    dog = box(25, 30, 40, 60)
    kitten = box(4, 40, 12, 50)
    mouse = box(42, 2, 47, 12)
    workers = [
        worker_annotation([(cat[0], "Cat"), (dog, "Dog"), (kitten, "Cat")]),
        worker_annotation(
            [(dog, "Dog"), (cat[1], "Cat"), (kitten, "Dog")]
        ),  # Dog first: colors swap
        worker_annotation([(cat[2], "Cat"), (dog, "Dog"), (mouse, "Mouse")]),  # no kitten, a mouse
    ]
    votes = cat[0].astype(int) + cat[1] + cat[2]
    cat_mask = votes >= 2
    # by first pixel: kitten (row 4) before cat (row 5) before dog (row 25)
    expected = Annotation.from_masks(
        np.stack([kitten, cat_mask, dog]), ["Cat", "Cat", "Dog"], list(GROUND_TRUTH_COLORS[:3])
    )
    return Scene(
        workers, ["166160a28ba80787", "a12b3cdefg4h5i67", "0b1c2d3e4f5a6b7c"], cat, expected
    )


def answer(
    worker_id: str,
    annotation: Annotation,
    *,
    name: str = "crowdseg",
    extra: dict[str, Any] | None = None,
    force_bits: int | None = None,
) -> dict[str, Any]:
    """One entry of a worker-response file's `answers`."""
    return {
        "acceptanceTime": "2026-11-30T14:20:01.191Z",
        "answerContent": {name: element_value(annotation, force_bits=force_bits), **(extra or {})},
        "submissionTime": "2026-11-30T14:22:41.321Z",
        "timeSpentInSeconds": 160.13,
        "workerId": worker_id,
        "workerMetadata": {
            "identityData": {
                "identityProviderType": "Cognito",
                "issuer": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI",
                "sub": "aaaaaaaa-0000",
            }
        },
    }


def photo(seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 255, (HEIGHT, WIDTH, 3), np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def write(root: Path, uri: str, data: bytes | str) -> str:
    path = root / uri[len(BUCKET) :]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return uri


def lines(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def metadata(**more: Any) -> dict[str, Any]:
    return {
        "type": "groundtruth/custom",
        "job-name": JOB,
        "human-annotated": "yes",
        "creation-date": "2026-11-30T14:25:03.118000",
        **more,
    }


def build_bucket(root: Path) -> dict[str, Any]:
    """The whole fake bucket; returns the URIs and the scene the tests compare with."""
    s = scene()
    for i, name in enumerate(IMAGES):
        write(root, f"{BUCKET}images/{name}", photo(i))
    # worker responses (no-Lambda job): object 0 has the three workers, object 1 one empty answer
    responses = []
    for object_id, answers in enumerate(
        [
            [answer(w, a, force_bits=None) for w, a in zip(s.worker_ids, s.workers, strict=True)],
            [answer(s.worker_ids[0], Annotation.empty(WIDTH, HEIGHT))],
        ]
    ):
        folder = f"{BUCKET}{JOB}/annotations/worker-response/iteration-1/{object_id}"
        uri = f"{folder}/2026-11-30_14:22:41.json"
        responses.append(write(root, uri, json.dumps({"answers": answers})))
    no_lambda = [
        {
            "source-ref": f"{BUCKET}images/{IMAGES[0]}",
            "crowdseg-key": IMAGES[0],
            "crowdseg": {},
            "crowdseg-metadata": metadata(**{"worker-response-ref": responses[0]}),
        },
        {
            "source-ref": f"{BUCKET}images/{IMAGES[1]}",
            "crowdseg-key": IMAGES[1],
            "crowdseg": {},
            "crowdseg-metadata": metadata(**{"worker-response-ref": responses[1]}),
        },
    ]
    manifest = write(root, f"{BUCKET}{JOB}/manifests/output/output.manifest", lines(no_lambda))
    # the consolidation request of the job with our Lambda: one payload file, both objects
    payload = [
        {
            "datasetObjectId": "0",
            "dataObject": {"s3Uri": f"{BUCKET}images/{IMAGES[0]}"},
            "annotations": [
                {
                    "workerId": f"private.us-east-1.{w}",
                    "annotationData": {
                        "content": json.dumps(
                            {"crowdseg": element_value(a)}, sort_keys=True, separators=(",", ":")
                        )
                    },
                }
                for w, a in zip(s.worker_ids, s.workers, strict=True)
            ],
        },
        {
            "datasetObjectId": "1",
            "dataObject": {"s3Uri": f"{BUCKET}images/{IMAGES[1]}"},
            "annotations": [
                {
                    "workerId": f"private.us-east-1.{s.worker_ids[0]}",
                    "annotationData": {
                        "s3Uri": responses[1].replace("worker-response", "answer-copy")
                    },
                }
            ],
        },
    ]
    write(
        root,
        responses[1].replace("worker-response", "answer-copy"),
        json.dumps({"crowdseg": element_value(Annotation.empty(WIDTH, HEIGHT))}),
    )
    payload_uri = write(
        root,
        f"{BUCKET}{JOB}/annotations/consolidated-annotation/consolidation-request/iteration-1/"
        "2026-11-30_14:25:00.json",
        json.dumps(payload),
    )
    event = {
        "version": "2018-10-06",
        "labelingJobArn": f"arn:aws:sagemaker:us-east-1:111122223333:labeling-job/{JOB}",
        "payload": {"s3Uri": payload_uri},
        "labelAttributeName": "crowdseg",
        "roleArn": "arn:aws:iam::111122223333:role/GroundTruthExecution",
        "outputConfig": f"{BUCKET}{JOB}/annotations",
        "maxHumanWorkersPerDataObject": 3,
    }
    return {
        "scene": s,
        "manifest": manifest,
        "responses": responses,
        "payload": payload,
        "payload_uri": payload_uri,
        "event": event,
    }
