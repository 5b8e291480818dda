"""`train.time_budget_s` is the whole command's time: `fosp train small-cpu train.time_budget_s=60`
on SMOKE5K took 3 min in all, because the budget counted from the loop's start (not the data and
model before it) and a fresh run's final validation, never measured before its fit, was not counted.
Now the budget counts from the command's start (`Trainer(started_at=...)`, by default the
Trainer's construction) and a fresh run estimates its final validation from one image per source at its first fit.
Time here is a fake clock that start-up, each step and each validated image advance."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import torch

from fosp_core.train import loop as loop_module
from tests.unit.train_clock import ClockedRun, fake_clock_run

STARTUP_S, STEP_S, VAL_IMAGE_S = 40.0, 20.0, 10.0


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _fake_clock_run(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: float,
                    startup: float, **train: Any) -> ClockedRun:
    """A budgeted run whose data opening costs `startup` s, each step `STEP_S`, each validated
    image `VAL_IMAGE_S` (`tests/unit/train_clock.py`)."""
    return fake_clock_run(demo_dir, tmp_path, monkeypatch, budget, startup, STEP_S, VAL_IMAGE_S, **train)


def test_start_up_counts_inside_the_budget(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trainer, spent, said, _ = _fake_clock_run(demo_dir, tmp_path, monkeypatch, budget=120.0,
                                              startup=STARTUP_S, val_max_images=1, val_at_start=True)
    assert spent <= 120.0 + STEP_S, (spent, trainer.iteration, said)  # was 40 s of start-up past it
    assert trainer.last_metrics is not None
    assert "in all 0:0" in said and "since the command started (time budget 0:02:00)" in said


def test_a_fresh_run_counts_its_final_validation(demo_dir: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """No validation at the start: the final one (4 demo images, 40 s) was not in the fit."""
    trainer, spent, said, _ = _fake_clock_run(demo_dir, tmp_path, monkeypatch, budget=120.0, startup=0.0)
    assert spent <= 120.0 + STEP_S, (spent, trainer.iteration, said)  # was 160 s: 6 steps, then 40 s
    assert trainer.iteration >= 1 and trainer.last_metrics is not None
    assert "the final validation (4 images) will take about 40 s" in said, said


def test_the_command_passes_its_start(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`fosp train` hands the Trainer the time the CLI was imported, before torch and the data."""
    from fosp_core import cli
    from fosp_core.cli.train import run_train

    seen: dict[str, Any] = {}

    class Recorder:
        def __init__(self, cfg: Any, **kwargs: Any) -> None:
            seen.update(kwargs)
            raise loop_module.TrainingError("recorded")

    monkeypatch.setattr(loop_module, "Trainer", Recorder)
    args = SimpleNamespace(command="train", task="segmentation", rest=["train.iterations=1"], export_default=None,
                           overwrite=False, resume=False, resume_from=None, runs_dir=tmp_path, quiet=True,
                           config="small-cpu")
    assert run_train(args) == 1  # type: ignore[arg-type]
    assert seen["started_at"] == cli.STARTED_AT


def test_a_budget_gone_during_the_warm_up_ends_the_run_there() -> None:
    """Start-up counted, a slow machine can spend the budget before the pace is measured: the run
    ended at its second step at the earliest (102 s of a 90 s budget gone, small-cpu at load 14)."""
    from fosp_core.train.budget import BudgetPacer

    pacer = BudgetPacer(90.0, start=0)
    assert pacer.tick(1, wall_time=30.0, elapsed=100.0, val_sec=0.0) == 30.0  # was None: a second step
    fresh = BudgetPacer(90.0, start=0)
    assert fresh.tick(1, wall_time=30.0, elapsed=50.0, val_sec=0.0) is None  # time left: pace as before


def test_the_note_suggests_only_a_shorter_validation() -> None:
    from fosp_core.train.budget import estimate_note

    assert "train.val_max_images=2" in estimate_note(60.0, 38.0, 194, 332.0, 3)
    said = estimate_note(90.0, 102.0, 3, 25.0, 3, val_max=1)  # already one image a source
    assert "val_max_images" not in said and "start-up and the first steps" in said
