"""The trainer's warning for a run shorter than its warm-up proposes the warm-up the app's Fine-tune
plans for a run of that length, and says so truly: it said "(as the app's Fine-tune does)" also where
a time budget had cut the app's run to 4 iterations, whose recipe held 20 (the fit now cuts the
warm-up instead: tests/unit/test_train_budget_schedule.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fosp_core.train.config import OptimConfig
from fosp_core.train.finetune import FineTuneRequest, plan_finetune
from fosp_core.train.optim import warmup_note
from tests.unit.test_train_support import make_export, save_tiny_checkpoint


@pytest.mark.parametrize("iterations", [1, 4, 12, 99])
def test_the_proposed_warm_up_is_the_fine_tunes(demo_dir: Path, tmp_path: Path, iterations: int) -> None:
    note = warmup_note(OptimConfig(warmup_iters=1500), iterations)
    proposed = re.search(r"set optim\.warmup_iters=(\d+) \(a fifth of its iterations, at most 20: the app's "
                         r"Fine-tune plans its warm-up so\)", note)
    assert proposed, note
    plan = plan_finetune(FineTuneRequest(dataset=make_export(demo_dir, tmp_path / "export"),
                                         init_from=save_tiny_checkpoint(tmp_path / "tiny.safetensors"),
                                         iterations=iterations, device="cpu", name="ft",
                                         runs_dir=str(tmp_path / "runs")))
    warmup = plan.config.optim.warmup_iters
    assert warmup == int(proposed.group(1))
    assert warmup == 0 or warmup < iterations  # the app's own run never needs the warning
