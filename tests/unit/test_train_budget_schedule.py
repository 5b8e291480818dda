"""A run under `train.time_budget_s` fits its lr schedule to the length the budget allows.

Found walking the Fine-tune dialog: it plans `optim.warmup_iters = min(20, iterations // 5)` from the
requested iterations (300: 20), and a 1-minute limit on a CPU fits 2-3 iterations, so the lr peaked
at 2.5-3.4 % of the set value. The fit now cuts the warm-up to a fifth of the fitted run (never below
the steps taken) and decays from the set lr at its end to the run's end. Time is a fake clock that
each step and validation advance: no wall-clock threshold."""

from __future__ import annotations

import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from fosp_core.train import loop as loop_module
from fosp_core.train.config import OptimConfig
from fosp_core.train.loop import Trainer
from fosp_core.train.optim import PolyWarmupLR, follow_config, lr_factor
from fosp_core.train.state import load_state
from fosp_core.train.warmup import fitted_warmup, short_warmup
from tests.unit.test_train_support import tiny_config

LR, STEP_S, VAL_S = 1e-3, 20.0, 5.0


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _budgeted_run(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: float,
                  iterations: int = 300) -> tuple[Trainer, list[float], str]:
    """Run the app's Fine-tune schedule (warm-up `short_warmup(iterations)`) under `budget` seconds
    of a fake clock at `STEP_S` a step; returns the trainer, the base lr of every step, what it said."""
    clock = SimpleNamespace(now=1000.0)
    monkeypatch.setattr(loop_module, "time", SimpleNamespace(perf_counter=lambda: clock.now))
    cfg = tiny_config(demo_dir, tmp_path, data={"val": [{"path": demo_dir.name}]},
                      optim={"lr": LR, "warmup_iters": short_warmup(iterations)},
                      train={"iterations": iterations, "time_budget_s": budget, "save_every": 0,
                             "val_every": 0, "val_max_images": 1, "val_at_start": True})
    stream = io.StringIO()
    trainer = Trainer(cfg, stream=stream)
    step, validate = trainer._step, trainer.task.validate
    lrs: list[float] = []

    def slow_step(*args: object) -> object:
        group = trainer.optimizer.param_groups[0]
        lrs.append(group["lr"] / group["lr_mult"])  # the lr this step trains at
        clock.now += STEP_S
        return step(*args)

    def slow_validation(*args: object) -> object:
        clock.now += VAL_S
        return validate(*args)

    monkeypatch.setattr(trainer, "_step", slow_step)
    monkeypatch.setattr(trainer.task, "validate", slow_validation)
    trainer.run()
    return trainer, lrs, stream.getvalue()


def test_a_one_minute_budget_reaches_the_set_lr(demo_dir: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """90 s at 20 s a step fits 4 iterations of the 300 planned (20 warm-up): the lr peaked at
    0.15 x optim.lr before (the warm-up never ended); now it reaches it before the end."""
    trainer, lrs, said = _budgeted_run(demo_dir, tmp_path, monkeypatch, budget=90.0)
    assert trainer.iteration == len(lrs) == 4
    assert max(lrs) == pytest.approx(LR, rel=1e-9), lrs
    assert lrs[-1] == pytest.approx(LR * trainer.scheduler.factor(trainer.iteration - 1), rel=1e-9)
    # the recipe's ramp for the 2 steps before the fit, then on from 0.1 (no jump back or forth):
    # a 4-iteration run's fitted warm-up is 1 iteration long, so it reaches optim.lr at once
    assert [x / LR for x in lrs] == pytest.approx([1e-6, 0.05, 0.1, 1.0], rel=0.01, abs=1e-6)  # x the decay over 300
    state = load_state(trainer.run_dir / "last.pt")
    assert state["scheduler"]["total"] == trainer.iteration  # the schedule ended with the run
    assert "its lr warm-up ends at iteration 3 (was 20)" in said, said
    assert "warning: optim.warmup_iters" not in said, said  # the warm-up fits: nothing to warn of
    fits = [json.loads(line) for line in (trainer.run_dir / "log.jsonl").read_text().splitlines()]
    assert [r["warmup_iters"] for r in fits if r.get("event") == "time_budget"] == [3]


def test_a_ten_minute_budget_warms_up_then_decays(demo_dir: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """600 s at 20 s a step: about 28 iterations; the lr rises to optim.lr, then only falls."""
    trainer, lrs, _ = _budgeted_run(demo_dir, tmp_path, monkeypatch, budget=600.0)
    assert 20 <= trainer.iteration == len(lrs) < 300
    peak = lrs.index(max(lrs))
    assert max(lrs) == pytest.approx(LR, rel=1e-9), lrs
    assert all(a <= b for a, b in zip(lrs[:peak], lrs[1:peak + 1], strict=True)), lrs
    assert all(a > b for a, b in zip(lrs[peak:], lrs[peak + 1:], strict=False)), lrs
    assert lrs[-1] == pytest.approx(LR * trainer.scheduler.factor(trainer.iteration - 1), rel=1e-9)
    sched = trainer.scheduler  # the warm-up went on from the fit for at most a fifth of the run
    assert sched.fitted_from < sched.warmup_now <= sched.fitted_from + trainer.iteration // 5


def test_fitted_warmup_rule() -> None:
    assert short_warmup(300) == 20 and short_warmup(60) == 12 and short_warmup(4) == 0
    assert fitted_warmup(20, 3, 2) == 2  # not below the steps taken
    assert fitted_warmup(20, 100, 6) == 20  # a fifth of 100: unchanged
    assert fitted_warmup(20, 50, 6) == 10
    assert fitted_warmup(4, 50, 6) == 4  # over already: kept
    assert fitted_warmup(0, 50, 6) == 0  # none stays none


def test_an_unfitted_schedule_is_mmsegs() -> None:
    """Without a budget nothing changes: the decay runs from iteration 0 (peak 0.9 x lr at 100 of 1000)."""
    for it in (0, 50, 100, 500, 999):
        assert lr_factor(it, 1000, 100, 1e-6, 1.0) == lr_factor(it, 1000, 100, 1e-6, 1.0, decay_from=0)
    assert lr_factor(100, 1000, 100, 1e-6, 1.0) == pytest.approx(0.9)
    assert lr_factor(100, 1000, 100, 1e-6, 1.0, decay_from=100) == 1.0
    assert lr_factor(550, 1000, 100, 1e-6, 1.0, decay_from=100) == pytest.approx(0.5)


def _scheduler(cfg: OptimConfig) -> PolyWarmupLR:
    opt = torch.optim.AdamW([{"params": [torch.nn.Parameter(torch.zeros(2))], "lr": cfg.lr, "lr_mult": 1.0,
                              "name": "backbone"}], lr=cfg.lr)
    return PolyWarmupLR(opt, cfg, total=300)


def test_a_fitted_schedule_resumes_as_fitted() -> None:
    """last.pt keeps the fit; a resume with the same recipe changes nothing, one with another warm-up follows it."""
    cfg = OptimConfig(lr=LR, warmup_iters=20)
    sched = _scheduler(cfg)
    for _ in range(2):
        sched.optimizer.step()
        sched.step()
    assert sched.fit(4) == 3 and sched.optimizer.param_groups[0]["lr"] == pytest.approx(0.1 * LR, rel=0.01)
    again = _scheduler(cfg)
    again.load_state_dict(sched.state_dict())
    assert follow_config(again.optimizer, again, cfg) == []
    assert [again.factor(i) for i in range(4)] == [sched.factor(i) for i in range(4)]
    other = _scheduler(cfg)
    other.load_state_dict(sched.state_dict())
    assert follow_config(other.optimizer, other, OptimConfig(lr=LR, warmup_iters=1)) != []
    assert other.warmup_now == 1 and other.decay_from == 0
