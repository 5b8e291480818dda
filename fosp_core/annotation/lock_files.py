"""The files side of a project lock (`fosp_core.annotation.storage.ProjectLock`): one process of the
machine at a time looks at the lock (`folder_guard`: an ``flock`` of the folder; on Windows, which has no
``flock`` nor folders to lock, a named mutex of the folder's path), and a lock made where hard links cannot be
(`create_exclusive`: FAT32 and exFAT drives, SMB shares; `NO_LINKS`)."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fosp_core.io.atomic import BINARY, full_fsync

__all__ = ["GUARD_WAIT_S", "NO_LINKS", "WINDOWS_NO_LINKS", "cannot_link", "create_exclusive", "folder_guard",
           "guard_name"]


#: how long `folder_guard` waits for another process's look at the lock (then goes on unguarded)
GUARD_WAIT_S = 10.0


@contextlib.contextmanager
def folder_guard(folder: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` of `folder` for the block: one process at a time looks at the
    lock file and creates or takes it over. Where there is no ``flock`` (Windows, some network
    file systems) or it cannot be had within `GUARD_WAIT_S`, the block runs unguarded. On Windows: a named
    mutex of the folder's path (`_windows_guard`)."""
    if sys.platform == "win32":
        with _windows_guard(folder):
            yield
        return
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + GUARD_WAIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.005)
            except OSError:
                break  # no flock here
        yield
    finally:
        os.close(fd)  # releases the flock


def _kernel32() -> Any:  # noqa: ANN401 - ctypes' library object (a seam for tests that simulate Windows)
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.CreateMutexW.restype = wintypes.HANDLE
    kernel32.CreateMutexW.argtypes = (wintypes.LPVOID, wintypes.BOOL, wintypes.LPCWSTR)
    kernel32.WaitForSingleObject.restype = wintypes.DWORD
    kernel32.WaitForSingleObject.argtypes = (wintypes.HANDLE, wintypes.DWORD)
    kernel32.ReleaseMutex.argtypes = (wintypes.HANDLE,)
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    return kernel32


def guard_name(folder: Path) -> str:
    """The Windows mutex of `folder`: one name for every spelling of its path there (case, ``..``, a link),
    in the machine's global namespace (every session and user; one whose mutex another user made cannot
    open it: unguarded)."""
    where = os.path.realpath(folder).rstrip("\\/").casefold()
    return "Global\\fosp-folder-guard-" + hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()[:40]


@contextlib.contextmanager
def _windows_guard(folder: Path) -> Iterator[None]:
    """`folder_guard` on Windows: the folder's named mutex (`guard_name`) held for the block; a holder that
    died leaves it to the next (WAIT_ABANDONED); unguarded where it cannot be made or had in `GUARD_WAIT_S`."""
    try:
        kernel32 = _kernel32()
        handle = kernel32.CreateMutexW(None, False, guard_name(folder))
    except (OSError, AttributeError, ValueError):
        handle = None
    if not handle:
        yield
        return
    try:
        owned = kernel32.WaitForSingleObject(handle, int(GUARD_WAIT_S * 1000)) in (0, 0x80)  # OBJECT_0, ABANDONED
        try:
            yield
        finally:
            if owned:
                kernel32.ReleaseMutex(handle)
    finally:
        kernel32.CloseHandle(handle)


#: what ``link`` fails with on a drive that has no hard links (FAT32 and exFAT sticks, SMB shares)
NO_LINKS = frozenset({errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK})
#: the same on Windows, whose errors Python says as EINVAL: ERROR_INVALID_FUNCTION ('Incorrect function': FAT32,
#: exFAT), ERROR_NOT_SUPPORTED (a share)
WINDOWS_NO_LINKS = frozenset({1, 50})


def cannot_link(exc: OSError) -> bool:
    """Whether `exc`, raised by ``os.link``, says that this drive has no hard links (`NO_LINKS`, `WINDOWS_NO_LINKS`)."""
    return exc.errno in NO_LINKS or getattr(exc, "winerror", None) in WINDOWS_NO_LINKS


def create_exclusive(path: Path, payload: bytes) -> bool:
    """Create the lock `path` where hard links cannot be made: an exclusive create, its bytes in one
    write, fsynced; False when a lock is there. A reader may find it empty for a moment
    (`fosp_core.annotation.storage._being_written` reads it again). A write that fails (a full stick)
    removes the file it made (unless another process replaced it meanwhile) and raises: an empty lock
    left behind made every later opening wait for it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | BINARY, 0o644)
    except FileExistsError:
        return False
    try:
        try:
            os.write(fd, payload)
            full_fsync(fd)  # F_FULLFSYNC on macOS
        except OSError:
            with contextlib.suppress(OSError):
                if os.path.samestat(os.fstat(fd), os.stat(path)):
                    os.unlink(path)
            raise
    finally:
        os.close(fd)
    return True
