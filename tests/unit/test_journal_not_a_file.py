"""A journal (``changes.jsonl``) that is there but no file to read: a symbolic link leading nowhere (its
drive not mounted) was read as no journal: the project opened without the saves in it (its images shown
as before them, to be done again) and each save failed with "cannot write: No such file or directory". A
folder named so stopped the opening with "cannot read: Is a directory". Both now refuse the opening, saying
what is there and what to do, and touch nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ProjectError
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_files import JOURNAL_FILE


def _project_with_a_journal(tmp_path: Path) -> tuple[Path, Path]:
    """(images, project folder): image "a" REVIEWED in the journal only (a crash's: not folded)."""
    images = tmp_path / "images"
    images.mkdir()
    for name in "ab":
        assert cv2.imwrite(str(images / f"{name}.jpg"), np.full((8, 8, 3), 90, np.uint8))
    location = tmp_path / "project"
    Project.open(images, location).close()
    project = Project.open(images, location)
    project.set_status("a", Status.REVIEWED)
    shutil.copytree(location, tmp_path / "copy")
    project.close()
    (tmp_path / "copy" / "lock").unlink()
    return images, tmp_path / "copy"


@pytest.mark.parametrize("create", [True, False], ids=["app", "cli"])
def test_a_journal_link_leading_nowhere_is_refused_and_kept(tmp_path: Path, create: bool) -> None:
    images, location = _project_with_a_journal(tmp_path)
    drive = tmp_path / "drive"
    drive.mkdir()
    shutil.move(location / JOURNAL_FILE, drive / JOURNAL_FILE)
    (location / JOURNAL_FILE).symlink_to(drive / JOURNAL_FILE)
    shutil.move(drive, tmp_path / "unmounted")
    with pytest.raises(ProjectError, match="symbolic link to .*which does not exist"):
        Project.open(images, location, create=create)
    assert (location / JOURNAL_FILE).is_symlink()
    shutil.move(tmp_path / "unmounted", drive)
    with Project.open(images, location) as project:
        assert project.entry("a").status == Status.REVIEWED


def test_a_folder_named_as_the_journal_is_refused_plainly(tmp_path: Path) -> None:
    images, location = _project_with_a_journal(tmp_path)
    (location / JOURNAL_FILE).unlink()
    (location / JOURNAL_FILE).mkdir()
    with pytest.raises(ProjectError, match="is a folder, not the project's journal"):
        Project.open(images, location)
