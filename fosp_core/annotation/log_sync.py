"""The recovery log's append split in two: the write on the committing (GUI) thread, the fsync on the
project's save thread (`fosp_core.annotation.mask_saves`).

`append_record` writes a commit's record with write() before the commit returns: from then on the
record is in the kernel's page cache and outlives a crash of the process (a kill, a segfault). It
is not fsynced there: `sync_log`, run by the save thread before it writes the PNG that supersedes the
log (and before the log can be removed), makes it durable against an OS crash or a power loss. So
the window in which an OS crash or power loss can lose a commit that returned is from its return to
that fsync: the save thread reaches it once the saves queued before it have ended (one per image,
usually at most the one running: a PNG of ~0.2 / 0.35 s at 48 / 96 MP). A crash of the process loses
nothing at any moment. A failed fsync is a failed save (told; the PNG is not written, the log stays).
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from pathlib import Path

from fosp_core.annotation.storage import StorageError
from fosp_core.io.atomic import BINARY, file_mode, fsync_dir, full_fsync

__all__ = ["append_record", "sync_file", "sync_log", "take_back"]


def _why(exc: OSError) -> str:
    return "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))


def _error(path: Path, exc: OSError) -> StorageError:
    return StorageError(path, f"cannot write: {_why(exc)}", exc.errno)


def _byte_at(fd: int, offset: int) -> bytes:
    """The byte at `offset` of `fd` (no ``os.pread``: Windows has none; an appending write goes to the end
    wherever the position is)."""
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, 1)


def append_record(path: Path, line: bytes, **_: object) -> None:
    """Append one newline-terminated record to the log `path` (created when missing) with write(),
    no fsync (`sync_log` does it, on the save thread). A record is never glued to a torn one before
    it (a newline first when the file does not end with one); a failed write (disk full) cuts the
    file back to its old length and raises `StorageError`."""
    if not line.endswith(b"\n"):
        line += b"\n"
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | BINARY, file_mode())
    except OSError as exc:
        raise _error(path, exc) from exc
    try:
        size = os.fstat(fd).st_size
        if size and _byte_at(fd, size - 1) != b"\n":
            line = b"\n" + line
        view = memoryview(line)
        while view:
            view = view[os.write(fd, view):]
    except OSError as exc:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.ftruncate(fd, size)
        raise _error(path, exc) from exc
    finally:
        os.close(fd)


def sync_file(path: Path, *, folder: bool = True, failed: Callable[[str], str] | None = None) -> None:
    """Make the file `path` durable: fsync it, then (`folder`) its folder, where a file created since
    is an entry. A file gone meanwhile is nothing to do. Raises `StorageError`: "cannot write: <why>"
    when it cannot be opened or its folder's fsync fails (but where the file system cannot fsync a
    folder: `fosp_core.io.atomic.fsync_dir`); when the file's own fsync fails, ``failed(why)`` where
    given (the journal: `journal_settles.fsync_failed_reason`), else the same words. Opened for
    writing: Windows' fsync (FlushFileBuffers) fails on a handle opened read-only."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _error(path, exc) from exc
    try:
        full_fsync(fd)  # macOS: F_FULLFSYNC (its fsync stops at the drive's cache)
    except OSError as exc:
        if failed is None:
            raise _error(path, exc) from exc
        raise StorageError(path, failed(_why(exc)), exc.errno) from exc
    finally:
        os.close(fd)
    if not folder:
        return
    try:
        fsync_dir(path.parent)  # a failure of it (EIO): the file may not be in the folder after a power loss
    except OSError as exc:
        raise _error(path, exc) from exc


def sync_log(path: Path) -> None:
    """Make the recovery log `path` durable, the file and its folder (`sync_file`); a log gone
    meanwhile (its edits saved by a PNG and a journal line) is nothing to do. Raises `StorageError`
    ("cannot write: <why>")."""
    sync_file(path)


def take_back(path: Path, size: int) -> bool:
    """Cut the log at `path` back to `size` bytes, durably (a record of a save that failed taken
    back; no room needed); False when it cannot be."""
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError:
        return False
    try:
        os.ftruncate(fd, size)
        full_fsync(fd)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True
