"""A run fitted to `train.time_budget_s` keeps its lr continuous at the fit.

Before the pace is measured the steps follow the recipe's warm-up (20 iterations in the app's
Fine-tune plan); the fit used to set the warm-up's end to the iteration reached and decay from there,
so at the fit the lr jumped from the recipe's ramp (0.3 x optim.lr at iteration 6) to optim.lr in one
step. The fitted warm-up now rises from where the lr is, never faster than the fitted warm-up's slope
(a fifth of the fitted run, or the recipe's when that is steeper); a refit after the warm-up decays
from where the lr is. Time is the fake clock of `test_train_budget_schedule`: no wall-clock threshold."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch

from fosp_core.train.config import OptimConfig
from fosp_core.train.optim import PolyWarmupLR
from tests.unit.test_train_budget_schedule import LR, _budgeted_run

RATIO = OptimConfig().warmup_ratio


def _steepest_allowed(recipe_warmup: int, total: int) -> float:
    """The fitted warm-up's slope (lr factor per step): a fifth of the fitted run, or the recipe's."""
    return (1.0 - RATIO) / max(1, min(recipe_warmup, total // 5))


def test_a_ten_minute_budget_has_no_lr_jump_at_the_fit(demo_dir: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """600 s at 20 s a step: fitted at iteration 6 to about 28 iterations; the lr rose to 0.3 x
    optim.lr on the recipe's 20-iteration warm-up, then jumped to optim.lr (+0.7 in one step, the
    fitted slope being 0.2). Now every rise is at most the fitted warm-up's slope and it still peaks."""
    trainer, lrs, said = _budgeted_run(demo_dir, tmp_path, monkeypatch, budget=600.0)
    total = trainer.iteration
    assert 20 <= total == len(lrs) < 300
    rises = [(b - a) / LR for a, b in zip(lrs, lrs[1:], strict=False)]
    slope = _steepest_allowed(20, total)
    assert max(rises) <= slope + 1e-9, (max(rises), slope, [x / LR for x in lrs])
    assert max(lrs) == pytest.approx(LR, rel=1e-9)
    peak = lrs.index(max(lrs))
    assert all(a > b for a, b in zip(lrs[peak:], lrs[peak + 1:], strict=False))  # then it only decays
    assert f"-> the run ends at iteration {total}, its lr warm-up ends at iteration {peak} (was 20)" in said, said


def _scheduler(cfg: OptimConfig, total: int) -> PolyWarmupLR:
    opt = torch.optim.AdamW([{"params": [torch.nn.Parameter(torch.zeros(2))], "lr": cfg.lr, "lr_mult": 1.0,
                              "name": "backbone"}], lr=cfg.lr)
    return PolyWarmupLR(opt, cfg, total=total)


def _run(sched: PolyWarmupLR, steps: int) -> list[float]:
    """The lr factor of each of `steps` optimiser steps."""
    seen = []
    for _ in range(steps):
        seen.append(sched.optimizer.param_groups[0]["lr"] / LR)
        sched.optimizer.step()
        sched.step()
    return seen


@pytest.mark.parametrize(("recipe", "at", "total"), [(1500, 40, 2000), (1500, 40, 100), (20, 6, 28), (20, 2, 4),
                                                     (20, 3, 300), (0, 10, 50), (5, 40, 100)])
def test_the_fit_continues_the_lr_it_reached(recipe: int, at: int, total: int) -> None:
    """The recipe's warm-up for `at` steps, then a fit to `total`: no rise above the fitted slope,
    no drop at the fit, the warm-up (if it had not ended) reaches optim.lr before the run ends."""
    sched = _scheduler(OptimConfig(lr=LR, warmup_iters=recipe), total=100000)
    seen = _run(sched, at)
    before = sched.factor(at)
    end = sched.fit(total)
    assert sched.factor(at) == pytest.approx(before, rel=1e-12, abs=1e-15)  # continuous at the fit
    seen += _run(sched, total - at)
    rises = [b - a for a, b in zip(seen, seen[1:], strict=False)]
    assert max(rises) <= _steepest_allowed(recipe, total) + 1e-9, (max(rises), seen)
    if at < recipe:
        assert end > at and max(seen) == pytest.approx(1.0) and end <= total
        assert seen.index(max(seen)) == end
        assert end - at == math.ceil((1.0 - before) / _steepest_allowed(recipe, total) - 1e-9)


def test_a_refit_after_the_warm_up_decays_from_where_the_lr_is() -> None:
    """A second fit (the machine slowed down) used to restart the decay from the warm-up's end over
    the shorter run: the lr dropped at once (0.55 -> 0.10 x optim.lr here). Now it decays from where it is."""
    sched = _scheduler(OptimConfig(lr=LR, warmup_iters=20), total=300)
    _run(sched, 6)
    end = sched.fit(100)
    seen = _run(sched, 50)
    before = sched.factor(56)
    assert sched.fit(60) == end  # the warm-up is over: its end stays
    assert sched.factor(56) == pytest.approx(before, rel=1e-12)
    seen += _run(sched, 4)
    drops = [a - b for a, b in zip(seen[end:], seen[end + 1:], strict=False)]
    assert min(drops) > 0 and max(drops) <= before / 4 + 1e-12, drops  # linear decay to 0 over 4 steps
    assert sched.factor(60) == pytest.approx(0.0, abs=1e-12)


def test_a_fitted_ramp_resumes_as_fitted() -> None:
    """last.pt keeps where the ramp started and its level: a resumed run continues it exactly."""
    cfg = OptimConfig(lr=LR, warmup_iters=20)
    sched = _scheduler(cfg, total=300)
    _run(sched, 6)
    sched.fit(28)
    again = _scheduler(cfg, total=300)
    again.load_state_dict(sched.state_dict())
    assert [again.factor(i) for i in range(6, 28)] == [sched.factor(i) for i in range(6, 28)]


def test_a_fit_with_no_step_left_keeps_the_lr() -> None:
    """A budget spent at the fit (the run ends at the iteration reached): the warm-up ends there, the
    factor stays defined for every iteration (no division by a zero-length ramp)."""
    sched = _scheduler(OptimConfig(lr=LR, warmup_iters=20), total=300)
    _run(sched, 3)
    before = sched.factor(3)
    assert sched.fit(3) == 3
    assert sched.factor(3) == pytest.approx(before)
    assert [sched.factor(i) for i in range(3)] == pytest.approx([before] * 3)  # held before the fit's iteration
