"""What a training run does and says when it is stopped (Ctrl+C, SIGTERM, the app's Stop, its parent
gone: a KeyboardInterrupt in `Trainer.run`, held back during an optimiser update by
`signals.interrupt_after`).

A stop after the first iteration saves the state (`last.pt`) and says how to continue; it does not
validate, so it spends nothing on the final validation a time budget had counted
(`budget_validation`), and says that, with the best checkpoint kept so far; under
`train.time_budget_s` it ends with the account a finished run gives (`budget.time_in_all`). A stop
before the first iteration saved nothing and says to start again. Under DDP, or during an update
whose interrupt could not be deferred, nothing is said here (a torn state is not saved).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fosp_core.train import budget as budget_rules
from fosp_core.train import distributed as dist_utils
from fosp_core.train.best import best_in_words
from fosp_core.train.signals import interrupt_after, restart_hint, resume_hint

__all__ = ["STOPPED_EVENT", "on_interrupt", "validate_unvalidated_end"]

STOPPED_EVENT = "stopped"  # the run log's event of a stop: `iter` is the saved state's iteration


def on_interrupt(trainer: Any, clock: Callable[[], float]) -> None:
    """`trainer` was stopped: save and say what is due, its time in all read from `clock` (a
    `time.perf_counter`) once the state is saved, as a finished run's account counts its last save;
    `trainer.interrupt_told` is set once the run has said where it stands. The caller raises again."""
    if not trainer.dist.enabled and not trainer.updating and trainer.iteration > 0:
        try:
            with interrupt_after():  # a second stop (a second Ctrl-C, SIGTERM after SIGINT): after the save
                trainer.save_last()
        except KeyboardInterrupt:
            pass  # the caller raises again; the state is saved, and said below
        try:  # where the state stands, for what reads the log (the Fine-tune dialog, a later session's offer):
            # its last `train` record is the last of `train.log_every`, up to log_every - 1 iterations earlier
            trainer.log.write({"type": "event", "iter": trainer.iteration, "event": STOPPED_EVENT})
        except OSError:
            pass  # a full disk: the state is saved, and said below
        trainer.say(f"interrupted: state saved at iteration {trainer.iteration}; {resume_hint()}")
        if trainer.val_sources:
            trainer.say("not validated at the stop (a run validates at its end): "
                        + best_in_words(trainer.best, trainer.run_dir))
        budget_s = trainer.cfg.train.time_budget_s
        if budget_s > 0:
            steps_s = trainer.wall_time - getattr(trainer, "wall_t0", 0.0)  # this command's steps only
            trainer.say(budget_rules.time_in_all(clock() - trainer._budget_t0, steps_s, trainer.val_time,
                                                 budget_s, getattr(trainer, "probe_time", 0.0)))
        trainer.interrupt_told = True
    elif trainer.iteration == 0 and not (trainer.run_dir / "last.pt").exists():
        again = restart_hint()  # --resume would find nothing to resume
        trainer.say("interrupted before the first iteration: nothing saved" + (f"; {again}" if again else ""))
        trainer.interrupt_told = True


def validate_unvalidated_end(trainer: Any) -> None:
    """A resumed run already at its end (`train.iterations` reached) whose last iteration has no
    validation in its log - stopped during its final validation, which saves the state at that
    iteration first - validates it now (the best checkpoint kept, `last.pt` saved with it): its
    `--resume` said "complete" and validated nothing, so no best.safetensors was ever written. Rank 0
    decides from its log, every rank follows (`validate_now` waits for them all)."""
    missing = bool(trainer.main and trainer.val_sources and trainer.iteration > 0 and not any(
        int(r.get("iter", -1)) == trainer.iteration for r in trainer.log.records("val")))
    if not dist_utils.broadcast_object(missing):
        return
    trainer.say(f"run {trainer.cfg.name} has no validation of its last iteration {trainer.iteration} (stopped "
                "before or during it): validating it now")
    trainer.validate_now()
    trainer.save_last()

