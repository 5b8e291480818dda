"""File ▸ Open Image on one real SMOKE5K image, then the dataset: one project, the mask painted on the image
alone shown with the dataset (before: the image alone made a project of ``img/``, the dataset another)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status

from .annotation_helpers import open_and_wait
from .conftest import WindowFactory

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "smoke5k-train"


@pytest.mark.skipif(not SHARED.is_dir(), reason="the SMOKE5K samples (../shared/data/smoke5k-train) are not here")
def test_smoke5k_s35_one_image_opened_then_its_dataset_show_the_same_project(
        qtbot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("HOME", os.fspath(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", os.fspath(tmp_path / "cache"))
    root = tmp_path / "smoke5k-train"
    names = sorted(p.stem for p in (SHARED / "gt").iterdir())[:3]
    for name in names:
        for sub, ext in (("img", ".jpg"), ("gt", ".png")):
            (root / sub).mkdir(parents=True, exist_ok=True)
            shutil.copy(SHARED / sub / f"{name}{ext}", root / sub / f"{name}{ext}")
    window = make_window(show=True)
    controller = window.annotation.controller
    controller.registry.projects_root = tmp_path / "projects"
    image = root / "img" / f"{names[1]}.jpg"
    open_and_wait(qtbot, window, image)
    project, image_id = controller.registry.lookup(image)
    assert project.header["source"]["kind"] == "smoke5k", "the dataset's project, not img/'s"
    assert image_id == names[1] and project.ids == names
    doc = controller.document
    mask = np.zeros(doc.mask.shape, np.uint8)
    mask[10:40, 20:60] = 1
    project.save_mask(image_id, mask, Status.EDITED)
    open_and_wait(qtbot, window, root)
    assert window.opener.wait(30)
    again, again_id = controller.registry.lookup(image)
    assert again is project and again_id == image_id and len(os.listdir(tmp_path / "projects")) == 1
    assert np.array_equal(again.load_mask(image_id), mask)
