"""`fosp project prelabel`'s last line counts as the app's Pre-label All line does: "1 image", "was left
alone" for one, and no "0 already had a mask" clause when none had one. The retrain sweep's run on a
2-photo project printed "pre-labelled 1 images (status predicted); 1 already had a mask and were left
alone"."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import torch

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.cli import main
from tests.unit.test_train_support import save_tiny_checkpoint


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _prelabel(demo_dir: Path, tmp_path: Path, masked: int, capsys: pytest.CaptureFixture[str]) -> str:
    photos = tmp_path / "photos"
    photos.mkdir()
    for image in sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:2]:
        shutil.copyfile(image, photos / image.name)
    with Project.open(photos) as project:
        for image_id in project.ids[:masked]:
            project.save_mask(image_id, np.zeros((512, 512), np.uint8), Status.REVIEWED)
    checkpoint = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    capsys.readouterr()
    assert main(["project", "prelabel", str(photos), "--checkpoint", str(checkpoint), "--input-size", "64",
                 "--device", "cpu"]) == 0
    return capsys.readouterr().out.strip().splitlines()[-1]


def test_one_of_each_is_singular(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _prelabel(demo_dir, tmp_path, 1, capsys) == (
        "pre-labelled 1 image (status predicted); 1 already had a mask and was left alone")


def test_none_masked_is_not_said(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _prelabel(demo_dir, tmp_path, 0, capsys) == "pre-labelled 2 images (status predicted)"
