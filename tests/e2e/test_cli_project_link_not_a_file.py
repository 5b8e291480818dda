"""`fosp project ...` on a project whose ``project.json`` is there but no file to read - a symbolic link that
leads nowhere (its drive not mounted, its folder moved) or a folder named project.json - says what is there
and what to do (`fosp_core.io.links.not_a_file_reason`, which `Project.open` raises since ca59fa2/fe0e0cb)
and exits FAILED, touching nothing. The command line's own pre-check (`fosp_core.cli.project_opening`) looked
for it with ``is_file()`` and said "no annotation project (open the images in the app first)" instead: the
advice that, followed, would make a new project over the old one's state."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_files import PROJECT_DIR, PROJECT_FILE
from fosp_core.cli import main
from fosp_core.cli.exit_codes import ExitCode


def _images(tmp_path: Path) -> Path:
    """A folder of three images with its project beside them (``.fosp``), image "a" reviewed."""
    images = tmp_path / "images"
    images.mkdir()
    for name in "abc":
        assert cv2.imwrite(str(images / f"{name}.jpg"), np.full((8, 8, 3), 90, np.uint8))
    with Project.open(images) as project:
        project.save_mask("a", np.ones((8, 8), np.uint8), Status.REVIEWED)
        project.write_state()
    assert (images / PROJECT_DIR / PROJECT_FILE).is_file()
    return images


def _link_leading_nowhere(tmp_path: Path, project_file: Path) -> None:
    drive = tmp_path / "drive"
    drive.mkdir()
    shutil.move(project_file, drive / PROJECT_FILE)
    project_file.symlink_to(drive / PROJECT_FILE)
    shutil.move(drive, tmp_path / "unmounted")


def _folder_named_so(tmp_path: Path, project_file: Path) -> None:
    shutil.move(project_file, tmp_path / "kept.json")
    project_file.mkdir()


@pytest.mark.parametrize("given", ["images", "project folder"])
@pytest.mark.parametrize(("make", "said"), [(_link_leading_nowhere, "is a symbolic link to "),
                                            (_folder_named_so, "is a folder, not the project's file")],
                         ids=["dangling link", "folder"])
@pytest.mark.parametrize("command", ["status", "export"])
def test_project_json_not_a_file_is_said_as_such(tmp_path: Path, capsys: pytest.CaptureFixture[str], given: str,
                                                 make, said: str, command: str) -> None:
    images = _images(tmp_path)
    project_file = images / PROJECT_DIR / PROJECT_FILE
    make(tmp_path, project_file)
    path = images if given == "images" else images / PROJECT_DIR
    argv = ["project", command, str(path)] + ([str(tmp_path / "out")] if command == "export" else [])
    assert main(argv) == ExitCode.FAILED
    err = capsys.readouterr().err
    assert said in err and str(project_file) in err, err
    assert "no annotation project" not in err
    assert os.path.lexists(project_file) and not project_file.is_file()  # left as it was: no new project
    assert not (tmp_path / "out").exists()


def test_no_project_at_all_is_still_said_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    images = _images(tmp_path)
    shutil.rmtree(images / PROJECT_DIR)
    assert main(["project", "status", str(images)]) == ExitCode.USAGE
    assert "no annotation project (open the images in the app first)" in capsys.readouterr().err
    assert not (images / PROJECT_DIR).exists()
