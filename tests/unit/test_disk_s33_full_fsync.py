"""macOS: ``os.fsync`` leaves the data in the drive's cache; the atomic writes ask ``fcntl(F_FULLFSYNC)``
where ``fcntl`` has it (`fosp_core.io.atomic.full_fsync`), falling back to ``os.fsync`` when refused.
The platform is faked: a stand-in ``fcntl`` module with ``F_FULLFSYNC`` records its calls."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from fosp_core.annotation import log_sync
from fosp_core.io import atomic

F_FULLFSYNC = 51  # macOS's value


class FakeFcntl:
    def __init__(self, refuse: bool = False) -> None:
        self.calls: list[tuple[int, int]] = []
        self.refuse = refuse
        self.F_FULLFSYNC = F_FULLFSYNC

    def fcntl(self, fd: int, cmd: int) -> int:
        self.calls.append((fd, cmd))
        if self.refuse:
            raise OSError(errno.ENOTSUP, "Operation not supported")
        return 0


@pytest.fixture
def fsyncs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append(fd), real(fd))[1])
    return calls


def test_write_atomic_asks_full_fsync_on_macos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               fsyncs: list[int]) -> None:
    fake = FakeFcntl()
    monkeypatch.setattr(atomic, "_fcntl", fake)
    atomic.write_atomic(tmp_path / "a.bin", b"data")
    assert (tmp_path / "a.bin").read_bytes() == b"data"
    assert len(fake.calls) == 2  # the file, then its folder
    assert all(cmd == F_FULLFSYNC for _, cmd in fake.calls)
    assert fsyncs == []  # F_FULLFSYNC did it: no plain fsync


def test_refused_full_fsync_falls_back_to_fsync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                fsyncs: list[int]) -> None:
    fake = FakeFcntl(refuse=True)
    monkeypatch.setattr(atomic, "_fcntl", fake)
    atomic.write_atomic(tmp_path / "a.bin", b"data")
    atomic.append_durable(tmp_path / "journal.log", b"line")
    with atomic.atomic_target(tmp_path / "b.bin") as tmp:
        tmp.write_bytes(b"b")
    assert len(fake.calls) == len(fsyncs) >= 6  # each refused call fell back to fsync
    assert (tmp_path / "b.bin").read_bytes() == b"b"


def test_without_f_fullfsync_plain_fsync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         fsyncs: list[int]) -> None:
    monkeypatch.setattr(atomic, "_fcntl", SimpleNamespace(fcntl=lambda *a: pytest.fail("no F_FULLFSYNC here")))
    atomic.write_atomic(tmp_path / "a.bin", b"data")
    assert len(fsyncs) == 2


def test_recovery_log_sync_asks_full_fsync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           fsyncs: list[int]) -> None:
    fake = FakeFcntl()
    monkeypatch.setattr(atomic, "_fcntl", fake)
    log = tmp_path / "a.png.log"
    log.write_bytes(b"record\n")
    log_sync.sync_log(log)
    assert len(fake.calls) == 2 and fsyncs == []
    assert log_sync.take_back(log, 0) and len(fake.calls) == 3
