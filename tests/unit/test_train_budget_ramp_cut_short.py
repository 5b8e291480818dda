"""A fit whose run ends before its warm-up can reach optim.lr at the fitted slope keeps that slope.

`fitted_ramp_end` capped the ramp's end at the run's end, and the lr then rose from the level reached
to optim.lr over the steps left, however few: a fit at iteration 40 of a 1500-iteration warm-up
(0.027 x optim.lr) to a run ending at 42 rose by 0.49 x optim.lr in one step, four times the fitted
slope (a fifth of the run: 0.125) -- the jump the fitted warm-up exists to avoid. The lr now rises at
the slope to the run's end, short of optim.lr. Scheduler only: no clock, no training."""

from __future__ import annotations

import pytest
import torch

from fosp_core.train.config import OptimConfig
from fosp_core.train.optim import PolyWarmupLR
from fosp_core.train.warmup import fitted_slope

LR = 1e-3


def _factors_after_fit(recipe: int, at: int, total: int) -> tuple[PolyWarmupLR, list[float], int]:
    """The recipe's warm-up for `at` steps, a fit to `total`: the scheduler, each step's lr factor, fit's answer."""
    opt = torch.optim.AdamW([{"params": [torch.nn.Parameter(torch.zeros(2))], "lr": LR, "lr_mult": 1.0,
                              "name": "backbone"}], lr=LR)
    sched = PolyWarmupLR(opt, OptimConfig(lr=LR, warmup_iters=recipe), total=100000)
    seen: list[float] = []
    for i in range(total):
        if i == at:
            end = sched.fit(total)
        seen.append(opt.param_groups[0]["lr"] / LR)
        opt.step()
        sched.step()
    return sched, seen, end


@pytest.mark.parametrize(("recipe", "at", "total"), [(1500, 40, 42), (100, 30, 33), (300, 60, 64)])
def test_a_ramp_cut_short_by_the_run_keeps_the_fitted_slope(recipe: int, at: int, total: int) -> None:
    sched, seen, end = _factors_after_fit(recipe, at, total)
    allowed = fitted_slope(recipe, total, sched.warmup_ratio)
    rises = [b - a for a, b in zip(seen[at - 1:], seen[at:], strict=False)]
    assert max(rises) <= allowed + 1e-9, (rises, allowed)
    assert seen[-1] < 1.0  # the run ends before the lr reaches optim.lr
    assert end == total  # what the run says and records: the warm-up lasts to its end
    assert all(b > a for a, b in zip(seen, seen[1:], strict=False))  # still rising, no decay


def test_a_ramp_that_fits_still_peaks_at_its_end() -> None:
    """The ordinary case is unchanged: room to rise, the lr reaches optim.lr where fit says, then decays."""
    _, seen, end = _factors_after_fit(20, 6, 28)
    assert end < 28 and seen[end] == pytest.approx(1.0) and seen.index(max(seen)) == end
