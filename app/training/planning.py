"""What Start plans, off the GUI thread: `plan_run` checks the request and writes the run's recipe
(`fosp_core.train.finetune.plan_finetune`, which imports torch with the dataset reader, resolves the
recipe and opens the dataset's images) and finds the hint for a folder labelled in the app. The Fine-tune
dialog runs it on a worker thread (`app.training.background`) and starts the run when its answer comes.
A plan that Stop (or closing the dialog) cancelled while it was made leaves no run folder behind:
`plan_run` removes it when told so in time, the dialog when the answer comes after the cancel
(`fosp_core.train.finetune.discard_plan`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from app.training.messages import no_home_text, project_hint
from fosp_core.train.finetune import (
    FineTuneError,
    FineTunePlan,
    FineTuneRequest,
    RunExists,
    discard_plan,
    plan_finetune,
)

__all__ = ["CANCELLED", "Planned", "plan_run"]

CANCELLED = "cancelled"  # the problem of a plan dropped because Start was stopped


@dataclass(frozen=True)
class Planned:
    """Start's answer: the plan (None when refused), the project hint for the log ("" none), the
    reason a refused plan gives, said as the dialog's status, and `stopped`: the folder of the stopped
    run whose name a new run asked for (`RunExists`: the dialog offers it for Resume)."""

    plan: FineTunePlan | None
    hint: str = ""
    problem: str = ""
    stopped: Path | None = None


def plan_run(request: FineTuneRequest, resume: bool, cancelled: threading.Event | None = None) -> Planned:
    """Plan `request` (a resume: the stopped run's own); never raises `FineTuneError`, it is the problem.
    `cancelled` set by the time the plan is made: its run folder is discarded, the problem is `CANCELLED`.
    A dataset or checkpoint typed in the home of a user who does not exist is refused first (`no_home_text`)."""
    for typed, what in ((request.dataset, "dataset folder"), (request.init_from, "checkpoint")):
        no_home = no_home_text(typed, what)
        if no_home:  # expanduser would raise (the plan's "Could not determine home directory.")
            return Planned(None, "", no_home)
    hint = "" if resume else project_hint(Path(request.dataset))
    try:
        plan = plan_finetune(request)
    except FineTuneError as exc:
        stopped = exc.run_dir if isinstance(exc, RunExists) and exc.stopped else None
        return Planned(None, hint, f"{exc}. {hint[0].upper()}{hint[1:]}" if hint else str(exc), stopped)
    if cancelled is not None and cancelled.is_set():
        discard_plan(plan)
        return Planned(None, hint, CANCELLED)
    return Planned(plan, hint)
