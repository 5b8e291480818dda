"""Masks a window saved under ``rescued/`` after a teammate took the project over go back into the
project with Import Labels of that folder (``fosp project import PROJECT PROJECT/.fosp/rescued``).
Before, their names (``<id>.<time>.<pid>.png``) matched no image: 'no mask ... is named after an
image', and the only way back was renaming each file by hand. The newest rescued mask of each image
is taken; an image edited since (by whoever took over) keeps its mask unless overwrite, and is named."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.taken_over import RESCUED_DIR
from fosp_core.cli import main
from fosp_core.io.masks import write_mask_png


def _mask(side: int) -> np.ndarray:
    mask = np.zeros((20, 30), np.uint8)
    mask[:side, :side] = 1
    return mask


def test_rescued_masks_go_back_newest_first(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    folder = tmp_path / "imgs"
    folder.mkdir()
    for name in "abc":
        cv2.imwrite(str(folder / f"{name}.jpg"), np.full((20, 30, 3), 90, np.uint8))
    with Project.open(folder) as project:
        project.save_mask("b", _mask(2), Status.EDITED)  # edited by the one who took over
    rescued = folder / ".fosp" / RESCUED_DIR
    rescued.mkdir()
    write_mask_png(rescued / "a.20261207-101500.4242.png", _mask(3))
    write_mask_png(rescued / "a.20261207-101502.4242.png", _mask(5))  # the newer save
    write_mask_png(rescued / "a.20261207-101502.4242.1.png", _mask(6))  # newer still: same second, next name
    write_mask_png(rescued / "b.20261207-101503.4242.png", _mask(4))
    assert main(["project", "import", str(folder), str(rescued)]) == 0
    out = capsys.readouterr().out
    assert "imported 1 mask(s)" in out and "skipped b: already edited" in out, out
    with Project.open(folder) as project:
        assert project.entry("a").status == Status.EDITED and int(project.load_mask("a").sum()) == 36
        assert int(project.load_mask("b").sum()) == 4
        report = project.import_labels(rescued, overwrite=True)
        assert sorted(report.imported) == ["a", "b"] and int(project.load_mask("b").sum()) == 16
