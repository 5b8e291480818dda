"""How long a short run warms its learning rate up (no torch: the app's planning imports it).

- `short_warmup(iterations)`: a fifth of the run, at most `SHORT_WARMUP_CAP` iterations: what the
  app's Fine-tune plans (`fosp_core.train.finetune`) and what the trainer's warning proposes for a
  run shorter than its warm-up (`fosp_core.train.optim.warmup_note`).
- `fitted_warmup(warmup, total, at)`: the warm-up of a run whose length a time budget has just
  fitted (`train.time_budget_s`, `Trainer._fit_budget`). The recipe's warm-up was planned for
  `train.iterations` (the app's 300 iterations: 20 warm-up iterations), and a 1-minute budget on a
  CPU fits 3: the lr peaked at 3 % of `optim.lr`. The warm-up is cut to a fifth of the fitted run,
  never below the steps already taken (`at`: the lr cannot rise in the past) and never longer than
  it was; the poly decay then runs from the warm-up's end to the run's (`PolyWarmupLR.fit`), so the
  lr reaches `optim.lr` once and ends where the schedule ends.
"""

from __future__ import annotations

__all__ = ["SHORT_WARMUP_CAP", "SHORT_WARMUP_SHARE", "fitted_warmup", "short_warmup"]

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
