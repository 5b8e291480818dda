"""Saves whose only failure is a folder's fsync (an I/O error: `fosp_core.io.atomic.NotDurableError`):
the new file is in place and visible, it may only not survive a power loss. Such a save goes on
as written - the mask file and the journal line both in place, the project's state the new one -
and is told as a failed save saying so ("written, but cannot make it durable"; `is_saved` false,
so the next save writes again). What the user is told is what a re-opening shows: the new mask
with its status, never the new mask with the old status (a synchronous `save_mask` whose PNG's
folder fsync failed) nor the old mask with the new status (the journal created by the save, its
folder's fsync failing: `save_mask` put the old PNG back). A recovery log of the image stays, and
ends with the state written (a re-opening applies it: it must not bring an older mask back).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import JOURNAL_FILE, Project
from fosp_core.annotation.recovery import log_path
from fosp_core.io import atomic
from fosp_core.io.masks import read_mask
from tests.unit.crash_worker import make_images


class FolderFsync:
    """os.fsync of the folder `failing` (any of its names) fails with EIO while it is set; every other
    fsync as usual. `failed`: how many failed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.failing: Path | None = None
        self.failed = 0
        real = os.fsync

        def fsync(fd: int) -> None:
            info = os.fstat(fd)
            if self.failing is not None and stat.S_ISDIR(info.st_mode):
                target = os.stat(self.failing)
                if (info.st_dev, info.st_ino) == (target.st_dev, target.st_ino):
                    self.failed += 1
                    raise OSError(errno.EIO, os.strerror(errno.EIO))
            real(fd)

        monkeypatch.setattr(atomic.os, "fsync", fsync)


@pytest.fixture()
def folder_fsync(monkeypatch: pytest.MonkeyPatch) -> FolderFsync:
    return FolderFsync(monkeypatch)


def _reopened(folder: Path, image_id: str) -> tuple[np.ndarray | None, Status]:
    """The mask and status a re-opening of the project at `folder` shows (as the app opens it: its
    recovery logs applied)."""
    with Project.open(folder) as again:
        return again.load_mask(image_id), again.entry(image_id).status


def _open(tmp_path: Path, events: list[tuple]) -> Project:
    folder = make_images(tmp_path / "images", seed=4, count=2)
    project = Project.open(folder)
    project.events.connect(events.append)
    assert not (project.folder / JOURNAL_FILE).exists()  # the first save creates it
    return project


def test_a_mask_file_whose_folder_fsync_failed_is_saved_with_its_status_and_told_not_durable(
        tmp_path: Path, folder_fsync: FolderFsync) -> None:
    events: list[tuple] = []
    project = _open(tmp_path, events)
    try:
        doc = project.open_document(project.ids[0])  # saved in the commit (a script's project)
        folder_fsync.failing = project.folder / "masks"
        tools.brush(doc, [(5.0, 5.0), (25.0, 20.0)], 4)
        assert folder_fsync.failed == 1
        assert events[-1][0] == "save_failed" and "cannot make it durable" in events[-1][2].reason
        assert not project.is_saved(doc)
        assert np.array_equal(read_mask(project.mask_path(doc.image_id)), doc.mask)  # in place
        assert project.entry(doc.image_id).status == doc.status == Status.EDITED
        folder_fsync.failing = None
        tools.brush(doc, [(30.0, 30.0), (40.0, 35.0)], 3)  # the next save works: all saved
        assert events[-1][0] == "saved" and project.is_saved(doc)
        folder_fsync.failing = project.folder / "masks"
        tools.brush(doc, [(8.0, 40.0), (16.0, 44.0)], 3)
        assert events[-1][0] == "save_failed"
        mask, status = doc.mask.copy(), doc.status
    finally:
        folder_fsync.failing = None
        project.close()
    reopened_mask, reopened_status = _reopened(project.folder, doc.image_id)
    assert reopened_status == status and reopened_mask is not None and np.array_equal(reopened_mask, mask)


def test_a_journal_created_by_a_save_whose_folder_fsync_failed_keeps_the_new_mask_with_it(
        tmp_path: Path, folder_fsync: FolderFsync) -> None:
    events: list[tuple] = []
    project = _open(tmp_path, events)
    try:
        doc = project.open_document(project.ids[0])
        old = read_mask(project.mask_path(doc.image_id)) if project.mask_path(doc.image_id).exists() else None
        folder_fsync.failing = project.folder  # the journal's folder: its creation not durable
        tools.brush(doc, [(5.0, 5.0), (25.0, 20.0)], 4)
        assert folder_fsync.failed == 1 and (project.folder / JOURNAL_FILE).exists()
        assert events[-1][0] == "save_failed" and "cannot make it durable" in events[-1][2].reason
        assert not project.is_saved(doc)
        written = read_mask(project.mask_path(doc.image_id))
        assert np.array_equal(written, doc.mask) and (old is None or not np.array_equal(written, old))
        assert project.entry(doc.image_id).status == Status.EDITED
        mask = doc.mask.copy()
    finally:
        folder_fsync.failing = None
        project.close()
    reopened_mask, reopened_status = _reopened(project.folder, doc.image_id)
    assert reopened_status == Status.EDITED and reopened_mask is not None and np.array_equal(reopened_mask, mask)


def test_a_recovery_log_kept_by_a_not_durable_save_ends_with_the_mask_written(
        tmp_path: Path, folder_fsync: FolderFsync) -> None:
    events: list[tuple] = []
    project = _open(tmp_path, events)
    try:
        project.save_in_background = True  # the app's way: the commit's record logged, the PNG on a worker
        image_id = project.ids[0]
        doc = project.open_document(image_id)
        folder_fsync.failing = project.folder / "masks"
        tools.brush(doc, [(5.0, 5.0), (25.0, 20.0)], 4)
        project.finish_saves(wait=True)  # its PNG's (or log's) folder fsync failed: the log stays
        assert events[-1][0] == "save_failed" and log_path(project.mask_path(image_id)).exists()
        imported = np.zeros(doc.shape, np.uint8)
        imported[10:30, 10:40] = 1  # another mask written over it (labels imported, a prediction)
        with pytest.raises(Exception, match="cannot make it durable"):
            project.save_mask(image_id, imported, Status.PREDICTED)
        assert log_path(project.mask_path(image_id)).exists()  # kept: the PNG may not survive a power loss
        assert np.array_equal(project.load_mask(image_id), imported)
        assert project.entry(image_id).status == Status.PREDICTED
    finally:
        folder_fsync.failing = None
        project.close()
    reopened_mask, reopened_status = _reopened(project.folder, image_id)
    assert reopened_status == Status.PREDICTED
    assert reopened_mask is not None and np.array_equal(reopened_mask, imported)


def test_a_status_whose_journal_creation_is_not_durable_stays_the_one_shown(
        tmp_path: Path, folder_fsync: FolderFsync) -> None:
    events: list[tuple] = []
    project = _open(tmp_path, events)
    try:
        image_id = project.ids[1]
        folder_fsync.failing = project.folder  # the journal's folder
        with pytest.raises(Exception, match="cannot make it durable"):
            project.set_status(image_id, Status.REVIEWED)  # a status alone: a journal line
        assert (project.folder / JOURNAL_FILE).exists() and folder_fsync.failed == 1
        assert project.entry(image_id).status == Status.REVIEWED  # as the journal says
    finally:
        folder_fsync.failing = None
        project.close()
    assert _reopened(project.folder, image_id)[1] == Status.REVIEWED
