"""Ctrl+C while a fine-tune validates its starting weights (iteration 0; minutes on a large val
split) printed only 'interrupted', and the same command with --resume then failed with 'nothing
to resume': the run now says that nothing was saved and that the same command starts it again."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import torch

from fosp_core.train.loop import Trainer
from fosp_core.train.signals import RESUME_HINT_ENV
from tests.unit.test_train_support import tiny_config


def _interrupted_at_start(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    torch.set_num_threads(1)
    cfg = tiny_config(demo_dir, tmp_path, data={"val": [{"path": demo_dir.name}]},
                      train={"iterations": 4, "val_at_start": True, "val_max_images": 1})
    trainer = Trainer(cfg)
    trainer.stream = io.StringIO()

    def ctrl_c() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(trainer, "validate_now", ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        trainer.run()
    assert not (trainer.run_dir / "last.pt").exists()
    return trainer.stream.getvalue()


def test_ctrl_c_before_any_state_says_to_start_again(demo_dir: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(RESUME_HINT_ENV, raising=False)
    said = _interrupted_at_start(demo_dir, tmp_path, monkeypatch)
    assert "interrupted before the first iteration: nothing saved" in said, said
    assert "run the same command again (without --resume)" in said, said


def test_the_app_says_it_its_own_way(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(RESUME_HINT_ENV, "press Resume")  # the Fine-tune dialog's process
    said = _interrupted_at_start(demo_dir, tmp_path, monkeypatch)
    assert "interrupted before the first iteration: nothing saved" in said
    assert "--resume" not in said, said  # its status says 'Start begins a run again' (app/training/outcome.py)
