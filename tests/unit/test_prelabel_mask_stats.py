"""`fosp_core.annotation.prelabel.prelabel` looks for each unlabeled image's mask file once (`prelabel_todo`):
which images it replaces follows from their status (an image in the list with a mask is a model-only
one, status predicted; one with no mask yet is unlabeled), not from a second look at each file."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.prelabel import ModelStamp, prelabel
from fosp_core.annotation.project import Project

STAMP = ModelStamp("0123456789abcdef", 0.15, 0.5, "plain")


def _half(rgb: np.ndarray) -> np.ndarray:
    prob = np.zeros(rgb.shape[:2], np.float32)
    prob[:, : rgb.shape[1] // 2] = 0.9
    return prob


@pytest.mark.parametrize("replace", [False, True])
def test_each_unlabeled_images_mask_file_is_looked_for_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             replace: bool) -> None:
    images = tmp_path / "images"
    images.mkdir()
    for i in range(6):
        assert cv2.imwrite(str(images / f"im{i}.png"), np.full((8, 10, 3), 40 * i, np.uint8))
    with Project.open(images, tmp_path / "project") as project:
        project.save_mask("im0", np.ones((8, 10), np.uint8), Status.PREDICTED)  # a model-only mask
        project.save_mask("im1", np.ones((8, 10), np.uint8), Status.EDITED)
        masks = project.folder / "masks"
        looked: list[str] = []
        exists = Path.exists

        def counted(self: Path) -> bool:
            if self.parent == masks and self.suffix == ".png":
                looked.append(self.stem)
            return exists(self)

        monkeypatch.setattr(Path, "exists", counted)
        report = prelabel(project, _half, STAMP, replace_predicted=replace)
        monkeypatch.undo()
        assert sorted(looked) == ["im2", "im3", "im4", "im5"]  # the unlabeled ones, once each
        assert report.replaced == (["im0"] if replace else [])
        assert sorted(report.imported) == (["im0"] if replace else []) + ["im2", "im3", "im4", "im5"]
        assert report.new == 4
