"""When a run under `train.time_budget_s` measures its pace and fits its length (`Trainer._loop`).

The first steps (data workers starting, autotuning) are slow, so they are not counted: the warm-up
ends after `warmup` steps or once a share of the budget has gone, whichever comes first. The pace is
then measured over `pace` steps or over that share of the budget, so a CPU fine-tune at 20 s a step
with a 90 s budget fits after 2 steps instead of 40. Once fitted, a run whose next step and final
validation would end past the budget (the machine slowed down) is told to fit again, which ends it at
the step it has reached; before the first fit, the same holds with the last step's time (the run
says that it does not take a step that would end past the budget: `budget_fit`). The wait for the
first batch (the data workers starting) is not in the first step's time there
(`BudgetPacer.first_batch_waited`): a 60 s wait then 2 s steps ended a run at its first step.

The budget counts from the command's start (`Trainer(started_at=...)`; the `fosp` command passes
when it started): reading the data, building the model and the first batch are inside it, so
`train.time_budget_s=60` is a command done in about a minute. A fresh run has not validated yet
when it first fits, so it validates its sources' first images then (`estimate_validation_sec`) and
counts the final validation at that pace.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fosp_core.train.config import Config
    from fosp_core.train.data import Source

__all__ = ["BUDGET_PACE", "BUDGET_SHARE", "BUDGET_WARMUP", "BudgetPacer", "about_s", "estimate_note",
           "estimate_validation_sec",
           "shortened_val_max", "time_in_all", "validation_images"]

BUDGET_WARMUP = 10  # steps not counted in the pace (worker start, autotuning) ...
BUDGET_PACE = 30  # ... and steps the pace is first measured over,
BUDGET_SHARE = 0.1  # each, at most, this share of the budget


def about_s(seconds: float) -> str:
    """Seconds as the budget's lines say them: whole from 10 s, else two significant digits ("0.3",
    "3.4"), so a sub-second step is not said as "about 0 s"."""
    return f"{seconds:.0f}" if seconds >= 10 else f"{seconds:.2g}"


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
    #: (iteration, training wall time) at the last tick, or at the start (`Trainer._loop` sets it): the
    #: last step's time is known from the second tick on, or from the first with it set
    last: tuple[int, float] | None = None
    #: The training wall time at `start` (a resumed run's: its earlier invocations' steps, not this one's)
    start_wall: float = 0.0

    def tick(self, iteration: int, wall_time: float, elapsed: float, val_sec: float) -> float | None:
        """After step `iteration`: the pace to fit the run's length with now, or None. `wall_time`:
        seconds spent in training steps so far; `elapsed`: seconds since the budget's start
        (validations included); `val_sec`: what the last validation took (the final one is due).
        Before the first fit, a step as long as the last one that would end past the budget (with
        the validation due) ends the run here: its pace is that step's."""
        window = self.budget_s * self.share if self.timed else float("inf")
        last, self.last = self.last, (iteration, wall_time)
        step_s = (wall_time - last[1]) / (iteration - last[0]) if last and iteration > last[0] else None
        if self.sec_per_iter is None and self.timed and step_s is not None and iteration > self.start \
                and elapsed + val_sec + step_s > self.budget_s:
            self.sec_per_iter = step_s  # the next step would end past the budget: end here
            return self.sec_per_iter
        if self.paced is None and self.timed and elapsed >= self.budget_s and iteration > self.start:
            # the budget is gone already: end here
            self.sec_per_iter = (wall_time - self.start_wall) / (iteration - self.start)
            return self.sec_per_iter
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

    def first_batch_waited(self, seconds: float) -> None:
        """The invocation's first batch took `seconds` to arrive (its data workers starting): not
        counted in the first step's time that the rule before the first fit uses (`tick`)."""
        if self.last is not None and self.last[0] == self.start:
            self.last = (self.last[0], self.last[1] + seconds)

    def measured(self, iteration: int, wall_time: float) -> float | None:
        """The pace over the window so far (a refit after a validation), or None before the warm-up
        has ended."""
        if self.paced is None or iteration <= self.paced[0]:
            return None
        self.sec_per_iter = (wall_time - self.paced[1]) / (iteration - self.paced[0])
        return self.sec_per_iter


def validation_images(sources: Sequence[Source], max_images: int) -> int:
    """How many images a validation of `sources` reads (`train.val_max_images` per source; 0: all)."""
    return sum(src.size if not max_images else min(src.size, max_images) for src in sources)


def shortened_val_max(budget_s: float, gone_s: float, sizes: Sequence[int], sec_per_image: float,
                      val_max: int) -> int:
    """The `train.val_max_images` a budgeted fresh run shortens its final validation to, or 0 to keep
    it. A validation of sources of `sizes` images (`val_max` each; 0: all) at `sec_per_image` that
    would end past the budget (longer than the time left with `gone_s` of `budget_s` gone) is cut to
    the most images a source that fit in a quarter of the budget and in half the time left, at least
    one; 0 when it fits (one that only leaves few steps is warned about: `estimate_note`), or when no
    shorter one exists. A budget already gone gets one image a source."""
    def images(k: int) -> int:
        return sum(size if not k else min(size, k) for size in sizes)

    left = budget_s - gone_s
    if left > 0 and images(val_max) * sec_per_image <= left:
        return 0
    target = min(budget_s / 4, left / 2)
    k, top = 1, max(sizes, default=0) if not val_max else val_max
    while left > 0 and k < top and images(k + 1) * sec_per_image <= target:
        k += 1
    return k if images(k) < images(val_max) else 0


def shortened_note(budget_s: float, gone_s: float, images: int, val_s: float, val_max: int, short_images: int,
                   short_s: float, what: str = "the final validation") -> str:
    """The line a budgeted fresh run says when it shortens `what` (its final validation; the ones at
    the start and the end) of `images` (`val_s` seconds in all, 0: not measured, the budget gone) to
    `val_max` images a source (`short_images`, `short_s` seconds each validation)."""
    from fosp_core.train.progress import format_duration

    final = what == "the final validation"
    each = "" if final else " each"
    took = (f"{what} ({images} images{each}) would take about {about_s(val_s)} s" if val_s else
            "start-up and the first steps took it all" if final else "start-up took it all")
    return (f"time budget {format_duration(budget_s)} from the command's start, {gone_s:.0f} s gone: {took}; "
            f"{'it is' if final else 'they are'} shortened to {val_max} image{'s' if val_max > 1 else ''} per "
            f"validation source ({short_images} image{'s' if short_images != 1 else ''}{each}"
            + (f", about {about_s(short_s)} s{each}" if val_s else "") + f"; train.val_max_images={val_max}, config.toml "
            "records it) so that the run ends within its budget; a longer budget validates on more")


def estimate_validation_sec(validate: Callable[[Config, Sequence[Source]], object], cfg: Config,
                            sources: Sequence[Source], clock: Callable[[], float]) -> tuple[float, int]:
    """(seconds, images) a validation of `sources` would take, from one validated on their first
    image each: `validate(cfg, sources)` is the task's validation. The first source's first image
    is validated once before, untimed: the model's first forward at a size carries one-off costs
    (3.4 s an image counted with it against 1.2 s in the whole validation, SMOKE5K on 2 cores).
    A budgeted fresh run calls it at its first fit, so the final validation it must end with is
    counted instead of running past the budget."""
    total = validation_images(sources, cfg.train.val_max_images)
    probed = validation_images(sources, 1)
    if not total or not probed:
        return 0.0, 0
    probe = copy.deepcopy(cfg)
    probe.train.val_max_images = 1
    validate(probe, sources[:1])
    t0 = clock()
    validate(probe, sources)
    return (clock() - t0) * total / probed, total


def estimate_note(budget_s: float, gone_s: float, images: int, val_s: float, sources: int = 1,
                  val_max: int = 0) -> str:
    """The line a budgeted fresh run says once it has estimated its final validation (`images` from
    `sources` validation sources, `val_max` each: `train.val_max_images`) with `gone_s` of the budget
    gone; a validation longer than half the time left is named, with a smaller `val_max_images` that
    would fit it in a quarter of the budget, or else what took the time."""
    from fosp_core.train.progress import format_duration

    said = (f"time budget {format_duration(budget_s)} from the command's start, {gone_s:.0f} s gone: the final "
            f"validation ({images} images) will take about {about_s(val_s)} s")
    if images and val_s > (budget_s - gone_s) / 2:
        per_source = max(1, int(budget_s / 4 / (val_s / images) / sources))
        said += (f", so the run takes about {format_duration(max(budget_s, gone_s + val_s))} in all and trains "
                 f"{'little' if gone_s + val_s < budget_s else 'no more'}")
        if not val_max or per_source < val_max:
            said += (f": a shorter validation fits the budget, e.g. train.val_max_images={per_source} (images per "
                     "validation source)")
        else:
            said += ": start-up and the first steps alone took most of the budget on this machine now"
    return said


def time_in_all(total_s: float, steps_s: float, val_s: float, budget_s: float, probe_s: float = 0.0) -> str:
    """The end's account of an invocation: how long since the command started, and in what;
    `probe_s`: the budget's estimate of a validation (`budget_validation`), said apart when there
    was one, not left in "start-up and saving"."""
    from fosp_core.train.progress import format_duration

    other = max(0.0, total_s - steps_s - val_s - probe_s)
    return (f"in all {format_duration(total_s)} since the command started"
            + (f" (time budget {format_duration(budget_s)})" if budget_s > 0 else "")
            + f": training steps {format_duration(steps_s)}, validations {format_duration(val_s)}, "
            + (f"the validation's estimate {format_duration(probe_s)}, " if probe_s > 0 else "")
            + f"start-up and saving {format_duration(other)}")
