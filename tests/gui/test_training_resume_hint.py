"""A fine-tune run the app started and stopped said 'interrupted: state saved at iteration N;
continue with --resume' in the dialog's log, where the way to continue is the Resume button: the
app tells its training process how its user resumes (`RESUME_HINT_ENV`)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QProcess

from app.training.process import TrainingProcess


def test_the_apps_training_process_says_press_resume(qtbot) -> None:
    proc = QProcess()
    proc.setProcessEnvironment(TrainingProcess.environment())
    proc.start(sys.executable, ["-c", "from fosp_core.train.signals import resume_hint; print(resume_hint())"])
    assert proc.waitForFinished(60_000)
    assert bytes(proc.readAllStandardOutput().data()).decode().strip() == "press Resume"
