"""A SmokeSeg destination under a file (``fosp dataset convert SRC notes.txt/out``, ``fosp project export
PROJECT notes.txt/out``, `write_smokeseg`) said "cannot write in notes.txt: File exists" (mkdir's words),
naming neither the file in the way nor what to do. It now says that file is a file, not a folder, before
anything is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fosp_core.cli import main
from fosp_core.data.smokeseg import SmokeSegWriteError, write_smokeseg


def test_convert_under_a_file_names_it(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "notes.txt").write_text("not a folder")
    dst = tmp_path / "notes.txt" / "sub" / "out"
    assert main(["dataset", "convert", str(demo_dir), str(dst), "--to", "smokeseg"]) == 1
    err = capsys.readouterr().err
    assert err == f"error: {dst}: {tmp_path / 'notes.txt'} is a file, not a folder; choose another folder\n", err
    assert (tmp_path / "notes.txt").read_text() == "not a folder"


def test_project_export_under_a_file_names_it(demo_dir: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture) -> None:
    from fosp_core.annotation.project import Project

    images = tmp_path / "images ü"
    shutil.copytree(demo_dir, images)
    Project.open(images, create=True).close()
    (tmp_path / "notes.txt").write_text("x")
    dst = tmp_path / "notes.txt" / "export"
    assert main(["project", "import", str(images)]) == 0
    capsys.readouterr()
    assert main(["project", "export", str(images), str(dst)]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'notes.txt'} is a file, not a folder" in err and "File exists" not in err, err


def test_write_smokeseg_under_a_file_says_so(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(SmokeSegWriteError) as caught:
        write_smokeseg([], tmp_path / "notes.txt" / "out")
    assert caught.value.reason == f"{tmp_path / 'notes.txt'} is a file, not a folder; choose another folder"
