"""Escape in the Fine-tune dialog while a run trained hid the dialog without a word (QDialog's Escape
rejects: a hide, no close event), where Close asks "Stop the training?": the run went on unseen and
nothing said when it ended. Escape is now Close: it asks while a run goes (No keeps the dialog and the
run, Yes stops the run with its state saved), as the Compare dialog's Escape was made to."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.gui.conftest import WindowFactory
from tests.gui.finetune_start import read_settled, start_and_wait

SMALL = ["data.scale=96", "train.val_size=96", "data.workers=0", "train.threads=1", "train.log_every=1",
         "data.crop=64"]


def test_escape_during_a_run_asks_as_close_does(qtbot, make_window: WindowFactory, tmp_path: Path, export: Path,
                                                 tiny_checkpoint: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.training.runs_dir = str(tmp_path / "runs")
    dialog = window.training.open_dialog()
    dialog.extra_overrides = SMALL
    dialog.dataset_edit.setText(str(export))
    dialog.checkpoint_edit.setText(str(tiny_checkpoint))
    dialog.iterations.setValue(400)
    dialog.batch.setValue(2)
    dialog.device.setCurrentIndex(max(0, dialog.device.findData("cpu")))
    read_settled(qtbot, dialog)
    assert start_and_wait(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.progress_bar.value() >= 1, timeout=120_000)
    answers = [QMessageBox.StandardButton.No]
    asked: list[str] = []

    def question(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        asked.append(args[1])
        return answers[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == ["Training Is Running"], "Escape hid the dialog without asking"
    assert dialog.isVisible() and dialog.worker.running()  # No: both go on
    answers[0] = QMessageBox.StandardButton.Yes
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == ["Training Is Running"] * 2  # asked once more, not twice (QDialog's close rejects)
    assert not dialog.isVisible() and not dialog.worker.running()
    assert (dialog.plan.run_dir / "last.pt").is_file()  # stopped with its state saved: Resume continues it
    window.training.open_dialog()
    assert dialog.start_button.text() == "Resume"
