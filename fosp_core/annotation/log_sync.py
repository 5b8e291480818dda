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
from pathlib import Path

from fosp_core.annotation.storage import StorageError
from fosp_core.io.atomic import file_mode, fsync_dir

__all__ = ["append_record", "sync_log", "take_back"]


def _error(path: Path, exc: OSError) -> StorageError:
    reason = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
    return StorageError(path, f"cannot write: {reason}", exc.errno)


def append_record(path: Path, line: bytes, **_: object) -> None:
    """Append one newline-terminated record to the log `path` (created when missing) with write(),
    no fsync (`sync_log` does it, on the save thread). A record is never glued to a torn one before
    it (a newline first when the file does not end with one); a failed write (disk full) cuts the
    file back to its old length and raises `StorageError`."""
    if not line.endswith(b"\n"):
        line += b"\n"
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, file_mode())
    except OSError as exc:
        raise _error(path, exc) from exc
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
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


def sync_log(path: Path) -> None:
    """Make the log `path` durable (fsync the file, then its folder: a log created since is an
    entry of it); a log gone meanwhile (its edits saved by a PNG and a journal line) is nothing to
    do. Raises `StorageError` when the fsync fails (the folder's too, but where the file system cannot
    fsync a folder: `fosp_core.io.atomic.fsync_dir`). Opened for writing: Windows' fsync
    (FlushFileBuffers) fails on a handle opened read-only."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _error(path, exc) from exc
    try:
        os.fsync(fd)
    except OSError as exc:
        raise _error(path, exc) from exc
    finally:
        os.close(fd)
    try:
        fsync_dir(path.parent)  # a failure of it (EIO): the log may not be in the folder after a power loss
    except OSError as exc:
        raise _error(path, exc) from exc


def take_back(path: Path, size: int) -> bool:
    """Cut the log at `path` back to `size` bytes, durably (a record of a save that failed taken
    back; no room needed); False when it cannot be."""
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError:
        return False
    try:
        os.ftruncate(fd, size)
        os.fsync(fd)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True
