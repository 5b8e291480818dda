"""A save whose journal fsync failed, saved again as a status line (`Project.save_document` over a mask
file that holds the mask: `BackgroundSaves.status_made_durable` removes its recovery log, 39ffd3a): a
power loss (`settle_disk.Disk.crash_copy`) right after that save, or after the project closed, shows the
last commit's mask and status - the log's removal not yet durable brings the log back whole (its status
record fsynced), and the mask file and the status line are durable before the log goes. Also a document
opened again (the log applied over the file) and the status changed from the list between."""

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
from tests.unit.settle_disk import Disk

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="settle_disk reads /proc/self/fd")


def _state(disk: Disk, images: Path, to: Path, image_id: str) -> tuple[np.ndarray | None, str, list[str]]:
    with Project.open(disk.crash_copy(images, to, "power")) as again:
        return again.load_mask(image_id), again.entry(image_id).status.value, list(again.recovered)


@pytest.mark.parametrize("how", ["live", "opened again", "reviewed from the list"])
def test_a_power_loss_after_the_status_save_keeps_the_last_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   how: str) -> None:
    disk, images, project, image_id = disk_project(tmp_path, monkeypatch, seed=3)
    closed = False
    try:
        doc = project.open_document(image_id)
        tools.brush(doc, [(5.0, 5.0), (15.0, 20.0)], 3)
        project.finish_saves(wait=True)
        disk.fail_journal = True
        tools.ignore_brush(doc, [(20.0, 20.0), (30.0, 30.0)], 2)
        project.finish_saves(wait=True)
        assert project.unsynced_images() == [image_id]
        disk.fail_journal = False
        if how != "live":
            doc = project.open_document(image_id)
        if how == "reviewed from the list":
            project.set_status(image_id, Status.REVIEWED)
            doc = project.open_document(image_id)
        mask, status = doc.mask.copy(), doc.status.value
        project.save_document(doc)
        # after a status set from the list (a second status record) the log may stay: nothing lost either way
        assert how == "reviewed from the list" or not log_path(project.mask_path(image_id)).exists()
        got = _state(disk, images, tmp_path / "power1", image_id)
        assert np.array_equal(got[0], mask) and got[1] == status, (how, got[1], status)
        project.close()
        closed = True
        got = _state(disk, images, tmp_path / "power2", image_id)
        assert np.array_equal(got[0], mask) and got[1] == status, (how, got[1], status)
    finally:
        if not closed:
            project.close()
