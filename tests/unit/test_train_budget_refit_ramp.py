"""A refit during a fitted warm-up to a longer run (the machine sped up) keeps the ramp's slope.

`PolyWarmupLR.fit` takes the steeper of the ramp followed now and the new run's fitted slope; the
budget tests only refit after the warm-up or to shorter runs, so a fit that took the new run's slope
alone (0.05 a step here instead of the 0.175 followed) passed them all. Scheduler only: no clock."""

from __future__ import annotations

import pytest
import torch

from fosp_core.train.config import OptimConfig
from fosp_core.train.optim import PolyWarmupLR

LR = 1e-3


def test_a_refit_to_a_longer_run_keeps_the_ramp_it_follows() -> None:
    opt = torch.optim.AdamW([{"params": [torch.nn.Parameter(torch.zeros(2))], "lr": LR, "lr_mult": 1.0,
                              "name": "backbone"}], lr=LR)
    sched = PolyWarmupLR(opt, OptimConfig(lr=LR, warmup_iters=20), total=300)
    for _ in range(6):
        opt.step()
        sched.step()
    first = sched.fit(28)  # a fifth of 28: a 5-iteration ramp's slope
    slope = sched.factor(7) - sched.factor(6)
    for _ in range(2):
        opt.step()
        sched.step()
    assert sched.fit(200) == first  # the new run's fifth (40 iterations) is shallower: the ramp goes on as it was
    assert sched.factor(9) - sched.factor(8) == pytest.approx(slope, rel=1e-9)
    assert sched.factor(first) == pytest.approx(1.0)
