"""A save whose journal fsync failed leaves the image in `unsynced` (its log kept). Its log may go once a
durable status line is written over a mask file that holds the log's last record
(`BackgroundSaves.status_made_durable`, 39ffd3a) - but not when a later commit was recorded in the log
since and its PNG failed: the mask file then holds the earlier commit only, and the log is the one copy
of the later one.

A document opened again then reads the later commit (the log applied over the file) and, when that
commit left the smoke ratio as it was (an ignore stroke), the file is taken as holding it; saving that
document (`save_document`, status alone) removed the log, and the ignore stroke was gone from the next
opening, no power loss needed. (Since the document read with a log applied is no longer taken as the
mask file's, `test_read_document_logged_mask.py`, that save writes the mask: the stroke is then in the
file, and the log may go.)
"""

from __future__ import annotations

import errno
import sys
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import mask_saves, tools
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_images import ProjectImages
from fosp_core.annotation.recovery import log_path
from fosp_core.annotation.storage import StorageError
from tests.unit.disk_project import disk_project

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="settle_disk reads /proc/self/fd")


def _fail_png(path: Path, data: bytes) -> None:
    raise StorageError(path, "cannot write: disk full", errno.ENOSPC)


def test_a_later_commit_whose_png_failed_keeps_its_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    disk, images, project, image_id = disk_project(tmp_path, monkeypatch, seed=5)
    try:
        doc = project.open_document(image_id)
        disk.fail_journal = True  # the save thread's journal fsync fails: the image is unsynced
        tools.brush(doc, [(5.0, 5.0), (15.0, 20.0)], 3)
        project.finish_saves(wait=True)
        assert disk.failed >= 1 and project.unsynced_images() == [image_id]
        disk.fail_journal = False
        with monkeypatch.context() as m:  # a later commit, an ignore stroke: its PNG cannot be written
            m.setattr(mask_saves, "atomic_write", _fail_png)
            assert tools.ignore_brush(doc, [(30.0, 30.0), (40.0, 40.0)], 3)
            project.finish_saves(wait=True)
        assert not project.is_saved(doc)
        wanted = doc.mask.copy()
        assert np.count_nonzero(wanted == 255) > 0
        again = project.open_document(image_id)  # the log applied over the file: the ignore stroke is there
        assert np.array_equal(again.mask, wanted)
        project.save_document(again)  # its mask written (read with the log: not the file's), or a status line
        in_file = np.array_equal(ProjectImages.load_mask(project, image_id), wanted)
        assert in_file or log_path(project.mask_path(image_id)).exists(), \
            "the log, the one copy of the ignore stroke, went"
    finally:
        project.close()
    reopened = Project.open(images)
    try:
        assert np.array_equal(reopened.load_mask(image_id), wanted), "the ignore stroke was lost"
    finally:
        reopened.close()
