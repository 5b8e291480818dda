"""While Start checks the run (its plan made on a worker thread), the lines under the form that
describe a run not started yet (how long, the batch, what the dataset lacks) are hidden, as they are
once it runs: found walking the dialog, they stayed up under "Checking the dataset…"."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

import app.training.dialog as dialog_module
from app.training.dialog import FineTuneDialog
from app.training.planning import plan_run
from fosp_core.analysis.settings import AnalysisSettings
from tests.gui.finetune_start import read_settled

DEVICES = [("auto", "Automatic"), ("cpu", "CPU (2 cores)")]


def test_the_lines_for_a_run_not_started_hide_while_start_checks_it(
        qtbot, tmp_path: Path, export: Path, tiny_checkpoint: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    gate = threading.Event()

    def held(*args: object) -> object:
        gate.wait(30)
        return plan_run(*args)

    monkeypatch.setattr(dialog_module, "plan_run", held)
    dialog = FineTuneDialog(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), AnalysisSettings(),
                            DEVICES, runs_dir=str(tmp_path / "runs"))
    qtbot.addWidget(dialog)
    monkeypatch.setattr(dialog.worker, "start", lambda plan: None)
    dialog.dataset_edit.setText(str(export))
    dialog.checkpoint_edit.setText(str(tiny_checkpoint))
    read_settled(qtbot, dialog)
    assert dialog.estimate.text() and dialog.note.text()  # before Start: said
    assert dialog.start() and dialog.planning()
    assert not dialog.start_button.isEnabled() and not dialog.dataset_edit.isEnabled()
    assert dialog.estimate.isHidden() and dialog.note.isHidden() and dialog.batch_note.isHidden()
    with qtbot.waitSignal(dialog.planned) as planned:
        gate.set()
    assert planned.args == [True] and dialog.plan is not None and "starting" in dialog.log_view.toPlainText()
