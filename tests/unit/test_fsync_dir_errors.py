"""A folder's fsync (`fosp_core.io.atomic.fsync_dir`): skipped where the file system cannot do it,
an I/O error raised (`NotDurableError`) and told by every caller as a failed save - it used to be
ignored, EIO included, so a rename that may not survive a power loss was reported saved and the
recovery log removed. A project.json rewrite whose folder fsync fails is in place all the same:
journal lines after it are of its generation (else they would never apply when it is read)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import log_sync, tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project, ProjectSaveError
from fosp_core.annotation.recovery import log_path
from fosp_core.annotation.storage import StorageError, atomic_write
from fosp_core.io import atomic
from fosp_core.io.atomic import NotDurableError, fsync_dir, write_atomic
from tests.unit.crash_worker import make_images


class FolderFsync:
    """os.fsync of a folder fails with `code` while `code` is set (files fsync as usual)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.code: int | None = None
        self.failed = 0
        real = os.fsync

        def fsync(fd: int) -> None:
            if self.code is not None and stat.S_ISDIR(os.fstat(fd).st_mode):
                self.failed += 1
                raise OSError(self.code, os.strerror(self.code))
            real(fd)

        monkeypatch.setattr(atomic.os, "fsync", fsync)


@pytest.fixture()
def folder_fsync(monkeypatch: pytest.MonkeyPatch) -> FolderFsync:
    return FolderFsync(monkeypatch)


@pytest.mark.parametrize("code", [errno.EINVAL, errno.EOPNOTSUPP, errno.EBADF])
def test_a_file_system_that_cannot_fsync_a_folder_is_not_an_error(tmp_path: Path, folder_fsync: FolderFsync,
                                                                   code: int) -> None:
    folder_fsync.code = code
    fsync_dir(tmp_path)
    write_atomic(tmp_path / "a", b"new")
    assert (tmp_path / "a").read_bytes() == b"new" and folder_fsync.failed == 2


# a folder that cannot be opened (Windows: skipped; POSIX: told): tests/unit/test_fsync_dir_platform.py


@pytest.mark.parametrize("code", [errno.EIO, errno.ENOSPC, errno.EDQUOT])
def test_an_io_error_of_the_folder_fsync_is_raised(tmp_path: Path, folder_fsync: FolderFsync, code: int) -> None:
    folder_fsync.code = code
    with pytest.raises(NotDurableError) as raised:
        fsync_dir(tmp_path)
    assert raised.value.errno == code
    (tmp_path / "a").write_bytes(b"old")
    with pytest.raises(NotDurableError):
        write_atomic(tmp_path / "a", b"new")
    assert (tmp_path / "a").read_bytes() == b"new"  # in place, only maybe not durable
    with pytest.raises(StorageError) as told:
        atomic_write(tmp_path / "a", b"newer")
    assert told.value.in_place and told.value.errno == code and "durable" in told.value.reason


@pytest.mark.parametrize("which", ["the log's", "the PNG's"])
def test_a_background_save_whose_folder_fsync_fails_is_a_failed_save_and_keeps_the_log(
        tmp_path: Path, folder_fsync: FolderFsync, monkeypatch: pytest.MonkeyPatch, which: str) -> None:
    if which == "the PNG's":
        monkeypatch.setattr(log_sync, "fsync_dir", lambda folder: None)
    folder = make_images(tmp_path / "images", seed=4, count=2)
    with Project.open(folder) as project:
        project.save_in_background = True
        events: list[tuple] = []
        project.events.connect(events.append)
        doc = project.open_document(project.ids[0])
        folder_fsync.code = errno.EIO
        tools.brush(doc, [(5.0, 5.0), (20.0, 20.0)], 4)
        project.finish_saves(wait=True)
        assert folder_fsync.failed and [e[0] for e in events] == ["save_failed"]
        assert not project.is_saved(doc) and "Input/output error" in str(project.last_error)
        assert log_path(project.mask_path(doc.image_id)).is_file()  # the recovery log keeps the edit
        folder_fsync.code = None
        tools.brush(doc, [(30.0, 30.0), (40.0, 40.0)], 3)
        project.finish_saves(wait=True)
        assert [e[0] for e in events] == ["save_failed", "saved"] and project.is_saved(doc)
    with Project.open(folder) as again:
        assert np.array_equal(again.load_mask(doc.image_id), doc.mask)


def test_lines_after_a_rewrite_whose_folder_fsync_failed_apply_to_it(tmp_path: Path,
                                                                     folder_fsync: FolderFsync) -> None:
    folder = make_images(tmp_path / "images", seed=4, count=2)
    project = Project.open(folder)
    try:
        first, second = project.ids[:2]
        project.set_status(first, Status.EDITED)
        folder_fsync.code = errno.EIO
        with pytest.raises(ProjectSaveError):
            project.write_state()  # project.json replaced all the same, with a new generation
        folder_fsync.code = None
        project.set_status(second, Status.REVIEWED)  # a journal line: it must be of that generation
        with Project.open(folder) as reader:  # read as the files are (read-only: the lock is held)
            assert reader.read_only
            assert reader.entry(first).status == Status.EDITED
            assert reader.entry(second).status == Status.REVIEWED
    finally:
        project.close()


def test_lines_after_a_background_rewrite_whose_folder_fsync_failed_apply_to_it(
        tmp_path: Path, folder_fsync: FolderFsync, monkeypatch: pytest.MonkeyPatch) -> None:
    from fosp_core.annotation import project as project_module

    monkeypatch.setattr(project_module, "JOURNAL_LIMIT", 2)
    folder = make_images(tmp_path / "images", seed=4, count=3)
    project = Project.open(folder)
    try:
        project.compact_in_background = True
        ids = project.ids
        project.set_status(ids[0], Status.EDITED)
        project.set_status(ids[1], Status.EDITED)
        folder_fsync.code = errno.EIO
        project.set_status(ids[2], Status.EDITED)  # the rewrite falls due: it runs on its thread
        assert project.finish_compaction(wait=True) and project.compaction_error is not None
        folder_fsync.code = None
        project.set_status(ids[0], Status.REVIEWED)
        with Project.open(folder) as reader:
            assert reader.read_only
            assert [reader.entry(i).status for i in ids] == [Status.REVIEWED, Status.EDITED, Status.EDITED]
    finally:
        project.close()
