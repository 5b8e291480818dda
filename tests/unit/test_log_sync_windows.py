"""The save thread's fsync of the recovery log (`fosp_core.annotation.log_sync.sync_log`) works where
fsync needs a writable descriptor: on Windows os.fsync is _commit/FlushFileBuffers, which fails on a
handle opened read-only (ERROR_ACCESS_DENIED, EBADF), so a log opened O_RDONLY failed every
background save there. Emulated here: an fsync of a read-only descriptor raises EBADF."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation import log_sync, tools
from fosp_core.annotation.project import Project

fcntl = pytest.importorskip("fcntl")


@pytest.fixture
def windows_fsync(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """os.fsync as Windows does it: EBADF on a descriptor opened read-only; the fsynced fds."""
    real, synced = os.fsync, []

    def fsync(fd: int) -> None:
        if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY:
            raise OSError(errno.EBADF, "Bad file descriptor")
        synced.append(fd)
        real(fd)

    monkeypatch.setattr(log_sync.os, "fsync", fsync)
    monkeypatch.setattr(log_sync, "fsync_dir", lambda folder: None)  # no folder fsync on Windows
    return synced


def test_sync_log_fsyncs_a_writable_descriptor(tmp_path: Path, windows_fsync: list[int]) -> None:
    log = tmp_path / "a.png.recovery"
    log_sync.append_record(log, b'{"x":1}')
    log_sync.sync_log(log)
    assert len(windows_fsync) == 1
    assert log.read_bytes() == b'{"x":1}\n'


def test_background_saves_work_where_fsync_needs_write_access(tmp_path: Path, windows_fsync: list[int]) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.png"), np.full((60, 80, 3), 90, np.uint8))
    with Project.open(folder) as project:
        project.save_in_background = True
        doc = project.open_document(project.ids[0])
        tools.brush(doc, [(10.0, 10.0), (50.0, 40.0)], 4)
        project.finish_saves(wait=True)
        assert project.last_error is None, project.last_error
        assert project.is_saved(doc) and windows_fsync
        assert np.array_equal(project.load_mask(doc.image_id), doc.mask)
