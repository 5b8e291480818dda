"""Fitting a run's length to `train.time_budget_s` (`Trainer._fit_budget`, from `Trainer._loop`).

The run's length is set so that its steps and the validations still due (each as long as the last
one) end within the budget counted from the command's start (`budget`). When no step is left the
run ends at the one it has reached; when time is left but less than one more step and the final
validation need, the run says that it stops before a step that would end past the budget (the pace
is known from the steps taken: `BudgetPacer.tick`), instead of taking it and overrunning by a step.
"""

from __future__ import annotations

import math
from typing import Any

from fosp_core.train import distributed as dist_utils
from fosp_core.train.budget import about_s
from fosp_core.train.config import dump_toml
from fosp_core.train.progress import format_duration
from fosp_core.train.state import atomic_write_text

__all__ = ["fit_budget"]


def _would_end(end_s: float, budget_s: float) -> str:
    """Where a step not taken would have ended, ", at 100.1 s of its 100 s": rounded up to a tenth, so
    it reads past the budget whenever it is (the parts said before it are rounded, and 70 + 19 + 10
    of 100 read as fitting); "" when it is not (a share of the validations every `val_every` steps
    decided)."""
    def secs(x: float) -> str:
        return f"{x:.1f}".removesuffix(".0")

    end = math.ceil(end_s * 10 - 1e-9) / 10
    return f", at {secs(end)} s of its {secs(budget_s)} s" if end > budget_s else ""


def fit_budget(trainer: Any, sec_per_iter: float, now: float) -> int:
    """Set `trainer`'s run length so that it ends within `train.time_budget_s` at `sec_per_iter`
    seconds a step, `now` being a `time.perf_counter()` reading; fits the lr schedule to it, says it,
    records it (config.toml, a `time_budget` event) and returns the new end."""
    tc = trainer.cfg.train
    gone = now - trainer._budget_t0
    left = tc.time_budget_s - gone
    per_val = trainer._val_sec / tc.val_every if tc.val_every else 0.0
    steps = max(0, int((left - trainer._val_sec) / max(sec_per_iter + per_val, 1e-9)))
    total = min(tc.iterations, trainer.iteration + steps)  # no step left: it ends at the one it reached
    total = int(dist_utils.broadcast_object(total))  # every process stops at rank 0's count
    if total == trainer.total:
        return min(trainer._stop_at, total)
    warmup_before = trainer.scheduler.warmup_now
    trainer.total = total
    warmup = trainer.scheduler.fit(total)  # the warm-up and the decay fit the run the budget allows
    trainer.progress.total = total
    before_step = total == trainer.iteration and left > 0  # time left, but not for one more step
    ended = _would_end(gone + sec_per_iter + per_val + trainer._val_sec, tc.time_budget_s)
    trainer.say(f"time budget {format_duration(tc.time_budget_s)}: {sec_per_iter:.3f} s/it"
                + (f", validation {about_s(trainer._val_sec)} s" if trainer._val_sec else "")
                + f" -> the run ends at iteration {total}"
                + (f" ({gone:.0f} s gone: one more step, about {about_s(sec_per_iter)} s, "
                   + (f"and the final validation, about {about_s(trainer._val_sec)} s, " if trainer._val_sec else "")
                   + f"would end past the budget{ended}, so it is not taken)" if before_step else "")
                + (f", its lr warm-up ends at iteration {warmup} (was {warmup_before})" if warmup != warmup_before
                   else ""))
    if trainer.main:
        recorded = trainer.cfg.recorded()
        recorded["train"]["iterations"] = total
        atomic_write_text(trainer.run_dir / "config.toml", dump_toml(recorded))
        trainer.log.write({"type": "event", "iter": trainer.iteration, "event": "time_budget",
                           "iterations": total, "warmup_iters": warmup, "sec_per_iter": round(sec_per_iter, 4),
                           **({"stopped_before_step": True, "left_sec": round(left, 2)} if before_step else {})})
    return min(trainer._stop_at, total)
