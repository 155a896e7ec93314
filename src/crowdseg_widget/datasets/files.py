"""Files as the label store touches them: durable atomic writes, moves that never
replace, regular files only (with a size cap), and the temporaries of dead writers.

A write goes to a temporary file beside its target, named after the writer
(`.<name>.<pid>.<host>.<random>.tmp`), is fsynced, renamed over the target,
and the folder is fsynced so the rename itself survives a power loss. A
temporary left by a killed writer is recognised by its pid and host and
removed when a store opens (any temporary older than a day goes too).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import socket
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

if sys.platform != "win32":
    import fcntl

#: A temporary whose writer may still be alive is removed only after this long (seconds).
STALE_AFTER = 24 * 3600
#: This machine's name as it appears in temporary names (only letters, digits and '-').
HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname()) or "host"
_TEMPORARY = re.compile(r"^\..+\.(?P<pid>\d+)\.(?P<host>[A-Za-z0-9-]+)\.[0-9a-f]{8}\.tmp$")
_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}  # fmt: skip


def temporary_name(target: Path) -> Path:
    """Where `target` is written before its rename: beside it, named after this writer."""
    return target.with_name(f".{target.name}.{os.getpid()}.{HOST}.{secrets.token_hex(4)}.tmp")


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new entry in `folder` durable (Windows cannot open a folder:
    there NTFS's journal is all there is)."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold `folder` exclusively among cooperating writers (an advisory lock, released when
    the process dies; on Windows there is none, and readers' checks are all there is)."""
    if sys.platform == "win32":
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def make_folders(folder: Path) -> None:
    """`mkdir -p`, each new folder made durable in its parent."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another writer made it meanwhile
            new.mkdir()
        fsync_folder(new.parent)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old file or the new one, whole,
    and a reported write survives a power loss."""
    make_folders(path.parent)
    temporary = temporary_name(path)
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        with open(os.open(temporary, flags, 0o666), "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    fsync_folder(path.parent)


def move_aside(source: Path, target: Path) -> None:
    """Rename `source` to `target`, never replacing a file there (FileExistsError)."""
    try:
        os.link(source, target, follow_symlinks=False)  # fails if target exists, even racing
    except FileExistsError:
        raise
    except (OSError, NotImplementedError):  # no hard links here: rename (never replaces
        # on Windows; elsewhere only a writer racing in this instant could be replaced)
        if os.path.lexists(target):
            raise FileExistsError(f"{target} exists") from None
        os.rename(source, target)
    else:
        os.unlink(source)
    fsync_folder(target.parent)


def os_reason(err: OSError) -> str:
    """An OSError in plain words with the file it concerns (a rename's target, not its
    temporary): 'No space left on device: labels/x.png.json'."""
    name = err.filename2 if err.filename2 is not None else err.filename
    reason = err.strerror or str(err)
    return f"{reason}: {os.fsdecode(name)}" if name is not None else reason


def file_kind(mode: int) -> str:
    """'a FIFO', 'a folder', ... for what is not a regular file."""
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def check_regular(path: str | Path) -> os.stat_result:
    """The file's stat; ValueError saying what it is when it is not a regular file
    (a FIFO would hang a reader, /dev/zero would never end). FileNotFoundError if gone."""
    status = os.stat(path)
    if not stat.S_ISREG(status.st_mode):
        raise ValueError(f"{file_kind(status.st_mode)}, not a regular file")
    return status


@contextlib.contextmanager
def _opened_regular(
    path: str | Path, *, listed_regular: bool = False
) -> Iterator[tuple[int, os.stat_result]]:
    """A regular file open for reading: checked before opening (unless a folder listing
    just said it is one) and again once open (it may have been swapped); opened
    non-blocking, so even a FIFO swapped in meanwhile cannot hang the read."""
    if not listed_regular:
        check_regular(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise ValueError(f"{file_kind(status.st_mode)}, not a regular file")
        yield descriptor, status
    finally:
        os.close(descriptor)


def read_regular(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; ValueError naming what else
    it is (a FIFO would hang a reader, /dev/zero would never end) or that it is larger."""
    with _opened_regular(path) as (descriptor, status):
        if status.st_size > limit:
            raise ValueError(f"larger than the {limit:,}-byte limit for this file")
        chunks, size = [], 0
        while size <= limit:  # a file that grows meanwhile is still cut at the limit
            chunk = os.read(descriptor, max(status.st_size + 1 - size, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    if size > limit:
        raise ValueError(f"larger than the {limit:,}-byte limit for this file")
    return b"".join(chunks)


def read_head(path: str | Path, size: int, *, listed_regular: bool = False) -> bytes:
    """The first `size` bytes (or fewer) of a regular file; ValueError naming what else it is."""
    with _opened_regular(path, listed_regular=listed_regular) as (descriptor, _):
        return os.read(descriptor, size)


def walk(folder: Path) -> Iterator[tuple[os.DirEntry[str], bool]]:
    """Every entry under `folder` but folders, and every link to a folder (True), sorted
    per folder; links to folders are not followed."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except FileNotFoundError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from walk(Path(entry.path))
        elif entry.is_symlink() and entry.is_dir():
            yield entry, True
        else:
            yield entry, False


def _writer_gone(pid: int, host: str) -> bool:
    """The writer of a temporary is known to be dead (only on this host, not on Windows,
    where signal 0 is Ctrl-C)."""
    if host != HOST or os.name == "nt" or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, owned by someone else
        return False
    return False


def remove_stale_temporary(entry: os.DirEntry[str], now: float | None = None) -> bool:
    """Remove `entry` if it is a temporary of a dead writer, or of anyone a day ago."""
    if not (entry.name.startswith(".") and entry.name.endswith(".tmp")):
        return False
    match = _TEMPORARY.match(entry.name)
    try:
        age = (time.time() if now is None else now) - entry.stat(follow_symlinks=False).st_mtime
        if age > STALE_AFTER or (match and _writer_gone(int(match["pid"]), match["host"])):
            os.unlink(entry.path)
            return True
    except OSError:  # gone meanwhile, or a read-only store: left alone
        pass
    return False
