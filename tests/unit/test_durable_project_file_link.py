"""A ``project.json`` that is there but no file to read: a symbolic link leading nowhere (its drive not
mounted, its folder moved) or a folder. The app's opening took it for a deleted ``project.json`` and made a
new project over it: every image unlabeled again (reviews, edits and imports forgotten, their masks beside
"unlabeled"), the link replaced by the new file, so the state was not back even once the drive was. ``fosp
project`` said "no annotation project here". Both now refuse, saying what is there and what to do, and
touch nothing; a link to a file that is there is read through, as before."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ProjectError
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_files import PROJECT_FILE


def _project(tmp_path: Path) -> tuple[Path, Path]:
    """(images, project folder) with image "a" REVIEWED, its state in ``project.json``."""
    images = tmp_path / "images"
    images.mkdir()
    for name in "abc":
        assert cv2.imwrite(str(images / f"{name}.jpg"), np.full((8, 8, 3), 90, np.uint8))
    location = tmp_path / "project"
    with Project.open(images, location) as project:
        project.save_mask("a", np.ones((8, 8), np.uint8), Status.REVIEWED)
        project.write_state()
    return images, location


def _linked_away(tmp_path: Path, location: Path) -> Path:
    """``project.json`` moved to a drive and linked to; the drive then gone. Returns where it was."""
    drive = tmp_path / "drive"
    drive.mkdir()
    shutil.move(location / PROJECT_FILE, drive / PROJECT_FILE)
    (location / PROJECT_FILE).symlink_to(drive / PROJECT_FILE)
    shutil.move(drive, tmp_path / "unmounted")
    return drive


@pytest.mark.parametrize("create", [True, False], ids=["app", "cli"])
def test_a_link_leading_nowhere_is_refused_and_kept(tmp_path: Path, create: bool) -> None:
    images, location = _project(tmp_path)
    drive = _linked_away(tmp_path, location)
    with pytest.raises(ProjectError, match="symbolic link to .*which does not exist") as raised:
        Project.open(images, location, create=create)
    assert str(drive / PROJECT_FILE) in raised.value.reason
    assert (location / PROJECT_FILE).is_symlink()  # not replaced by a new project
    shutil.move(tmp_path / "unmounted", drive)  # the drive is back: so is the project
    with Project.open(images, location) as project:
        assert project.entry("a").status == Status.REVIEWED


def test_opening_the_project_folder_itself_with_such_a_link_is_refused(tmp_path: Path) -> None:
    """The project folder opened as the source (no location): not taken for a folder of images."""
    _images, location = _project(tmp_path)
    _linked_away(tmp_path, location)
    with pytest.raises(ProjectError, match="symbolic link"):
        Project.open(location)
    assert not (location / ".fosp").exists()


def test_a_folder_named_project_json_is_refused_plainly(tmp_path: Path) -> None:
    images, location = _project(tmp_path)
    shutil.move(location / PROJECT_FILE, tmp_path / "kept.json")
    (location / PROJECT_FILE).mkdir()
    with pytest.raises(ProjectError, match="is a folder, not the project's file"):
        Project.open(images, location)
    assert (location / PROJECT_FILE).is_dir()


def test_a_link_to_a_file_that_is_there_is_read_through(tmp_path: Path) -> None:
    images, location = _project(tmp_path)
    drive = _linked_away(tmp_path, location)
    shutil.move(tmp_path / "unmounted", drive)
    with Project.open(images, location) as project:
        assert project.entry("a").status == Status.REVIEWED
