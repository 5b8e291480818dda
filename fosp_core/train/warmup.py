"""How long a short run warms its learning rate up (no torch: the app's planning imports it).

- `short_warmup(iterations)`: a fifth of the run, at most `SHORT_WARMUP_CAP` iterations: what the
  app's Fine-tune plans (`fosp_core.train.finetune`) and what the trainer's warning proposes for a
  run shorter than its warm-up (`fosp_core.train.optim.warmup_note`).
- `fitted_warmup(warmup, total, at)`: the length of the warm-up of a run whose length a time
  budget has just fitted (`train.time_budget_s`, `Trainer._fit_budget`). The recipe's warm-up was
  planned for `train.iterations` (the app's 300 iterations: 20 warm-up iterations), and a 1-minute
  budget on a CPU fits 3: the lr peaked at 3 % of `optim.lr`. The warm-up is cut to a fifth of the
  fitted run, never below the steps already taken and never longer than it was.
- `fitted_ramp_end(at, level, slope, total)`: where the fitted warm-up ends. The steps before the
  fit followed the recipe's warm-up, so at the fit (iteration `at`) the lr is `level` x `optim.lr`
  (0.3 at iteration 6 of a 20-iteration warm-up); the warm-up goes on rising from there at the
  fitted warm-up's slope (`fitted_slope`), so the lr has no jump at the fit (it used to jump to
  `optim.lr` in one step), and the poly decay runs from the warm-up's end to the run's
  (`PolyWarmupLR.fit`): the lr reaches `optim.lr` once and ends where the schedule ends. A run
  that ends before the warm-up does keeps rising at that slope to its end, short of `optim.lr`.
"""

from __future__ import annotations

import math

__all__ = ["SHORT_WARMUP_CAP", "SHORT_WARMUP_SHARE", "fitted_ramp_end", "fitted_slope", "fitted_warmup",
           "short_warmup"]

SHORT_WARMUP_SHARE = 5  # a short run warms up over 1/5 of its iterations ...
SHORT_WARMUP_CAP = 20  # ... at most this many


def short_warmup(iterations: int) -> int:
    """The warm-up for a run of `iterations`: `min(20, iterations // 5)` (0 for a run under 5)."""
    return max(0, min(SHORT_WARMUP_CAP, iterations // SHORT_WARMUP_SHARE))


def fitted_warmup(warmup: int, total: int, at: int) -> int:
    """The warm-up (in iterations from 0) of a run fitted to `total` iterations at iteration `at`,
    whose warm-up so far is `warmup`: `min(warmup, max(at, total // 5))`. A warm-up already over by
    `at` stays as it was, so a second fit (the machine slowed down) changes nothing before `at`."""
    return max(0, min(warmup, max(at, total // SHORT_WARMUP_SHARE)))


def fitted_slope(warmup: int, total: int, ratio: float) -> float:
    """The rise of the lr factor per step of a warm-up fitted to a run of `total` iterations: that of
    a warm-up from `ratio` to 1 over `fitted_warmup(warmup, total, 0)` iterations (at least 1), i.e.
    a fifth of the run or the recipe's `warmup` iterations, whichever is shorter (steeper)."""
    return (1.0 - ratio) / max(1, fitted_warmup(warmup, total, 0))


def fitted_ramp_end(at: int, level: float, slope: float, total: int) -> int:
    """The iteration where a warm-up at factor `level` at iteration `at`, rising by at most `slope` a
    step, reaches 1 (the set lr): `at + ceil((1 - level) / slope)`, `at` when it cannot rise (no
    step left before `total`, no slope, the level reached). It may lie past `total`: a run that ends
    first rises at `slope` to its end, short of the set lr (capping the end at `total` made the last
    steps rise faster, a jump of 0.49 in one step for a fit at 0.027 one step before the end)."""
    if slope <= 0 or level >= 1.0 or at >= total:
        return at
    return at + max(1, math.ceil((1.0 - level) / slope - 1e-9))
