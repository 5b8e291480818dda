"""`fosp eval` of a 6-photo export's val split (1 image) titled its table '...: 1 images'."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fosp_core.cli import main
from tests.unit.test_train_support import make_export


def test_one_image_is_one_image(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = make_export(demo_dir, tmp_path / "my-export")  # val: 1 image
    (val_id,) = (export / "ImageSets" / "Segmentation" / "val.txt").read_text().split()
    predictions = tmp_path / "predictions"
    predictions.mkdir()
    shutil.copy(export / "SegmentationClass" / f"{val_id}.png", predictions / f"{val_id}.png")
    assert main(["eval", "--dataset", str(export), "--split", "val", "--predictions", str(predictions)]) == 0
    out = capsys.readouterr().out
    assert "split val: 1 image\n" in out, out
