"""`fosp project status` after an image file was renamed (or moved, deleted) on disk: it listed the
project's images as if all were there; the export then left the image out ("image missing"), its
mask with it, a surprise at the end. Status now names the images whose file is not found, in its
text and in --json (missing_images)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fosp_core.annotation.project import Project
from fosp_core.cli import main


def test_status_names_an_image_whose_file_is_gone(demo_dir: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "demo"
    shutil.copytree(demo_dir, root)
    with Project.open(root) as project:
        moved = project.ids[1]
        path = project.image_path(moved)
    capsys.readouterr()
    assert main(["project", "status", str(root), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["missing_images"] == []
    path.rename(path.with_name("renamed.jpg"))
    assert main(["project", "status", str(root)]) == 0
    out = capsys.readouterr().out
    assert "note: 1 image file(s) not found" in out and str(path) in out
    assert main(["project", "status", str(root), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["missing_images"] == [moved]
