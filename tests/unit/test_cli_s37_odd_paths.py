"""`fosp project` given a file where a folder is wanted (session 37, helper N3, as a new user).

``fosp project status photo.jpg`` (or any file) said "no annotation project ...; to make it without the app:
fosp project init photo.jpg", a command that is refused ("not a folder"): now it says a project belongs to a
folder and names the file's folder, exit 2. ``fosp project import PROJECT mask.png`` (one mask file, or any
file that is no labelme/COCO/CVAT file) said "not a folder" and exited 1, as if an input had failed: it is
not what the command reads (exit 2, README's table), and it now says which files it reads and that masks
come from their folder."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest

from fosp_core.annotation.project import Project
from fosp_core.cli import ExitCode, main


@pytest.mark.parametrize("action", ["status", "prelabel", "export"])
def test_a_file_as_project_names_its_folder(tmp_path: Path, demo_dir: Path, action: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    photos = Path(shutil.copytree(demo_dir / "JPEGImages", tmp_path / "photos"))
    photo = sorted(photos.iterdir())[0]
    argv = ["project", action, str(photo)] + ([str(tmp_path / "out")] if action == "export" else [])
    assert main(argv) == ExitCode.USAGE
    err = " ".join(capsys.readouterr().err.split())
    assert f"fosp project init {shlex.quote(str(photo))}" not in err, err  # was: advice that is refused
    assert f"{photo}: a file, not a folder" in err and f"name that folder: {photos}" in err, err
    assert not (photos / ".fosp").exists()


def test_one_mask_file_as_source_says_masks_come_from_their_folder(tmp_path: Path, demo_dir: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    photos = Path(shutil.copytree(demo_dir / "JPEGImages", tmp_path / "photos"))
    masks = Path(shutil.copytree(demo_dir / "SegmentationClass", tmp_path / "masks"))
    Project.open(photos).close()
    one = sorted(masks.iterdir())[0]
    capsys.readouterr()
    assert main(["project", "import", str(photos), str(one)]) == ExitCode.USAGE  # was 1, "not a folder"
    err = " ".join(capsys.readouterr().err.split())
    assert "labelme" in err and "COCO" in err and "CVAT" in err, err
    assert f"fosp project import {shlex.quote(str(photos))} {shlex.quote(str(masks))}" in err, err
    notes = tmp_path / "notes.txt"
    notes.write_text("hi")
    assert main(["project", "import", str(photos), str(notes)]) == ExitCode.USAGE
    assert f"{notes}: a file, but not a labels file" in " ".join(capsys.readouterr().err.split())
