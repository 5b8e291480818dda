"""`fosp project import` from a folder where no mask is named after a project image: it said
"imported 0 mask(s)" and exited 0, as if the labels had been taken; it now says nothing matched,
how masks are matched, and exits 3 (nothing to do)."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np

from fosp_core.annotation.project import Project
from fosp_core.cli import main


def test_import_with_no_matching_mask_says_so_and_exits_3(demo_dir: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    images = tmp_path / "photos"
    shutil.copytree(demo_dir / "JPEGImages", images)
    Project.open(images, tmp_path / "project").close()
    masks = tmp_path / "masks"
    masks.mkdir()
    cv2.imwrite(str(masks / "not-an-image-of-the-project.png"), np.zeros((8, 8), np.uint8))
    capsys.readouterr()
    assert main(["project", "import", str(tmp_path / "project"), str(masks)]) == 3
    err = capsys.readouterr().err
    assert "no mask" in err and str(masks) in err
    stem = sorted(images.iterdir())[0].stem
    assert f"{stem}.png" in err  # how a mask is named to match
