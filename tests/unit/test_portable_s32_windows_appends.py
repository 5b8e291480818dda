"""Windows: the recovery log's append (`fosp_core.annotation.log_sync.append_record`, at every commit of an
edit) looked at the log's last byte with ``os.pread``, which Windows does not have: the second commit of an
image ended in AttributeError ('module os has no attribute pread') - its edit not logged, the save broken. And
the files opened with ``os.open`` (that log, `append_durable`'s journals, a lock made where hard links cannot
be) were opened without ``O_BINARY``: Windows' text mode then writes each b"\\n" as b"\\r\\n" and a read
stops at a Ctrl-Z byte. Simulated: ``os.pread`` gone, and ``os.O_BINARY`` present with its use checked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fosp_core.annotation import lock_files, log_sync
from fosp_core.io import atomic

O_BINARY = 0x8000  # Windows' value; the flag passed to the real open is taken off


def test_the_recovery_log_appends_without_pread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "pread", raising=False)
    log = tmp_path / "img01.png.recovery"
    log_sync.append_record(log, b'{"first":1}\n')
    log_sync.append_record(log, b'{"second":2}')  # the file has a record: its last byte is looked at
    log.write_bytes(log.read_bytes() + b'{"torn')  # a record cut by a crash
    log_sync.append_record(log, b'{"third":3}\n')
    assert log.read_bytes() == b'{"first":1}\n{"second":2}\n{"torn\n{"third":3}\n'


@pytest.fixture
def opened_binary(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each ``os.open`` for writing says whether it asked for binary mode."""
    seen: list[bool] = []
    real = os.open

    def open_(path: object, flags: int, *args: object) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR):
            seen.append(bool(flags & O_BINARY))
        return real(path, flags & ~O_BINARY, *args)  # type: ignore[arg-type]

    for module in (atomic, log_sync, lock_files):
        monkeypatch.setattr(module, "BINARY", O_BINARY, raising=False)  # as os.O_BINARY there
    monkeypatch.setattr(os, "open", open_)
    return seen


def test_appends_and_locks_open_their_files_binary(tmp_path: Path, opened_binary: list[bool]) -> None:
    log_sync.append_record(tmp_path / "a.png.recovery", b"record\n")
    atomic.append_durable(tmp_path / "journal", b"line\n", durable=False)
    assert lock_files.create_exclusive(tmp_path / "lock", b'{"pid": 1}')
    assert len(opened_binary) >= 3 and all(opened_binary), opened_binary
