"""A recovery log removed once the state it kept was durable (`BackgroundSaves._mask_written`) is
removed durably before a later state of the image is saved without its log: a power loss that brought
the removed log back made the next opening apply it (the last word of a log wins), so that later state
was lost (a status set outside a document: back to the commit's).

`_MasksDisk` wraps ``os.fsync``: each fsync of the project's ``masks`` folder snapshots its files (every
file there was fsynced before it was put in place: `atomic_write`, `sync_log`); a power loss leaves that
folder as the last snapshot, the rest of the project as it is (its writes here are fsynced). Linux only.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from fosp_core.annotation import tools
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import log_path
from tests.unit.crash_worker import make_images

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")

_REAL_FSYNC = os.fsync


class _MasksDisk:
    def __init__(self, masks: Path) -> None:
        self.masks = masks
        self.snapshot: dict[str, bytes] = {}

    def fsync(self, fd: int) -> None:
        _REAL_FSYNC(fd)
        if not stat.S_ISDIR(os.fstat(fd).st_mode) or os.readlink(f"/proc/self/fd/{fd}") != str(self.masks):
            return
        self.snapshot = {p.name: p.read_bytes() for p in self.masks.iterdir() if p.is_file()}

    def power_copy(self, images: Path, to: Path) -> Path:
        shutil.copytree(images, to, ignore=shutil.ignore_patterns("lock"))
        masks = to / self.masks.relative_to(images)
        shutil.rmtree(masks)
        masks.mkdir()
        for name, data in self.snapshot.items():
            (masks / name).write_bytes(data)
        return to


def test_a_status_set_after_a_background_save_survives_a_power_loss(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    images = make_images(tmp_path / "images", seed=3, count=2)
    project = Project.open(images)
    disk = _MasksDisk(project.mask_path(project.ids[0]).parent)
    monkeypatch.setattr(os, "fsync", disk.fsync)
    try:
        project.save_in_background = True
        image_id = project.ids[0]
        doc = project.open_document(image_id)
        tools.brush(doc, [(5.0, 5.0), (20.0, 20.0)], 4)  # a commit: its log, then its PNG and line
        project.finish_saves(wait=True)
        assert not log_path(project.mask_path(image_id)).exists(), "the commit is durable: its log went"
        project.set_status(image_id, "reviewed")  # outside the document: a journal line, fsynced
        copy = disk.power_copy(images, tmp_path / "power")
    finally:
        project.close()
    with Project.open(copy) as again:
        assert again.entry(image_id).status.value == "reviewed"


def test_a_removal_that_cannot_be_made_durable_fails_the_status_change(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from fosp_core.annotation.entries import ProjectSaveError

    images = make_images(tmp_path / "images", seed=3, count=2)
    with Project.open(images) as project:
        project.save_in_background = True
        image_id = project.ids[0]
        masks = str(project.mask_path(image_id).parent)
        doc = project.open_document(image_id)
        tools.brush(doc, [(5.0, 5.0), (20.0, 20.0)], 4)
        project.finish_saves(wait=True)

        def fsync(fd: int) -> None:
            if stat.S_ISDIR(os.fstat(fd).st_mode) and os.readlink(f"/proc/self/fd/{fd}") == masks:
                raise OSError(errno.EIO, "Input/output error")
            _REAL_FSYNC(fd)

        monkeypatch.setattr(os, "fsync", fsync)
        with pytest.raises(ProjectSaveError, match="removal durable"):
            project.set_status(image_id, "reviewed")
        assert project.entry(image_id).status.value == "edited"  # nothing written
        monkeypatch.setattr(os, "fsync", _REAL_FSYNC)
        project.set_status(image_id, "reviewed")  # healed: the fsync tried again
        assert project.entry(image_id).status.value == "reviewed"
