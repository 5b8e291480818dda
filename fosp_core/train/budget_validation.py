"""A budgeted fresh run's final validation, counted (and shortened if need be) at its first fit.

A fresh run under `train.time_budget_s` that has not validated yet (no `val_at_start`) does not know
what its final validation costs when it first fits its length. `final_validation_sec` measures it
on one image per validation source (`budget.estimate_validation_sec`) and, when that validation
would end past the budget, shortens it (`budget.shortened_val_max`): a user who asks for 60 s
expects the command done in about a minute, not a 5-minute validation of 194 images after it,
warned about. One that fits but leaves few steps is kept, and said (`budget.estimate_note`). The run says so, logs a `time_budget_validation` event and config.toml records
the `train.val_max_images` it validates with. A budget already spent at the fit (start-up longer than
the budget) is not probed, which would only add to the overrun: one image a source is validated.

A run that validates its starting weights (`val_at_start`, the app's fine-tunes) decides before
that validation (`shorten_start_validation`): both it and the final one, on the same images so that
the best checkpoint compares like with like, are counted and shortened together when they would end
past the budget; a budget spent by start-up validates one image a source. A resumed run keeps its
validation: its best checkpoint was scored on those images, and the next score must be comparable.
For the same reason a resumed run whose budget shortened its validation (the same command with
`--resume` names the recipe's `val_max_images` again) validates on the shortened one
(`keep_shortened_validation`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fosp_core.train import budget as budget_rules
from fosp_core.train.config import dump_toml
from fosp_core.train.progress import format_duration
from fosp_core.train.state import atomic_write_text

__all__ = ["ESTIMATE_EVENT", "final_validation_sec", "keep_shortened_validation", "shorten_start_validation"]

#: The log.jsonl event that records a budgeted run's estimate of a validation (seconds an image), so
#: that `--resume` reuses it instead of validating one image a source again (`_saved_estimate`)
ESTIMATE_EVENT = "validation_estimate"


def _saved_estimate(trainer: Any) -> tuple[int, float] | None:
    """(iteration, seconds an image) of the estimate a resumed run recorded (its log's last
    `validation_estimate` event up to the iteration it resumed from) on this device, precision,
    `train.val_size`, computer and thread count (`_where`); None for a fresh run, a run folder without one (older runs) or one measured
    elsewhere (another device's pace says nothing of this one's)."""
    if not trainer.iteration:
        return None
    events = [r for r in trainer.log.records("event")
              if r.get("event") == ESTIMATE_EVENT and int(r.get("iter", 0)) <= trainer.iteration]
    if not events:
        return None
    last = events[-1]
    sec = last.get("sec_per_image")
    here = _where(trainer)
    same = all(last.get(key) == value for key, value in here.items())
    if not same or not isinstance(sec, int | float) or isinstance(sec, bool) or not sec > 0:
        return None
    return int(last.get("iter", 0)), float(sec)


def _where(trainer: Any) -> dict[str, object]:
    """What an estimate's pace depends on: the device, its precision and `train.val_size`, and the computer
    and its threads (a run folder copied elsewhere, another `train.threads`: "cpu" is not one pace)."""
    import platform

    import torch

    return {"device": str(trainer.device), "precision": trainer.precision, "val_size": trainer.cfg.train.val_size,
            "host": platform.node(), "threads": torch.get_num_threads()}


def _probe(trainer: Any, clock: Callable[[], float]) -> tuple[float, int, float, float]:
    """(seconds, images, seconds an image, seconds of the budget gone after it) of one validation at
    its configured size, from one image a source (`budget.estimate_validation_sec`); a weight-average
    run (`ema_decay` with `ema_validate_raw`) counts its two validations. A budget already spent is not
    probed (a probe would only add to the overrun): (0, images, 0, gone)."""
    tc = trainer.cfg.train
    sources = trainer.val_sources
    images = budget_rules.validation_images(sources, tc.val_max_images)
    gone = clock() - trainer._budget_t0
    if gone >= tc.time_budget_s:
        return 0.0, images, 0.0, gone

    def validate(c: Any, chosen: Any) -> object:
        return trainer.task.validate(trainer.eval_model(), chosen, c, trainer.device, trainer._eval_autocast)

    saved = _saved_estimate(trainer)
    if saved is not None:  # a resumed run: measured by an earlier invocation of the run
        at, sec_per_image = saved
        val_s = sec_per_image * images
        trainer.say(f"resume: the final validation's estimate of iteration {at} (log.jsonl) is reused, not "
                    f"measured again: about {budget_rules.about_s(sec_per_image)} s an image")
    else:
        started = clock()
        val_s, images = budget_rules.estimate_validation_sec(validate, trainer.cfg, sources, clock)
        trainer.probe_time += clock() - started  # the end's account says it apart (`budget.time_in_all`)
        if images:
            trainer.log.write({"type": "event", "iter": trainer.iteration, "event": ESTIMATE_EVENT,
                               "sec_per_image": round(val_s / images, 6), "images": images, **_where(trainer)})
    if trainer.ema is not None and tc.ema_validate_raw:  # the average's and the raw weights' validations
        val_s *= 2
    return val_s, images, val_s / images if images else 0.0, clock() - trainer._budget_t0


def _shorten(trainer: Any, short: int, gone: float, images: int, val_s: float, per_image: float,
             what: str) -> float:
    """Validate `short` images a source from now on: say it, log a `time_budget_validation` event,
    record it in config.toml; returns one shortened validation's seconds."""
    tc = trainer.cfg.train
    tc.val_max_images = short
    short_images = budget_rules.validation_images(trainer.val_sources, short)
    short_s = short_images * per_image
    trainer.say(budget_rules.shortened_note(tc.time_budget_s, gone, images, val_s, short, short_images, short_s,
                                            what))
    trainer.log.write({"type": "event", "iter": trainer.iteration, "event": "time_budget_validation",
                       "val_max_images": short, "images": short_images, "was_images": images,
                       "sec": round(short_s, 2)})
    recorded = trainer.cfg.recorded()
    recorded["train"]["iterations"] = trainer.total
    atomic_write_text(trainer.run_dir / "config.toml", dump_toml(recorded))
    return short_s


def final_validation_sec(trainer: Any, clock: Callable[[], float]) -> float:
    """Rank 0 of a budgeted fresh segmentation run at its first fit: the seconds its final validation
    is counted at (0 when the budget was already spent: not measured); shortens it when it cannot fit
    (`trainer.cfg.train.val_max_images`), and says what it found."""
    tc = trainer.cfg.train
    sources = trainer.val_sources
    val_s, images, per_image, gone = _probe(trainer, clock)
    short = budget_rules.shortened_val_max(tc.time_budget_s, gone, [src.size for src in sources], per_image,
                                           tc.val_max_images)
    if not short:
        trainer.say(budget_rules.estimate_note(tc.time_budget_s, gone, images, val_s, len(sources),
                                               tc.val_max_images) if val_s or not images else
                    f"time budget {format_duration(tc.time_budget_s)} from the command's start, {gone:.0f} s gone: "
                    f"start-up and the first steps took it all; the run ends after its final validation ({images} "
                    f"image{'s' if images != 1 else ''})")
        return val_s
    return _shorten(trainer, short, gone, images, val_s, per_image, "the final validation")


def shorten_start_validation(trainer: Any, clock: Callable[[], float]) -> None:
    """Rank 0 of a budgeted fresh segmentation run that validates its starting weights
    (`val_at_start`, the app's fine-tunes), before it does: when that validation and the final one
    on the same images would end past the budget, both are shortened (`budget.shortened_val_max`
    over the two), said and recorded as the final one's is; a budget spent by start-up validates one
    image a source, unprobed. Already one image a source: nothing shorter, no probe. The other ranks
    of a DDP run do nothing (they do not validate: a probe and a config.toml of theirs would be wasted
    time and would overwrite rank 0's record with their own clock's decision)."""
    if not trainer.main:
        return
    tc = trainer.cfg.train
    sources = trainer.val_sources
    if budget_rules.validation_images(sources, tc.val_max_images) <= budget_rules.validation_images(sources, 1):
        return
    val_s, images, per_image, gone = _probe(trainer, clock)
    short = budget_rules.shortened_val_max(tc.time_budget_s, gone, [src.size for src in sources], 2 * per_image,
                                           tc.val_max_images)
    if short:
        _shorten(trainer, short, gone, images, 2 * val_s, per_image, "the validations at the start and at the end")


def keep_shortened_validation(trainer: Any) -> None:
    """A resumed run (rank 0) whose log says its time budget shortened its validation (a
    `time_budget_validation` event up to the iteration it resumes from) validates with that
    `train.val_max_images`, unless this command asks for fewer: its best checkpoint was scored there."""
    if not trainer.main or not trainer.iteration:
        return
    events = [r for r in trainer.log.records("event")
              if r.get("event") == "time_budget_validation" and int(r.get("iter", 0)) <= trainer.iteration]
    short = int(events[-1].get("val_max_images", 0)) if events else 0
    tc = trainer.cfg.train
    if short and (not tc.val_max_images or tc.val_max_images > short):
        tc.val_max_images = short
        trainer.say(f"resume: validating {short} image{'s' if short > 1 else ''} per validation source, as since the "
                    f"time budget shortened it at iteration {events[-1].get('iter')} (train.val_max_images={short}): "
                    "the best checkpoint was scored on those images")
        atomic_write_text(trainer.run_dir / "config.toml", dump_toml(trainer.cfg.recorded()))  # as validated
