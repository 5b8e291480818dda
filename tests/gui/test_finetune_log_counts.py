"""The Fine-tune log's first line on a 6-photo export (4 train, 1 val) read 'starting ...: 4 training
images, 1 validation images'. Qt-free."""

from __future__ import annotations

from pathlib import Path

from app.training.messages import start_lines
from fosp_core.train.config import Config
from fosp_core.train.finetune import FineTunePlan


def _plan(tmp_path: Path, train: int, val: int) -> FineTunePlan:
    run = tmp_path / "finetune-x"
    return FineTunePlan(Config(), run, run / "recipe.toml", run / "finetune-x.safetensors", train_images=train,
                        val_images=val)


def test_one_image_is_one_image(tmp_path: Path) -> None:
    assert start_lines(_plan(tmp_path, 4, 1), "") == ["starting finetune-x: 4 training images, 1 validation image"]
    assert start_lines(_plan(tmp_path, 1, 2), "") == ["starting finetune-x: 1 training image, 2 validation images"]
