"""Masks on the wire to the view: each candidate cropped to its bounding box, bits packed.

One candidate travels as metadata `{x0, y0, width, height, score}` plus one
binary buffer: the crop's `height * width` pixels in row-major order, one bit
each, 8 to a byte, the first pixel in the lowest bit (`numpy.packbits(...,
bitorder="little")`; pixel i is `(buffer[i >> 3] >> (i & 7)) & 1`; the last
byte is zero-padded). An empty mask has width = height = 0 and an empty
buffer. Never Base64, never the whole image.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .runner import AssistResult, Candidate


def bounding_box(mask: np.ndarray) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) of the True pixels, x1/y1 exclusive; (0, 0, 0, 0) when none."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return (0, 0, 0, 0)
    y0, y1 = int(rows[0]), int(rows[-1]) + 1
    cols = np.flatnonzero(mask[y0:y1].any(axis=0))
    return (int(cols[0]), y0, int(cols[-1]) + 1, y1)


def encode_candidate(mask: np.ndarray, score: float) -> tuple[dict[str, Any], bytes]:
    """One candidate's metadata and packed-bit buffer (see the module docstring)."""
    x0, y0, x1, y1 = bounding_box(mask)
    crop = mask[y0:y1, x0:x1]
    meta = {"x0": x0, "y0": y0, "width": x1 - x0, "height": y1 - y0, "score": float(score)}
    return meta, np.packbits(crop, bitorder="little").tobytes()


def decode_candidate(
    meta: dict[str, Any], buffer: bytes | memoryview, width: int, height: int
) -> Candidate:
    """The inverse of `encode_candidate`: a full (height, width) bool mask and its score."""
    x0, y0, w, h = (int(meta[k]) for k in ("x0", "y0", "width", "height"))
    if x0 < 0 or y0 < 0 or x0 + w > width or y0 + h > height:
        raise ValueError(f"candidate crop {meta} does not fit a {width}x{height} image")
    data = np.frombuffer(buffer, np.uint8)
    if data.size != (w * h + 7) // 8:
        raise ValueError(
            f"candidate buffer has {data.size} bytes, {w}x{h} needs {(w * h + 7) // 8}"
        )
    mask = np.zeros((height, width), bool)
    bits = np.unpackbits(data, count=w * h, bitorder="little").astype(bool)
    mask[y0 : y0 + h, x0 : x0 + w] = bits.reshape(h, w)
    return mask, float(meta["score"])


def encode_result(result: AssistResult) -> tuple[dict[str, Any], list[bytes]]:
    """A checked result as a message body and its buffers, one per candidate, in order:
    `({"seconds": s, "candidates": [meta, ...]}, [buffer, ...])`."""
    metas, buffers = [], []
    for mask, score in result.candidates:
        meta, buffer = encode_candidate(mask, score)
        metas.append(meta)
        buffers.append(buffer)
    return {"seconds": result.seconds, "candidates": metas}, buffers


def decode_result(
    body: dict[str, Any], buffers: Sequence[bytes | memoryview], width: int, height: int
) -> AssistResult:
    """The inverse of `encode_result` (what the view reconstructs), for tests and tools."""
    metas = body["candidates"]
    if len(metas) != len(buffers):
        raise ValueError(f"{len(metas)} candidates but {len(buffers)} buffers")
    candidates = [
        decode_candidate(meta, buffer, width, height)
        for meta, buffer in zip(metas, buffers, strict=True)
    ]
    return AssistResult(candidates, float(body["seconds"]))
