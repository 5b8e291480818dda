"""The project lock's own fsyncs (the new lock's temporary file, and the exclusive create where hard links
cannot be made) asked a plain ``os.fsync``: on macOS that leaves the lock in the drive's cache, where a power
cut loses it. They go through `fosp_core.io.atomic.full_fsync` now (``F_FULLFSYNC``; ``os.fsync`` when
refused or elsewhere). The platform is faked as in `test_disk_s33_full_fsync`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fosp_core.annotation import lock_files
from fosp_core.annotation.storage import ProjectLock
from fosp_core.io import atomic
from tests.unit.test_disk_s33_full_fsync import F_FULLFSYNC, FakeFcntl


@pytest.fixture
def fsyncs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append(fd), real(fd))[1])
    return calls


def test_a_new_lock_is_flushed_with_full_fsync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               fsyncs: list[int]) -> None:
    fake = FakeFcntl()
    monkeypatch.setattr(atomic, "_fcntl", fake)
    lock = ProjectLock(tmp_path / "project.lock")
    assert lock.acquire() is None
    try:
        assert fake.calls and all(cmd == F_FULLFSYNC for _, cmd in fake.calls)
        assert fsyncs == []  # F_FULLFSYNC did it: no plain fsync
    finally:
        lock.release()


def test_the_exclusive_create_is_flushed_with_full_fsync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         fsyncs: list[int]) -> None:
    fake = FakeFcntl()
    monkeypatch.setattr(atomic, "_fcntl", fake)
    assert lock_files.create_exclusive(tmp_path / "project.lock", b"lock")
    assert (tmp_path / "project.lock").read_bytes() == b"lock"
    assert len(fake.calls) == 1 and fake.calls[0][1] == F_FULLFSYNC
    assert fsyncs == []


def test_a_refused_full_fsync_still_flushes_the_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     fsyncs: list[int]) -> None:
    fake = FakeFcntl(refuse=True)
    monkeypatch.setattr(atomic, "_fcntl", fake)
    assert lock_files.create_exclusive(tmp_path / "project.lock", b"lock")
    assert len(fake.calls) == len(fsyncs) == 1
