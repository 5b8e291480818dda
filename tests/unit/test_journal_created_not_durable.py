"""A journal created while its folder's fsync fails (EIO) is in place, its first line told as not
durable (`NotDurableSaveError`); every later line appended to it is as little durable (the journal's
entry in the folder may be gone after a power loss) until a fsync of the folder works. They were
reported saved: a power loss then lost them, the app counting them saved.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.mask_writes import NotDurableSaveError
from fosp_core.annotation.project import Project
from tests.unit.crash_worker import make_images
from tests.unit.settle_disk import Disk

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")


def test_lines_after_a_journal_created_not_durable_are_told_until_the_folder_fsync_works(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    disk = Disk()
    monkeypatch.setattr(os, "fsync", disk.fsync)
    images = make_images(tmp_path / "images", seed=6, count=3)
    with Project.open(images) as project:
        first, second, third = project.ids
        project.write_state()  # no journal: the next line creates it
        disk.fail_folder = project.folder
        with pytest.raises(NotDurableSaveError):
            project.set_status(first, Status.REVIEWED)  # the journal created, its entry not durable
        told = False
        try:
            project.set_status(second, Status.REVIEWED)
        except NotDurableSaveError:
            told = True
        with Project.open(disk.crash_copy(images, tmp_path / "power", "power")) as again:
            lost = again.entry(second).status is not Status.REVIEWED
        assert told or not lost, "a line reported durable was lost by a power loss"
        assert told
        disk.fail_folder = None
        project.set_status(third, Status.REVIEWED)  # the folder fsync works again: durable, not told
    with Project.open(disk.crash_copy(images, tmp_path / "healed", "power")) as again:
        assert [again.entry(i).status for i in (first, second, third)] == [Status.REVIEWED] * 3
