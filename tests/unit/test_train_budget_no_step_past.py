"""A budgeted run does not take a step that would end past its budget when the step's time is
known (`BudgetPacer.tick`, `budget_fit.fit_budget`): before the first fit (the pace's warm-up and
its measuring) the run took its next step whatever the time left, and overran by up to a step
(40 s start-up, 10 s validation, 20 s steps and a 90 s budget: 2 steps, 100 s). Now the last step's
time and the validation due decide, and the run says why it ends there.

Time here is a fake clock (`tests/unit/train_clock.py`): no wall-clock thresholds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from fosp_core.train.budget import BudgetPacer
from tests.unit.train_clock import fake_clock_run

STEP_S, VAL_IMAGE_S = 20.0, 10.0


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def test_a_step_that_would_end_past_the_budget_is_not_taken(demo_dir: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """40 s start-up, a 10 s validation at the start, 20 s a step, 90 s: at 70 s one more step and
    the final validation would end at 100 s, so the run ends at its first step, at 80 s."""
    trainer, spent, said, validated = fake_clock_run(demo_dir, tmp_path, monkeypatch, 90.0, 40.0, STEP_S,
                                                     VAL_IMAGE_S, val_at_start=True, val_max_images=1)
    assert trainer.iteration == 1, (trainer.iteration, said)  # was 2
    assert spent == 40.0 + VAL_IMAGE_S + STEP_S + VAL_IMAGE_S <= 90.0, spent  # was 100 s
    assert validated == [1, 1]
    assert ("-> the run ends at iteration 1 (70 s gone: one more step, about 20 s, and the final validation, "
            "about 10 s, would end past the budget, at 100 s of its 90 s, so it is not taken)") in said, said
    events = [json.loads(line) for line in (trainer.run_dir / "log.jsonl").read_text().splitlines()]
    fits = [e for e in events if e.get("event") == "time_budget"]
    assert [(e["iter"], e["iterations"], e.get("stopped_before_step"), e.get("left_sec")) for e in fits] == \
        [(1, 1, True, 20.0)]


def test_a_run_with_time_for_its_steps_takes_them(demo_dir: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The same run with a 140 s budget: steps at 70, 90 and 110 s leave 30 s; a fourth would end
    at 140 s with the final validation, which fits: four steps, then the validation, 140 s."""
    trainer, spent, said, _ = fake_clock_run(demo_dir, tmp_path, monkeypatch, 140.0, 40.0, STEP_S, VAL_IMAGE_S,
                                             val_at_start=True, val_max_images=1)
    assert spent <= 140.0, (spent, said)
    assert trainer.iteration == 4, (trainer.iteration, said)


def test_the_pacer_stops_before_a_step_past_the_budget() -> None:
    """Before the first fit: 70 s gone of 90, a 10 s validation due and a 20 s step would end at 100 s."""
    pacer = BudgetPacer(90.0, start=0, last=(0, 0.0))
    assert pacer.tick(1, wall_time=20.0, elapsed=70.0, val_sec=10.0) == 20.0  # was None: a second step
    roomy = BudgetPacer(90.0, start=0, last=(0, 0.0))
    assert roomy.tick(1, wall_time=20.0, elapsed=50.0, val_sec=10.0) is None  # 80 s: it fits
    unknown = BudgetPacer(90.0, start=0)  # the first step's time unknown: the counts decide, as before
    assert unknown.tick(1, wall_time=20.0, elapsed=70.0, val_sec=10.0) is None
    assert unknown.tick(2, wall_time=25.0, elapsed=75.0, val_sec=10.0) is None  # a 5 s step: 90 s, it fits
    assert unknown.tick(3, wall_time=35.0, elapsed=85.0, val_sec=10.0) == 10.0



def test_a_slow_first_batch_does_not_end_the_run(demo_dir: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The first batch waits for the data workers to start (and the first images), which later
    steps do not: 40 s start-up, a 10 s validation, 58 s for the first batch, 2 s steps and a 150 s
    budget. At 110 s a second step as long as the first (60 s) would end past the budget, but 2 s
    steps fit: the run goes on and ends within its budget (it ended at its first step, 120 s, with
    30 s left)."""
    trainer, spent, said, _ = fake_clock_run(demo_dir, tmp_path, monkeypatch, 150.0, 40.0, 2.0, VAL_IMAGE_S,
                                             first_batch_s=58.0, val_at_start=True, val_max_images=1)
    assert trainer.iteration > 10, (trainer.iteration, said)  # was 1
    assert spent <= 150.0, (spent, said)


def test_the_first_batchs_wait_is_not_a_steps_time() -> None:
    """A first step of 60 s of which 58 s waited for the first batch, at 110 s of 150 (10 s
    validation due): its 2 s step fits."""
    pacer = BudgetPacer(150.0, start=0, last=(0, 0.0))
    pacer.first_batch_waited(58.0)
    assert pacer.tick(1, wall_time=60.0, elapsed=110.0, val_sec=10.0) is None  # was 60.0: the run ended
    assert pacer.tick(2, wall_time=62.0, elapsed=112.0, val_sec=10.0) is None  # 124 s: it fits
    pacer.first_batch_waited(30.0)  # a later batch's wait is a step's
    assert pacer.tick(3, wall_time=82.0, elapsed=132.0, val_sec=10.0) == 20.0  # a 20 s step: 162 s, past it


def test_a_resumed_runs_pace_counts_its_own_steps_only() -> None:
    """A run resumed at iteration 100 after 3600 s of training whose budget is gone at its first step
    (a 20 s step): its pace is 20 s/it, not the whole run's training time over this invocation's one
    step (3620 s/it, said on the fit line and logged as the time_budget event's sec_per_iter)."""
    pacer = BudgetPacer(90.0, start=100, start_wall=3600.0)
    assert pacer.tick(101, wall_time=3620.0, elapsed=95.0, val_sec=0.0) == 20.0  # was 3620.0
