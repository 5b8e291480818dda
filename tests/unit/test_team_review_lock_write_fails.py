"""A lock made by an exclusive create (a drive without hard links: a FAT32 or exFAT stick, an SMB share)
whose bytes could not be written (the stick full: ENOSPC; the share gone: EIO) left an empty lock file
behind: the project opened read-only saying why, and every later opening of it read that empty file again
for `EMPTY_LOCK_WAIT_S` before taking it for stale - on a full stick the take-over's write failed too, so
each opening waited and stayed read-only. The file a failed create made is removed again."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from fosp_core.annotation import lock_files, storage
from fosp_core.annotation.storage import ProjectLock, StorageError


def test_a_lock_whose_bytes_could_not_be_written_is_not_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def link(src: str, dst: str) -> None:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM), src)

    def write(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(storage.os, "link", link)
    monkeypatch.setattr(lock_files.os, "write", write)
    lock = ProjectLock(tmp_path / "lock")
    with pytest.raises(StorageError, match="No space left"):
        lock.acquire()
    assert not lock.held
    assert not (tmp_path / "lock").exists()
