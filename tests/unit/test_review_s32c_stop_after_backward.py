"""Review of c6592a65 (a stop inside a step's forward or backward puts back the buffers and RNG states, so
the saved state resumes exactly): the step's last piece before the update - the all-ranks look at whether
the loss was finite (`dist_utils.all_mean`, a collective that waits for the slowest rank) - stood outside
both the put-back and the held-back update, so a stop there saved the BatchNorm statistics and RNG states
the aborted step had moved. The look is now inside the put-back. The stop is raised from inside it (no
timing)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch

from fosp_core.train import step as step_module
from fosp_core.train.loop import Trainer
from fosp_core.train.state import load_state
from tests.unit.test_train_support import tiny_config


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def test_a_stop_in_the_finite_check_resumes_exactly(demo_dir: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    straight = tiny_config(demo_dir, tmp_path / "a", train={"iterations": 4, "save_every": 0})
    first = Trainer(straight)
    real_straight_loss = first.task.loss

    def straight_drawing(model, x, y, key):  # noqa: ANN001, ANN202
        torch.rand(3)
        return real_straight_loss(model, x, y, key)

    monkeypatch.setattr(first.task, "loss", straight_drawing)
    first.run()

    split = tiny_config(demo_dir, tmp_path / "b", train={"iterations": 4, "save_every": 0})
    trainer = Trainer(split)
    real_loss = trainer.task.loss

    def loss_drawing(model, x, y, key):  # noqa: ANN001, ANN202
        torch.rand(3)  # a draw, as drop path or a loss sampling its pixels makes (the tiny model makes none)
        return real_loss(model, x, y, key)

    monkeypatch.setattr(trainer.task, "loss", loss_drawing)
    real_all_mean = step_module.dist_utils.all_mean

    def all_mean_then_stop(value: torch.Tensor) -> torch.Tensor:
        if trainer.iteration == 2 and sys._getframe(1).f_code.co_name == "optimizer_step":  # not the log's means
            raise KeyboardInterrupt
        return real_all_mean(value)

    monkeypatch.setattr(step_module.dist_utils, "all_mean", all_mean_then_stop)
    with pytest.raises(KeyboardInterrupt):
        trainer.run()
    assert load_state(split.run_dir() / "last.pt")["iteration"] == 2
    monkeypatch.setattr(step_module.dist_utils, "all_mean", real_all_mean)
    torch.manual_seed(12345)  # disturb the global RNG: resume restores it
    resumed = Trainer(split, resume=True)
    monkeypatch.setattr(resumed.task, "loss", loss_drawing)
    assert resumed.run().iteration == 4
    a = load_state(straight.run_dir() / "last.pt")["model"]
    b = load_state(split.run_dir() / "last.pt")["model"]
    assert all(torch.equal(a[k], b[k]) for k in a), [k for k in a if not torch.equal(a[k], b[k])][:5]
