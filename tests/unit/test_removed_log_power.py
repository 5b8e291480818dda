"""A recovery log removed once the state it kept was durable (`BackgroundSaves._mask_written`) is
removed durably before a later state of the image is saved without its log: a power loss that brought
the removed log back made the next opening apply it (the last word of a log wins), so that later state
was lost (a status set outside a document: back to the commit's).

`MasksFolderDisk` (`tests.unit.power_loss`) keeps what the fsyncs of the project's ``masks`` folder made
durable; a power loss leaves that folder as the last snapshot, the rest of the project as it is (its
writes here are fsynced). Linux only.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from fosp_core.annotation import tools
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import log_path
from tests.unit.crash_worker import make_images
from tests.unit.power_loss import MasksFolderDisk, failing_fsync

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")

def _stroke_saved(project: Project) -> str:
    """A stroke on the project's first image saved in the background (a commit: its log, then its PNG
    and journal line; the log removed once they are durable); that image's id."""
    project.save_in_background = True
    image_id = project.ids[0]
    tools.brush(project.open_document(image_id), [(5.0, 5.0), (20.0, 20.0)], 4)
    project.finish_saves(wait=True)
    return image_id


def test_a_status_set_after_a_background_save_survives_a_power_loss(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    images = make_images(tmp_path / "images", seed=3, count=2)
    project = Project.open(images)
    disk = MasksFolderDisk(project.mask_path(project.ids[0]).parent)
    monkeypatch.setattr(os, "fsync", disk.fsync)
    try:
        image_id = _stroke_saved(project)
        assert not log_path(project.mask_path(image_id)).exists(), "the commit is durable: its log went"
        project.set_status(image_id, "reviewed")  # outside the document: a journal line, fsynced
        copy = disk.power_copy(images, tmp_path / "power", skip=("lock",))
    finally:
        project.close()
    with Project.open(copy) as again:
        assert again.entry(image_id).status.value == "reviewed"


def test_a_removal_that_cannot_be_made_durable_fails_the_status_change(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from fosp_core.annotation.entries import ProjectSaveError

    images = make_images(tmp_path / "images", seed=3, count=2)
    with Project.open(images) as project:
        image_id = _stroke_saved(project)
        real = os.fsync
        monkeypatch.setattr(os, "fsync", failing_fsync(project.mask_path(image_id).parent))
        with pytest.raises(ProjectSaveError, match="removal durable"):
            project.set_status(image_id, "reviewed")
        assert project.entry(image_id).status.value == "edited"  # nothing written
        monkeypatch.setattr(os, "fsync", real)
        project.set_status(image_id, "reviewed")  # healed: the fsync tried again
        assert project.entry(image_id).status.value == "reviewed"
