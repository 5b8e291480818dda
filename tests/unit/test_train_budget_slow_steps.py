"""`train.time_budget_s` on a slow machine: a CPU fine-tune at 20 s an iteration with a 90 s budget
ran 40 iterations (13 minutes) before it first measured its pace (10 warm-up + 30 paced
iterations, counts sized for a GPU's fractions of a second). The pace is now measured over a share
of the budget as well, and a run that would overrun stops at the iteration it has reached.
Time here is a fake clock that each step and validation advance: no wall-clock threshold."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from fosp_core.train import loop as loop_module
from fosp_core.train.loop import Trainer
from tests.unit.test_train_support import tiny_config

STEP_S, VAL_S = 20.0, 5.0  # one training step and one validation on the fake clock


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _slow_trainer(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: float,
                  iterations: int = 300, warmup_iters: int = 2, resume: bool = False) -> tuple[Trainer, SimpleNamespace]:
    clock = SimpleNamespace(now=1000.0)
    monkeypatch.setattr(loop_module, "time", SimpleNamespace(perf_counter=lambda: clock.now))
    cfg = tiny_config(demo_dir, tmp_path, data={"val": [{"path": demo_dir.name}]},
                      optim={"lr": 1e-3, "warmup_iters": warmup_iters},
                      train={"iterations": iterations, "time_budget_s": budget, "save_every": 0,
                             "val_every": 0, "val_max_images": 1, "val_at_start": True})
    trainer = Trainer(cfg, resume=resume)
    step, validate = trainer._step, trainer.task.validate

    def slow_step(*args: object) -> object:
        clock.now += STEP_S
        return step(*args)

    def slow_validation(*args: object) -> object:
        clock.now += VAL_S
        return validate(*args)

    monkeypatch.setattr(trainer, "_step", slow_step)
    monkeypatch.setattr(trainer.task, "validate", slow_validation)
    return trainer, clock


def test_slow_steps_end_the_run_within_a_short_budget(demo_dir: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    trainer, clock = _slow_trainer(demo_dir, tmp_path, monkeypatch, budget=90.0)
    result = trainer.run()
    spent = clock.now - 1000.0
    assert spent <= 90.0 + STEP_S, (spent, result.iteration)  # was 40 steps: 805 s of a 90 s budget
    assert 1 <= result.iteration <= 4
    assert result.last_metrics is not None  # the final validation ran, inside the budget


def test_a_run_that_slows_down_stops_at_its_budget(demo_dir: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Fast while it measures its pace, then 10x slower (another job took the cores): it stops
    instead of running the length fitted at the first pace."""
    trainer, clock = _slow_trainer(demo_dir, tmp_path, monkeypatch, budget=120.0, iterations=60)
    step = trainer._step  # the fake clock's 20 s step: made 1 s for the first 15 steps, 30 s after
    calls = {"n": 0}

    def slowing(*args: object) -> object:
        calls["n"] += 1
        clock.now += (1.0 if calls["n"] <= 15 else 30.0) - STEP_S
        return step(*args)

    monkeypatch.setattr(trainer, "_step", slowing)
    result = trainer.run()
    spent = clock.now - 1000.0
    assert spent <= 120.0 + 30.0, (spent, result.iteration)  # was 41 steps, 785 s of a 120 s budget
    assert result.last_metrics is not None


def test_a_budget_shorter_than_the_warm_up_fits_it(demo_dir: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's fine-tune line has 20 warm-up iterations; a 90 s budget at 20 s a step fits 4:
    the learning rate then never left its warm-up (it peaked at a fifth of optim.lr), silently. It
    was then warned of; now the fit cuts the warm-up to the run (tests/unit/test_train_budget_schedule.py)
    and says so."""
    import io

    trainer, _ = _slow_trainer(demo_dir, tmp_path, monkeypatch, budget=90.0, warmup_iters=20)
    trainer.stream = io.StringIO()
    result = trainer.run()
    said = trainer.stream.getvalue()
    assert result.iteration == 4
    assert "-> the run ends at iteration 4, its lr warm-up ends at iteration 3 (was 20)" in said, said
    assert "warning: optim.warmup_iters" not in said


def test_under_ddp_only_the_counts_decide() -> None:
    """Each process has its own clock; a fit is a collective (rank 0's length is broadcast), so a
    time rule that fired on one process only would hang the others: under DDP the counts alone
    decide when to fit, as before."""
    from fosp_core.train.budget import BudgetPacer

    def fits(pacer: BudgetPacer) -> list[int]:
        return [it for it in range(1, 60) if pacer.tick(it, 20.0 * it, 20.0 * it + 5, 5.0) is not None]

    assert fits(BudgetPacer(90.0, 0, warmup=10, pace=30, timed=False)) == [40]
    assert fits(BudgetPacer(90.0, 0, warmup=10, pace=30))[0] == 2  # one process: a tenth of the budget


def test_a_resumed_run_counts_the_validation_it_measured_before(demo_dir: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A resumed run validates nothing at its start, so its fit counted no final validation (0 s)
    and the run overran its budget by one: the cost comes from the run log's last validation."""
    import io

    first, clock = _slow_trainer(demo_dir, tmp_path, monkeypatch, budget=100.0)
    first.run(stop_at=2)  # validated at 0 (5 s on the fake clock), state saved at 2
    resumed, clock = _slow_trainer(demo_dir, tmp_path, monkeypatch, budget=100.0, resume=True)
    resumed.stream = io.StringIO()
    result = resumed.run()
    said = resumed.stream.getvalue()
    assert "validation 5 s" in said, said  # counted in the fit
    assert clock.now - 1000.0 <= 100.0, (clock.now - 1000.0, result.iteration)  # was 3 steps and 105 s
