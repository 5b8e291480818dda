"""A save whose journal fsync failed keeps its image's recovery log until a durable line says its state
(`BackgroundSaves.status_made_durable`). A status set from the list (`Project.set_status`, which
appends a status record to that log) and then a status save (`save_document` of the unchanged document,
as a let-go or a window close does) left the log for good: two records since the failed line read as
"a later commit", though both were statuses and the mask file holds every pixel. The next opening then
said "Recovered the last edits of ..." with nothing lost. Status records do not keep the log; a later
pixel commit still does (`test_journal_fsync_failed_later_commit_kept.py`)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import log_path
from tests.unit.disk_project import disk_project

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="settle_disk reads /proc/self/fd")


def test_a_status_from_the_list_then_a_status_save_lets_the_log_go(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    disk, images, project, image_id = disk_project(tmp_path, monkeypatch, seed=7)
    try:
        doc = project.open_document(image_id)
        disk.fail_journal = True  # the save thread's journal fsync fails: the image is unsynced, its log kept
        tools.brush(doc, [(5.0, 5.0), (15.0, 20.0)], 3)
        project.finish_saves(wait=True)
        assert disk.failed >= 1 and project.unsynced_images() == [image_id]
        disk.fail_journal = False
        wanted = doc.mask.copy()
        project.set_status(image_id, Status.REVIEWED)  # from the list: a status record in the log, a line
        assert not project.is_saved(doc)  # its line's fsync failed, and nothing saved it since
        project.save_document(doc)  # the status save of a let-go: a durable line over the mask file
        assert project.is_saved(doc)
        assert not log_path(project.mask_path(image_id)).exists(), "the log stayed with nothing in it to keep"
    finally:
        project.close()
    reopened = Project.open(images)
    try:
        assert reopened.recovered == []
        assert np.array_equal(reopened.load_mask(image_id), wanted)
        assert reopened.entry(image_id).status == Status.EDITED  # the document's, saved last
    finally:
        reopened.close()
