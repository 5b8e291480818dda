"""`train.time_budget_s`: a run on a lent machine's fixed time measures its pace and sets its own
length, so the lr schedule ends and the final validation runs inside the budget."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

import pytest
import torch

from fosp_core.train import loop as loop_module
from fosp_core.train.config import ConfigError
from fosp_core.train.loop import Trainer
from fosp_core.train.state import load_state
from tests.unit.test_train_support import tiny_config


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def test_config_rejects_a_negative_budget(demo_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="train.time_budget_s"):
        tiny_config(demo_dir, tmp_path, train={"time_budget_s": -5})


def test_fit_counts_the_validations_still_due(demo_dir: Path, tmp_path: Path) -> None:
    cfg = tiny_config(demo_dir, tmp_path, train={"iterations": 100000, "time_budget_s": 100, "val_every": 10})
    trainer = Trainer(cfg)
    trainer.total, trainer._stop_at, trainer._val_sec = 100000, 100000, 0.0
    trainer.progress = loop_module.Progress(100000, 0, enabled=False)
    trainer.run_dir.mkdir(parents=True)
    trainer._budget_t0 = time.perf_counter()
    end = trainer._fit_budget(1.0)  # 100 s left at 1 s a step: about 100 steps
    assert 98 <= end <= 100 and trainer.scheduler.total == end == trainer.total
    trainer._budget_t0 = time.perf_counter()
    trainer._val_sec = 10.0  # each validation (every 10 steps) costs 10 s: (100 - 10) / (1 + 1)
    end = trainer._fit_budget(1.0)
    assert 43 <= end <= 45
    recorded = tomllib.loads((trainer.run_dir / "config.toml").read_text())
    assert recorded["train"]["iterations"] == end
    trainer._budget_t0, trainer._val_sec = time.perf_counter(), 0.0
    assert trainer._fit_budget(1e-6) == 100000  # never longer than train.iterations


def test_a_budgeted_run_stops_early_with_its_schedule_finished(demo_dir: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loop_module, "BUDGET_WARMUP", 1)
    monkeypatch.setattr(loop_module, "BUDGET_PACE", 2)
    data = {"val": [{"path": demo_dir.name}]}
    cfg = tiny_config(demo_dir, tmp_path, data=data,
                      train={"iterations": 100000, "time_budget_s": 3.0, "save_every": 0, "val_every": 0,
                             "val_max_images": 1})
    # a fake clock: 0.1 s a step, 0.05 s a validated image (it was the real one, and on a busy machine
    # the first steps and the final validation's probe spent the 3 s before the third step)
    from types import SimpleNamespace

    clock = SimpleNamespace(now=100.0)
    monkeypatch.setattr(loop_module, "time", SimpleNamespace(perf_counter=lambda: clock.now))
    trainer = Trainer(cfg)
    step, validate = trainer._step, trainer.task.validate

    def timed_step(*args: object) -> object:
        clock.now += 0.1
        return step(*args)

    def timed_validation(*args: object) -> object:
        clock.now += 0.05
        return validate(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(trainer, "_step", timed_step)
    monkeypatch.setattr(trainer.task, "validate", timed_validation)
    result = trainer.run()
    assert 3 < result.iteration < 100000
    assert clock.now - 100.0 <= 3.0 + 0.1  # it stopped on its own, within the budget and a step
    recorded = tomllib.loads((result.run_dir / "config.toml").read_text())
    assert recorded["train"]["iterations"] == result.iteration
    assert result.last_metrics is not None  # the final validation ran
    state = load_state(result.run_dir / "last.pt")
    assert state["iteration"] == result.iteration
    assert state["scheduler"]["total"] == result.iteration  # the lr decayed to the end of this length
