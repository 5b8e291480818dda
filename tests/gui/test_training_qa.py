"""QA of the Fine-tune dialog as a user drives it: stops at awkward moments."""

from __future__ import annotations

import os
from pathlib import Path

from tests.gui.conftest import WindowFactory
from tests.gui.finetune_start import start_and_wait
from tests.gui.test_finetune_dialog import _dialog


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_stop_before_the_first_iteration_is_a_stop_not_a_failure(qtbot, make_window: WindowFactory, tmp_path: Path,
                                                                   export: Path, tiny_checkpoint: Path) -> None:
    window = make_window()
    dialog = _dialog(window, tmp_path, export, tiny_checkpoint, iterations=400)
    assert start_and_wait(qtbot, dialog)
    pid = int(dialog.worker.process.processId())
    with qtbot.waitSignal(dialog.worker.finished, timeout=60_000) as stopped:
        dialog.stop()  # while the model loads: nothing saved yet
    assert stopped.args == [130]
    assert not (dialog.plan.run_dir / "last.pt").exists()
    assert _gone(pid)
    assert "Stopped before the first iteration" in dialog.status.text(), dialog.status.text()
    assert "code 130" not in dialog.status.text() and not dialog.status.styleSheet()
    assert dialog.start_button.text() == "Start" and dialog.start_button.isEnabled()
    assert dialog.dataset_edit.isEnabled() and not dialog.stop_button.isEnabled()
    assert start_and_wait(qtbot, dialog)  # and a new start goes
    qtbot.waitUntil(lambda: dialog.progress_bar.value() >= 1, timeout=120_000)
    with qtbot.waitSignal(dialog.worker.finished, timeout=60_000):
        dialog.stop()
    assert "Stopped at iteration" in dialog.status.text()


def test_an_earlier_stops_grace_timer_does_not_kill_the_next_run(qtbot, make_window: WindowFactory, tmp_path: Path,
                                                                 export: Path, tiny_checkpoint: Path,
                                                                 monkeypatch) -> None:
    """Stop, Start again, Stop: the first stop's 'kill it if it has not stopped' timer (20 s) used
    to fire on the second run while that one was saving its state, and killed it."""
    import app.training.process as process_module

    timers: list = []
    real_single_shot = process_module.QTimer.singleShot

    def single_shot(ms: int, *rest: object) -> None:
        """Hold the two-argument timers (the grace timer's form); others (a context object's) run."""
        if len(rest) == 1:
            timers.append(rest[0])
        else:
            real_single_shot(ms, *rest)

    monkeypatch.setattr(process_module.QTimer, "singleShot", single_shot)
    window = make_window()
    dialog = _dialog(window, tmp_path, export, tiny_checkpoint, iterations=400)
    assert start_and_wait(qtbot, dialog)
    with qtbot.waitSignal(dialog.worker.finished, timeout=60_000):
        dialog.stop()
    assert start_and_wait(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.progress_bar.value() >= 1, timeout=120_000)
    killed: list[str] = []
    dialog.worker.output.connect(killed.append)
    with qtbot.waitSignal(dialog.worker.finished, timeout=60_000) as stopped:
        dialog.stop()
        timers[0]()  # the first run's grace ends while the second is stopping
    assert not [line for line in killed if "killing it" in line]
    assert stopped.args == [130] and (dialog.plan.run_dir / "last.pt").is_file()
    assert "Stopped at iteration" in dialog.status.text()
