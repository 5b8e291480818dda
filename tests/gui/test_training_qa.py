"""QA of the Fine-tune dialog as a user drives it: stops at awkward moments, in one dialog (one test: each
run is a process)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.gui.conftest import WindowFactory
from tests.gui.finetune_start import start_and_wait
from tests.gui.test_finetune_dialog import _dialog


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_stops_at_awkward_moments_then_resume(qtbot, make_window: WindowFactory, tmp_path: Path, export: Path,
                                             tiny_checkpoint: Path, monkeypatch) -> None:
    """One fine-tune process after another in one dialog (each start pays a process and its torch import):

    1. a stop before the first iteration (while the model loads) is a stop, not a failure, and a new start goes;
    2. an earlier stop's grace timer ('kill it if it has not stopped', 20 s) firing while the next run is
       saving its state at its stop does not kill it (it used to);
    3. that stop saved the state (Resume offered) and a resumed run goes on from it, not from zero
       (before session 34: test_finetune_dialog.test_stop_saves_the_state_and_resume_finishes_the_run);
    4. Escape while it runs asks as Close does: it hid the dialog without a word (QDialog's Escape rejects: a
       hide, no close event) and the run went on unseen. No keeps the dialog and the run, Yes stops the run
       with its state saved (before session 34: test_finetune_s32_escape_asks)."""
    import app.training.process as process_module

    timers: list = []
    holding = [True]  # until step 4 (Escape), which runs with Qt's timers as they are
    real_single_shot = process_module.QTimer.singleShot

    def single_shot(ms: int, *rest: object) -> None:
        """Hold the two-argument timers (the grace timer's form); others (a context object's) run."""
        if len(rest) == 1 and holding[0]:
            timers.append(rest[0])
        else:
            real_single_shot(ms, *rest)

    monkeypatch.setattr(process_module.QTimer, "singleShot", single_shot)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    dialog = _dialog(window, tmp_path, export, tiny_checkpoint, iterations=400)

    # 1. stopped while the model loads: nothing saved yet
    assert start_and_wait(qtbot, dialog)
    pid = int(dialog.worker.process.processId())
    with qtbot.waitSignal(dialog.worker.finished, timeout=60_000) as stopped:
        dialog.stop()
    assert stopped.args == [130], "1: a stop before the first iteration"
    assert not (dialog.plan.run_dir / "last.pt").exists()
    assert _gone(pid)
    assert "Stopped before the first iteration" in dialog.status.text(), dialog.status.text()
    assert "code 130" not in dialog.status.text() and not dialog.status.styleSheet()
    assert dialog.start_button.text() == "Start" and dialog.start_button.isEnabled()
    assert dialog.dataset_edit.isEnabled() and not dialog.stop_button.isEnabled()
    assert timers, "1: the stop set its grace timer"

    # 2. a new start goes; stopped after an iteration while the first stop's grace timer fires
    assert start_and_wait(qtbot, dialog), "2: a new start after a stop before the first iteration"
    qtbot.waitUntil(lambda: dialog.progress_bar.value() >= 1, timeout=120_000)
    killed: list[str] = []
    dialog.worker.output.connect(killed.append)
    with qtbot.waitSignal(dialog.worker.finished, timeout=60_000) as stopped:
        dialog.stop()
        timers[0]()  # the first run's grace ends while the second is stopping
    assert not [line for line in killed if "killing it" in line], "2: the earlier stop's timer killed the run"
    assert stopped.args == [130] and (dialog.plan.run_dir / "last.pt").is_file(), "2: the stop saved the state"
    assert "Stopped at iteration" in dialog.status.text(), dialog.status.text()
    assert dialog.start_button.text() == "Resume" and dialog.new_button.isVisible()
    reached = dialog.progress_bar.value()
    assert 1 <= reached < 400

    # 3. resume: the run continues from its state, not from zero
    assert start_and_wait(qtbot, dialog), "3: Resume"
    assert "resuming" in dialog.log_view.toPlainText()
    qtbot.waitUntil(lambda: dialog.progress_bar.value() > reached, timeout=120_000)

    # 4. Escape while it runs: asked as Close asks; No keeps both, Yes stops the run with its state saved
    holding[0] = False
    answers = [QMessageBox.StandardButton.No]
    asked: list[str] = []

    def question(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        asked.append(args[1])
        return answers[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    (dialog.plan.run_dir / "last.pt").unlink()  # step 2's: the state saved by this stop is looked for
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == ["Training Is Running"], "4: Escape hid the dialog without asking"
    assert dialog.isVisible() and dialog.worker.running(), "4: No: both go on"
    answers[0] = QMessageBox.StandardButton.Yes
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == ["Training Is Running"] * 2, "4: asked once more, not twice (QDialog's close rejects)"
    assert not dialog.isVisible() and not dialog.worker.running(), "4: Yes: the run stopped, the dialog closed"
    assert (dialog.plan.run_dir / "last.pt").is_file(), "4: stopped with its state saved"
    window.training.open_dialog()
    assert dialog.start_button.text() == "Resume"
    dialog.new_run()
    assert dialog.start_button.text() == "Start" and dialog.dataset_edit.isEnabled()
