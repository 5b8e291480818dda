"""The test run's `os.fsync` (`tests/fsync_without_flush.py`) skips only the drive's flush: it is in
place in the test processes, fails as the real one for a descriptor not open, and hands what is
neither a regular file nor a folder (a pipe: EINVAL on Linux) to the real one."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tests import fsync_without_flush


def test_the_run_fsyncs_without_the_flush_unless_asked() -> None:
    if os.environ.get("FOSP_TEST_REAL_FSYNC") == "1":
        assert os.fsync is fsync_without_flush.REAL_FSYNC
    else:
        assert os.fsync is fsync_without_flush.fsync_without_flush
    assert fsync_without_flush.install({"FOSP_TEST_REAL_FSYNC": "1"}) is False


def test_files_and_folders_return_and_the_rest_is_the_real_fsync(tmp_path: Path) -> None:
    fsync = fsync_without_flush.fsync_without_flush
    path = tmp_path / "f"
    with path.open("wb") as f:
        f.write(b"data")
        fsync(f.fileno())
    folder = os.open(tmp_path, os.O_RDONLY)
    try:
        fsync(folder)
    finally:
        os.close(folder)
    closed = os.open(path, os.O_RDONLY)
    os.close(closed)
    with pytest.raises(OSError) as bad:
        fsync(closed)
    assert bad.value.errno == errno.EBADF
    read, write = os.pipe()
    try:
        with pytest.raises(OSError) as real:
            fsync_without_flush.REAL_FSYNC(read)
        with pytest.raises(OSError) as ours:
            fsync(read)
        assert ours.value.errno == real.value.errno  # EINVAL on Linux: a pipe cannot be synced
    finally:
        os.close(read)
        os.close(write)
