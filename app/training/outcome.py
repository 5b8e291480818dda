"""How a fine-tune run ended, as the Fine-tune dialog says it (no Qt): done, stopped with its state
saved, stopped before anything was saved, or failed; and whether Resume continues it. A run found
stopped from an earlier session (`app.training.runs.find_stopped_run`) is said here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.training.messages import failure_text, verdict_text
from fosp_core.train.finetune import FineTunePlan, TrainProgress

__all__ = ["RunEnd", "STOPPED", "run_end", "stopped_run_text", "usable_weights"]

STOPPED = 130  # the trainer's exit code after a stop (SIGINT, a stop request, a gone parent): state saved


@dataclass(frozen=True)
class RunEnd:
    """The status a run's end leaves. problem: shown as an error; resumable: the plan Resume continues
    (a saved `last.pt`), None when a new run must start."""

    text: str
    problem: bool
    resumable: FineTunePlan | None


def usable_weights(plan: FineTunePlan | None) -> Path | None:
    """The weights Use this model and Compare take from the run of `plan`: those a finished run exported
    (`plan.model_out`), else its best so far (``best.safetensors`` in the run folder: a stopped run's, the
    starting checkpoint's when no validation beat it yet); None when it has neither."""
    if plan is None:
        return None
    for path in (plan.model_out, plan.run_dir / "best.safetensors"):
        if path.is_file():
            return path
    return None


def _has_state(plan: FineTunePlan | None) -> bool:
    return plan is not None and (plan.run_dir / "last.pt").is_file()


def run_end(code: int, plan: FineTunePlan | None, progress: TrainProgress | None, output: Sequence[str]) -> RunEnd:
    """The end of the run of `plan`, which exited with `code` after logging `progress` (None when its
    log was never read) and printing `output` (its last messages, which explain a failure)."""
    it = progress.iteration if progress is not None else 0
    if code == 0 and plan is not None:
        verdict = verdict_text(progress, plan.val_in_train)
        return RunEnd(f"Done: {it} iterations. {verdict}Weights: {plan.model_out} — press Use this model to open "
                      "them in the Model panel.", False, None)
    if code == STOPPED and _has_state(plan):
        so_far = _so_far(usable_weights(plan))  # a usable checkpoint meanwhile: said, Use this model opens it
        return RunEnd(f"Stopped at iteration {it}; the state is saved. Resume continues the run.{so_far}", False, plan)
    if code == STOPPED and plan is not None:  # stopped while the model loaded: nothing to resume
        return RunEnd("Stopped before the first iteration; nothing was saved. Start begins a run again.", False, None)
    # failed; with a saved state (a full disk, say) Resume continues once the cause is gone
    text = failure_text(code, output, plan.run_dir if plan is not None else None)
    return RunEnd(text, True, plan if _has_state(plan) else None)


def stopped_run_text(name: str, progress: TrainProgress, iterations: int, earlier: bool = True,
                     best: Path | None = None) -> str:
    """The status of run `name` found stopped (state saved), offered for Resume: from an earlier session
    (`earlier`), or the run a new one's name asked for (its name is taken: that run is offered instead); with
    `best` (`usable_weights`) the weights Use this model opens meanwhile."""
    if not earlier:
        text = (f"A run named {name} is there already, stopped at iteration {progress.iteration} / {iterations}; its "
                "state is saved. Resume continues it; New run sets up another (under another name).")
    else:
        text = (f"{name} stopped at iteration {progress.iteration} / {iterations} in an earlier session; its state is "
                "saved. Resume continues it, New run sets up another.")
    return text + _so_far(best)


def _so_far(best: Path | None) -> str:
    """" Its best weights so far: BEST — Use this model opens them in the Model panel.", or "" for none."""
    return f" Its best weights so far: {best} — Use this model opens them in the Model panel." if best else ""
