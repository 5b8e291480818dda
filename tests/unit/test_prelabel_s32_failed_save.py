"""A pre-label stamps the image it makes a mask for (its worklist summary under `MODEL_KEY` and the mask's
mark, `MASK_MODEL_KEY`) before the save, so that the save's intent line carries them (a kill right after
the PNG keeps the mark: `test_prelabel_replace_kills`). A save that raised (disk full, permissions) left
them all the same: an image with no mask, "unlabeled", whose entry said this model wrote its mask and
held the model's summary, in memory and - through the intent line and the next write of the state - on
disk after reopening. Now a save that raises puts the entry's summary and mark back as they were (and
journals that state): the stamp is kept only where the save took."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ProjectSaveError
from fosp_core.annotation.prelabel import MASK_MODEL_KEY, MODEL_KEY, ModelStamp, prelabel
from fosp_core.annotation.project import Project

OLD, NEW = ModelStamp("0123456789abcdef", 0.15, 0.5, "plain"), ModelStamp("fedcba9876543210", 0.15, 0.5, "plain")


def _right(rgb: np.ndarray) -> np.ndarray:
    prob = np.zeros(rgb.shape[:2], np.float32)
    prob[:, rgb.shape[1] // 2:] = 0.9
    return prob


def _left(rgb: np.ndarray) -> np.ndarray:
    return _right(rgb)[:, ::-1].copy()


def _failing_second_save(project: Project, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Project.save_mask raising ProjectSaveError at its second call; returns the ids it was asked for."""
    real, asked = project.save_mask, []

    def save(image_id: str, mask: np.ndarray, status: Status | str | None = None) -> None:
        asked.append(image_id)
        if len(asked) == 2:
            raise ProjectSaveError(project.mask_path(image_id), "disk full (test)")
        real(image_id, mask, status)

    monkeypatch.setattr(project, "save_mask", save)
    return asked


def _folder(demo_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    images, location = tmp_path / "images", tmp_path / "project"
    shutil.copytree(demo_dir / "JPEGImages", images)
    return images, location


def test_a_failed_save_leaves_a_new_image_unstamped(demo_dir: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    images, location = _folder(demo_dir, tmp_path)
    with Project.open(images, location) as project:
        asked = _failing_second_save(project, monkeypatch)
        with pytest.raises(ProjectSaveError):
            prelabel(project, _right, NEW)
        saved, failed = project.entry(asked[0]), project.entry(asked[1])
        assert saved.status == Status.PREDICTED and MASK_MODEL_KEY in saved.extra  # the save that took: stamped
        assert failed.status == Status.UNLABELED and not project.mask_path(failed.id).exists()
        assert MASK_MODEL_KEY not in failed.extra, failed.extra  # was the model's mark of a mask never saved
        assert failed.prediction is None, failed.prediction  # was the model's summary
    with Project.open(images, location) as project:  # and on disk
        failed = project.entry(asked[1])
        assert MASK_MODEL_KEY not in failed.extra and failed.prediction is None, (failed.extra, failed.prediction)
        assert MASK_MODEL_KEY in project.entry(asked[0]).extra


def test_a_failed_replacing_save_keeps_the_older_models_stamp(demo_dir: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    images, location = _folder(demo_dir, tmp_path)
    with Project.open(images, location) as project:
        prelabel(project, _left, OLD)
        before = {e.id: (e.extra[MASK_MODEL_KEY], e.prediction) for e in project.entries}
        asked = _failing_second_save(project, monkeypatch)
        with pytest.raises(ProjectSaveError):
            prelabel(project, _right, NEW, replace_predicted=True)
        failed = project.entry(asked[1])
        assert (failed.extra[MASK_MODEL_KEY], failed.prediction) == before[failed.id]
        assert failed.prediction[MODEL_KEY]["checkpoint"] == OLD.checkpoint
    with Project.open(images, location) as project:
        failed = project.entry(asked[1])
        assert (failed.extra[MASK_MODEL_KEY], failed.prediction) == before[failed.id]
        assert project.entry(asked[0]).extra[MASK_MODEL_KEY]["checkpoint"] == NEW.checkpoint
