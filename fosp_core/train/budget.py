"""When a run under `train.time_budget_s` measures its pace and fits its length (`Trainer._loop`).

The first steps (data workers starting, autotuning) are slow, so they are not counted: the warm-up
ends after `warmup` steps or once a share of the budget has gone, whichever comes first. The pace is
then measured over `pace` steps or over that share of the budget, so a CPU fine-tune at 20 s a step
with a 90 s budget fits after 2 steps instead of 40. Once fitted, a run whose next step and final
validation would end past the budget (the machine slowed down) is told to fit again, which ends it at
the step it has reached.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BUDGET_PACE", "BUDGET_SHARE", "BUDGET_WARMUP", "BudgetPacer"]

BUDGET_WARMUP = 10  # steps not counted in the pace (worker start, autotuning) ...
BUDGET_PACE = 30  # ... and steps the pace is first measured over,
BUDGET_SHARE = 0.1  # each, at most, this share of the budget


@dataclass
class BudgetPacer:
    """Says when to fit a budgeted run's length (`tick`) and at what pace (seconds a step)."""

    budget_s: float
    start: int  # the iteration this invocation started from
    warmup: int = BUDGET_WARMUP
    pace: int = BUDGET_PACE
    share: float = BUDGET_SHARE
    #: Time-share and overrun rules on; off under DDP, where every process must fit at the same
    #: iteration (`Trainer._fit_budget` broadcasts rank 0's length) and the clocks of the processes
    #: differ: there the counts alone decide, as before.
    timed: bool = True
    paced: tuple[int, float] | None = None  # (iteration, training wall time) where the pace window starts
    sec_per_iter: float | None = None  # the pace of the last fit

    def tick(self, iteration: int, wall_time: float, elapsed: float, val_sec: float) -> float | None:
        """After step `iteration`: the pace to fit the run's length with now, or None. `wall_time`:
        seconds spent in training steps so far; `elapsed`: seconds since the budget's start
        (validations included); `val_sec`: what the last validation took (the final one is due)."""
        window = self.budget_s * self.share if self.timed else float("inf")
        if self.paced is None:
            if iteration - self.start >= self.warmup or (elapsed >= window and iteration > self.start):
                self.paced = (iteration, wall_time)
            return None
        steps, spent = iteration - self.paced[0], wall_time - self.paced[1]
        if steps < 1:
            return None
        if self.sec_per_iter is None:
            if steps >= self.pace or spent >= window:
                self.sec_per_iter = spent / steps
                return self.sec_per_iter
            return None
        if self.timed and elapsed + val_sec + self.sec_per_iter > self.budget_s:  # one more step: past the budget
            self.sec_per_iter = spent / steps
            return self.sec_per_iter
        return None

    def measured(self, iteration: int, wall_time: float) -> float | None:
        """The pace over the window so far (a refit after a validation), or None before the warm-up
        has ended."""
        if self.paced is None or iteration <= self.paced[0]:
            return None
        self.sec_per_iter = (wall_time - self.paced[1]) / (iteration - self.paced[0])
        return self.sec_per_iter
