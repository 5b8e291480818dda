"""An output path whose folder is a FILE (`fosp eval --per-image afile/x.csv`, `afile` a file): the
check before the work said "cannot write it: File exists" (mkdir's error), which names neither the file
in the way nor what to do. It now says that `afile` is a file, not a folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.cli import output_file_problem


@pytest.mark.parametrize("under", ["x.csv", "sub/x.csv", "sub/deeper/x.csv"])
def test_a_parent_that_is_a_file_is_named(tmp_path: Path, under: str) -> None:
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    path = afile / under
    problem = output_file_problem(path, f"--per-image {path}", "per_image.csv")
    assert problem is not None
    assert problem.startswith(f"--per-image {path}: ")
    assert f"{afile} is a file, not a folder" in problem
    assert "File exists" not in problem and "Not a directory" not in problem
    assert afile.read_text() == "not a folder"  # left as it was


def test_a_writable_path_under_new_folders_is_fine(tmp_path: Path) -> None:
    assert output_file_problem(tmp_path / "a" / "b" / "x.csv", "--per-image x.csv") is None
    assert (tmp_path / "a" / "b").is_dir()


def test_a_folder_named_as_the_file_still_says_so(tmp_path: Path) -> None:
    problem = output_file_problem(tmp_path, f"--json {tmp_path}")
    assert problem is not None and "is a folder; name the file" in problem
