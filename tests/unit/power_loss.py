"""A power loss seen through one mask folder's fsyncs: `MasksFolderDisk` wraps ``os.fsync``; each fsync
of its folder snapshots the folder's files (names and bytes: every file there was fsynced before it was
put in place, as `atomic_write` and `sync_log` do, so a file's bytes are durable once it is an entry). A
power loss leaves the folder as the last such snapshot (a removal is durable only once the folder is
fsynced after it), the rest of the tree as it is (its writes here are fsynced). `failing_fsync(folder)`:
an ``os.fsync`` whose fsyncs of that folder fail with EIO. Linux only (a path read from ``/proc``).
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

__all__ = ["MasksFolderDisk", "failing_fsync"]

_REAL_FSYNC = os.fsync


def _is_folder(fd: int, folder: Path) -> bool:
    """Whether `fd` is open on the folder `folder`."""
    return stat.S_ISDIR(os.fstat(fd).st_mode) and os.readlink(f"/proc/self/fd/{fd}") == str(folder)


class MasksFolderDisk:
    """What the fsyncs of one mask folder made durable (see module doc); `fsync` replaces ``os.fsync``."""

    def __init__(self, masks: Path) -> None:
        self.masks = masks
        self.snapshot: dict[str, bytes] = {}

    def fsync(self, fd: int) -> None:
        """``os.fsync``, snapshotting the mask folder's files when `fd` is that folder."""
        _REAL_FSYNC(fd)
        if _is_folder(fd, self.masks):
            self.snapshot = {p.name: p.read_bytes() for p in self.masks.iterdir() if p.is_file()}

    def power_copy(self, root: Path, to: Path, skip: tuple[str, ...] = ()) -> Path:
        """`root` (a folder holding the mask folder) copied to `to` as a power loss leaves it: the mask
        folder as its last fsync saw it, the rest as it is, entries named in `skip` (e.g. ``"lock"``)
        left out. Returns `to`."""
        shutil.copytree(root, to, ignore=shutil.ignore_patterns(*skip))
        masks = to / self.masks.relative_to(root)
        if masks.exists():
            shutil.rmtree(masks)
        masks.mkdir(parents=True)
        for name, data in self.snapshot.items():
            (masks / name).write_bytes(data)
        return to


def failing_fsync(folder: Path) -> Callable[[int], None]:
    """An ``os.fsync`` whose fsyncs of `folder` fail with EIO (the rest are real)."""

    def fsync(fd: int) -> None:
        if _is_folder(fd, folder):
            raise OSError(errno.EIO, "Input/output error")
        _REAL_FSYNC(fd)

    return fsync
