"""Enter in a field of the Fine-tune dialog (a typed number of iterations, a dataset path, the run's name) started
a training run of many minutes: Start was the dialog's default button. The GNOME HIG and Microsoft's Windows
guidelines both say an action that is costly or hard to undo (GNOME: one that may lose data; Windows: "Replace
All") is not the default button, and that Cancel is not made the default instead: the dialog has none now, so
Enter in a field neither starts a run nor closes the dialog. Start is pressed with the mouse, or Space on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton

from app.training.dialog import FineTuneDialog
from fosp_core.analysis.settings import AnalysisSettings
from tests.gui.finetune_start import read_settled

DEVICES = [("auto", "Automatic"), ("cpu", "CPU (2 cores)")]


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter], ids=["return", "enter"])
def test_enter_in_a_field_starts_no_run(qtbot, tmp_path: Path, export: Path, tiny_checkpoint: Path,  # noqa: ANN001
                                        key: Qt.Key, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = FineTuneDialog(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), AnalysisSettings(),
                            DEVICES, runs_dir=str(tmp_path / "runs"))
    qtbot.addWidget(dialog)
    monkeypatch.setattr(dialog.worker, "start", lambda plan: None)  # a Start that got through runs nothing
    dialog.dataset_edit.setText(str(export))  # a run ready: Start is enabled
    dialog.checkpoint_edit.setText(str(tiny_checkpoint))
    read_settled(qtbot, dialog)
    assert dialog.start_button.isEnabled()
    pressed: list[str] = []
    for button in dialog.findChildren(QPushButton):
        button.clicked.connect(lambda *_, b=button: pressed.append(b.text()))
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert [b.text() for b in dialog.findChildren(QPushButton) if b.isDefault()] == []
    for field in (dialog.iterations, dialog.lr, dialog.dataset_edit, dialog.checkpoint_edit, dialog.name_edit):
        field.setFocus()
        qtbot.waitUntil(field.hasFocus)
        QTest.keyClick(QApplication.focusWidget(), key)
        QApplication.processEvents()
        assert pressed == [] and not dialog.planning(), type(field).__name__
        assert dialog.isVisible()  # nor closed
    QTest.keyClick(dialog.start_button, Qt.Key.Key_Space)  # Start itself still answers the keyboard
    assert pressed == ["Start"]


def test_enter_with_a_stopped_run_offered_leaves_it_alone(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    """With a stopped run offered (Resume, New run shown; the form's fields off), Enter where the focus is (the
    log) pressed New run: Qt had made it the default (the first button that may be, at show: Start's own
    setDefault came before the button was the dialog's), and New run leaves the stopped run."""
    dialog = FineTuneDialog(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), AnalysisSettings(),
                            DEVICES, runs_dir=str(tmp_path / "runs"))
    qtbot.addWidget(dialog)
    stopped = object()
    dialog.stopped_plan = stopped  # type: ignore[assignment] - only its presence counts for the buttons
    dialog._update_buttons()
    pressed: list[str] = []
    for button in dialog.findChildren(QPushButton):
        button.clicked.connect(lambda *_, b=button: pressed.append(b.text()))
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert dialog.new_button.isVisible() and dialog.start_button.text() == "Resume"
    dialog.log_view.setFocus()
    qtbot.waitUntil(dialog.log_view.hasFocus)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert pressed == [] and dialog.stopped_plan is stopped and dialog.isVisible()
