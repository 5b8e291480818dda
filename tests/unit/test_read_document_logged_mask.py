"""`read_document` took the mask file as holding the document's mask even when a recovery log was
applied over it (the root of the defect 33edb88 fixed further down). After a failed journal fsync, a
later ignore stroke whose PNG failed is in the log alone; the document opened again holds the stroke
(the log applied), the smoke ratio is the file's, and the file passed for it: a status-only save of it
wrote a journal line over a mask file without the stroke. Now such a document is not taken as the
file's, and its first save writes its mask: the mask file itself holds the stroke."""

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


def test_a_document_read_with_a_log_applied_is_not_the_mask_file_s(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    disk, images, project, image_id = disk_project(tmp_path, monkeypatch, seed=11)
    try:
        doc = project.open_document(image_id)
        disk.fail_journal = True  # the journal fsync fails: the image is unsynced, its log kept
        tools.brush(doc, [(5.0, 5.0), (15.0, 20.0)], 3)
        project.finish_saves(wait=True)
        disk.fail_journal = False
        with monkeypatch.context() as m:  # a later ignore stroke: its PNG cannot be written
            m.setattr(mask_saves, "atomic_write", _fail_png)
            assert tools.ignore_brush(doc, [(30.0, 30.0), (40.0, 40.0)], 3)
            project.finish_saves(wait=True)
        wanted = doc.mask.copy()
        path = project.mask_path(image_id)
        file_mask = ProjectImages.load_mask(project, image_id)
        assert file_mask is not None and not np.array_equal(file_mask, wanted)  # the stroke is in the log alone
        again = project.open_document(image_id)
        assert np.array_equal(again.mask, wanted)
        assert not project._saved_masks.holds(image_id, again.mask_version, path)  # noqa: SLF001
        project.save_document(again)
        assert np.array_equal(ProjectImages.load_mask(project, image_id), wanted)  # the file holds it now
        assert project.is_saved(again) and not log_path(path).exists()
    finally:
        project.close()
    reopened = Project.open(images)
    try:
        assert reopened.recovered == []
        assert np.array_equal(reopened.load_mask(image_id), wanted)
    finally:
        reopened.close()
