"""A researcher's round trip on ~6 photos labelled in the app (export 0.8/0.1/0.1: 4 train, 1 val,
1 test), then the README's `fosp train small-cpu ...` line: small-cpu's batch of 8 is twice the
training images, and one val image picks the kept weights; the app's Fine-tune dialog says the
second before a run, the command line said neither."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import torch

from fosp_core.train.loop import Trainer
from tests.unit.test_train_support import make_export, tiny_config


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _said(cfg) -> str:  # noqa: ANN001
    trainer = Trainer(cfg)
    trainer.stream = io.StringIO()
    trainer.run()
    return trainer.stream.getvalue()


def test_a_batch_larger_than_the_training_images_and_one_val_image_are_said(
        demo_dir: Path, tmp_path: Path) -> None:
    export = make_export(demo_dir, tmp_path / "my-export")  # 3 train, 1 val
    data = {"root": str(tmp_path), "train": [{"path": export.name, "split": "train"}],
            "val": [{"path": export.name, "split": "val"}]}
    said = _said(tiny_config(demo_dir, tmp_path / "runs", data=data,
                             train={"iterations": 1, "batch_size": 8, "val_max_images": 1}))
    assert "train.batch_size = 8 is more than the 3 training images" in said, said
    assert "train.batch_size=3" in said  # what to set
    assert "1 validation image" in said and "my-export[val]" in said, said


def test_enough_images_say_nothing(demo_dir: Path, tmp_path: Path) -> None:
    said = _said(tiny_config(demo_dir, tmp_path / "runs", train={"iterations": 1, "batch_size": 2}))
    assert "batch_size" not in said and "validation image" not in said, said
