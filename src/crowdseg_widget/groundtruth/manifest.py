"""JSON Lines manifests: reading lines, and the input manifest's limits.

Ground Truth's input manifest: UTF-8 JSON Lines (``\\n`` or ``\\r\\n``), one
object a line with `source-ref` (an S3 object) or `source` (inline text), a
line at most 100,000 characters, an attribute at most 20,000, no key that
begins with `$`. Output manifests are read without these limits: real ones
exceed them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import GroundTruthError

MAX_LINE_CHARS = 100_000
MAX_ATTRIBUTE_CHARS = 20_000

Lines = bytes | str | os.PathLike[str] | Iterable[str]


def dump_line(record: dict[str, Any]) -> str:
    """One manifest line: compact JSON, non-ASCII kept (limits count characters)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _text_lines(source: Lines) -> list[str]:
    if isinstance(source, os.PathLike):
        source = Path(source).read_bytes()
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise GroundTruthError(f"the manifest is not UTF-8 ({err})") from None
    if isinstance(source, str):
        return source.splitlines()
    return [line.rstrip("\r\n") for line in source]


def manifest_records(source: Lines) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number from 1, object) for every non-blank line; GroundTruthError if not JSON."""
    for number, line in enumerate(_text_lines(source), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as err:
            raise GroundTruthError(
                f"manifest line {number} is not JSON ({err}); a manifest holds one JSON object "
                "a line"
            ) from None
        if not isinstance(record, dict):
            raise GroundTruthError(
                f"manifest line {number} is a JSON {type(record).__name__}, not an object; a "
                "manifest holds one JSON object a line"
            )
        yield number, record


def _check_line(number: int, line: str, record: dict[str, Any]) -> None:
    where = f"input manifest line {number}"
    key = record.get("crowdseg-key") or record.get("source-ref")
    if key:
        where += f" ({key})"
    if len(line) > MAX_LINE_CHARS:
        raise GroundTruthError(
            f"{where} has {len(line):,} characters; Ground Truth allows {MAX_LINE_CHARS:,} a "
            "line: reference large data in S3 instead of inlining it"
        )
    for name, value in record.items():
        if name.startswith("$"):
            raise GroundTruthError(
                f"{where}: key {name!r} begins with '$', which Ground Truth refuses: rename it"
            )
        size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
        if size > MAX_ATTRIBUTE_CHARS:
            raise GroundTruthError(
                f"{where}: attribute {name!r} has {size:,} characters; Ground Truth allows "
                f"{MAX_ATTRIBUTE_CHARS:,} an attribute: store it in S3 and reference it"
            )
    if not isinstance(record.get("source-ref"), str) and not isinstance(record.get("source"), str):
        raise GroundTruthError(
            f"{where} has neither 'source-ref' (an S3 URI) nor 'source' (inline text); "
            f"keys present: {sorted(record)}"
        )


def validate_input_manifest(lines: Lines) -> list[dict[str, Any]]:
    """Check an input manifest against Ground Truth's limits; return its objects.

    `lines`: the manifest as bytes or text, a path, or an iterable of lines.
    Raises GroundTruthError naming the line (and its `crowdseg-key` or
    `source-ref`), the size or key at fault and the fix, for: a line over
    100,000 characters, an attribute over 20,000, a key beginning with `$`,
    a line without `source-ref`/`source`, a line that is not one JSON object.
    """
    records = []
    texts = _text_lines(lines)
    for number, record in manifest_records(texts):
        _check_line(number, texts[number - 1], record)
        records.append(record)
    if not records:
        raise GroundTruthError("the input manifest has no lines: a job needs at least one object")
    return records
