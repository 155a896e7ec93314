"""Resolvers: a URI (`s3://...` or any) to bytes, so every reader runs offline too.

A resolver is any callable `uri -> bytes` that raises FileNotFoundError for a
missing object. The ones here can also write (`.write(uri, data)`), which
the consolidation Lambda uses to put large PNGs next to its output.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..extras import require

#: What every reader's `resolver=` takes: `uri -> bytes`, FileNotFoundError when missing.
Resolver = Callable[[str], bytes]


@runtime_checkable
class Writer(Protocol):
    """Something that stores bytes at a URI (a resolver that can also write)."""

    def write(self, uri: str, data: bytes) -> None: ...


class LocalResolver:
    """URIs mapped onto local folders by prefix (longest prefix wins); plain paths pass."""

    def __init__(self, mapping: Mapping[str, str | os.PathLike[str]]) -> None:
        self.mapping = {prefix: Path(folder).expanduser() for prefix, folder in mapping.items()}
        for prefix in self.mapping:
            if not prefix:
                raise ValueError("a local_resolver prefix must not be empty, e.g. 's3://bucket/'")

    def path(self, uri: str) -> Path:
        """The local file that stands for `uri`."""
        for prefix in sorted(self.mapping, key=len, reverse=True):
            if uri.startswith(prefix):
                rest = uri[len(prefix) :].lstrip("/")
                return self.mapping[prefix] / rest
        if "://" in uri:
            known = ", ".join(sorted(self.mapping)) or "none"
            raise FileNotFoundError(
                f"{uri}: no local folder is mapped for it (mapped prefixes: {known})"
            )
        return Path(uri).expanduser()

    def __call__(self, uri: str) -> bytes:
        path = self.path(uri)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise FileNotFoundError(f"{uri}: no such file {path}") from None

    def write(self, uri: str, data: bytes) -> None:
        path = self.path(uri)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def __repr__(self) -> str:
        return f"local_resolver({ {k: str(v) for k, v in self.mapping.items()} })"


def local_resolver(mapping: Mapping[str, str | os.PathLike[str]]) -> LocalResolver:
    """A resolver reading URIs from local folders: `{"s3://my-bucket/": "copy/of/bucket/"}`.

    The longest matching prefix wins; a plain path (no `scheme://`) is read as
    it is; an unmapped URI raises FileNotFoundError naming the mapped prefixes.
    Its `.write(uri, data)` writes to the same place.
    """
    return LocalResolver(mapping)


class FsspecResolver:
    """URIs read (and written) through fsspec (`s3://` needs s3fs)."""

    def __init__(self, storage_options: dict[str, Any]) -> None:
        self.fsspec = require("fsspec", "groundtruth-fsspec", "fsspec_resolver")
        self.storage_options = storage_options

    def __call__(self, uri: str) -> bytes:
        with self.fsspec.open(uri, "rb", **self.storage_options) as file:
            data: bytes = file.read()
        return data

    def write(self, uri: str, data: bytes) -> None:
        with self.fsspec.open(uri, "wb", **self.storage_options) as file:
            file.write(data)


def fsspec_resolver(**storage_options: Any) -> FsspecResolver:
    """A resolver through fsspec (`memory://`, `file://`, `s3://` with s3fs, ...).

    `storage_options` go to `fsspec.open` (e.g. `profile="labeling"` for s3fs).
    Raises ImportError naming the `groundtruth-fsspec` extra when fsspec is
    not installed.
    """
    return FsspecResolver(storage_options)


def split_s3_uri(uri: str) -> tuple[str, str]:
    """('bucket', 'key/of/object') from 's3://bucket/key/of/object'."""
    if not uri.startswith("s3://") or "/" not in uri[5:]:
        raise ValueError(f"{uri!r} is not an S3 object URI (s3://bucket/key)")
    bucket, _, key = uri[5:].partition("/")
    return bucket, key


class S3Resolver:
    """URIs read and written with a boto3 S3 client (the caller made it: no boto3 import here)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def __call__(self, uri: str) -> bytes:
        bucket, key = split_s3_uri(uri)
        try:
            response = self.client.get_object(Bucket=bucket, Key=key)
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(f"{uri}: no such S3 object") from None
        data: bytes = response["Body"].read()
        return data

    def write(self, uri: str, data: bytes) -> None:
        bucket, key = split_s3_uri(uri)
        self.client.put_object(Bucket=bucket, Key=key, Body=data)


def s3_resolver(client: Any) -> S3Resolver:
    """A resolver over a boto3 S3 client, e.g. `s3_resolver(boto3.client("s3"))`."""
    return S3Resolver(client)
