"""What Start plans, off the GUI thread: `plan_run` checks the request and writes the run's recipe
(`fosp_core.train.finetune.plan_finetune`, which imports torch with the dataset reader, resolves the
recipe and opens the dataset's images) and finds the hint for a folder labelled in the app. The Fine-tune
dialog runs it on a worker thread (`app.training.background`) and starts the run when its answer comes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.training.messages import project_hint
from fosp_core.train.finetune import FineTuneError, FineTunePlan, FineTuneRequest, plan_finetune

__all__ = ["Planned", "plan_run"]


@dataclass(frozen=True)
class Planned:
    """Start's answer: the plan (None when refused), the project hint for the log ("" none), and the
    reason a refused plan gives, said as the dialog's status."""

    plan: FineTunePlan | None
    hint: str = ""
    problem: str = ""


def plan_run(request: FineTuneRequest, resume: bool) -> Planned:
    """Plan `request` (a resume: the stopped run's own); never raises `FineTuneError`, it is the problem."""
    hint = "" if resume else project_hint(Path(request.dataset))
    try:
        plan = plan_finetune(request)
    except FineTuneError as exc:
        return Planned(None, hint, f"{exc}. {hint[0].upper()}{hint[1:]}" if hint else str(exc))
    return Planned(plan, hint)
