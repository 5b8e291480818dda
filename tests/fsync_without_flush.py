"""`os.fsync` in the test processes: the call's checks without the drive's flush (as libeatmydata).

A test cannot see whether an fsync reached the platter: what the crash and power-loss tests check is
which fsyncs were made and in what order, recorded by their own simulated disks (`tests/unit/settle_disk.py`,
`tests/unit/power_loss.py`) or by a fake `os.fsync` of their own, monkeypatched over this one. The real flush
cost ~3 ms a call on this machine's disk, and the save tests make thousands of them (40 project/journal test
files: 8,666 fsyncs, 8.6 of their 40 s, session 35).

`fsync(fd)` still fails as the real one for a descriptor that is not open (EBADF, from `os.fstat`), and
hands every other kind of file (a pipe, a socket, a character device: EINVAL and the like) to the real
`os.fsync`; a regular file or folder returns at once. `FOSP_TEST_REAL_FSYNC=1` keeps the real `os.fsync`.
Child processes that a test starts (a crash worker, a training run) are not changed.
"""

from __future__ import annotations

import os
import stat

__all__ = ["REAL_FSYNC", "fsync_without_flush", "install"]

REAL_FSYNC = os.fsync


def fsync_without_flush(fd: int) -> None:
    """`os.fsync(fd)` less the flush of a regular file's or folder's data (see the module doc)."""
    mode = os.fstat(fd).st_mode  # OSError(EBADF) for a descriptor not open, as fsync
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return
    REAL_FSYNC(fd)


def install(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """Put `fsync_without_flush` in place of `os.fsync` unless `FOSP_TEST_REAL_FSYNC=1`; whether it did."""
    if environ.get("FOSP_TEST_REAL_FSYNC") == "1":
        return False
    os.fsync = fsync_without_flush
    return True
