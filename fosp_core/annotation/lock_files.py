"""The files side of a project lock (`fosp_core.annotation.storage.ProjectLock`): one process of the
machine at a time looks at the lock (`folder_guard`), and a lock made where hard links cannot be
(`create_exclusive`: FAT32 and exFAT drives, SMB shares; `NO_LINKS`)."""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["GUARD_WAIT_S", "NO_LINKS", "create_exclusive", "folder_guard"]


#: how long `folder_guard` waits for another process's look at the lock (then goes on unguarded)
GUARD_WAIT_S = 10.0


@contextlib.contextmanager
def folder_guard(folder: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` of `folder` for the block: one process at a time looks at the
    lock file and creates or takes it over. Where there is no ``flock`` (Windows, some network
    file systems) or it cannot be had within `GUARD_WAIT_S`, the block runs unguarded."""
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


#: what ``link`` fails with on a drive that has no hard links (FAT32 and exFAT sticks, SMB shares)
NO_LINKS = frozenset({errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK})


def create_exclusive(path: Path, payload: bytes) -> bool:
    """Create the lock `path` where hard links cannot be made: an exclusive create, its bytes in one
    write, fsynced; False when a lock is there. A reader may find it empty for a moment
    (`fosp_core.annotation.storage._being_written` reads it again). A write that fails (a full stick)
    removes the file it made (unless another process replaced it meanwhile) and raises: an empty lock
    left behind made every later opening wait for it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    try:
        try:
            os.write(fd, payload)
            os.fsync(fd)
        except OSError:
            with contextlib.suppress(OSError):
                if os.path.samestat(os.fstat(fd), os.stat(path)):
                    os.unlink(path)
            raise
    finally:
        os.close(fd)
    return True
