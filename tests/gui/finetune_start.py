"""Helpers for tests of the Fine-tune dialog, whose Start plans the run on a worker thread and whose
form reads the dataset folder on one: wait for the plan (`start_and_wait`) or the read (`read_settled`)."""

from __future__ import annotations

from app.training.dialog import FineTuneDialog
from app.training.form import FineTuneForm


def start_and_wait(qtbot, dialog: FineTuneDialog, timeout: int = 120_000) -> bool:  # noqa: ANN001
    """Press Start (`dialog.start()`) and wait for its plan: True when the run started, False when Start
    refused at once or the plan was refused (the status says why)."""
    answers: list[bool] = []

    def answered(ok: bool) -> None:
        answers.append(ok)

    dialog.planned.connect(answered)
    try:
        if not dialog.start():
            return False
        qtbot.waitUntil(lambda: bool(answers), timeout=timeout)
    finally:
        dialog.planned.disconnect(answered)
    return answers[0]


def read_settled(qtbot, form: FineTuneForm | FineTuneDialog, timeout: int = 30_000) -> None:  # noqa: ANN001
    """Wait until the lines under the form say the dataset now in its box (its folder read)."""
    form = form.form if isinstance(form, FineTuneDialog) else form
    reading = getattr(form, "reading", lambda: False)  # (a form that read on the GUI thread had no such state)
    qtbot.waitUntil(lambda: not reading(), timeout=timeout)
