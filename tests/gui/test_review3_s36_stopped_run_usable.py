"""A fine-tune stopped from the dialog keeps a usable checkpoint, and the dialog offers it (R3 review, session 36).

A user out of time presses Stop: the run's state is saved for Resume, and its best weights so far are in the run
folder (`best.safetensors`: the starting checkpoint is validated first, each validation that beats it replaces
them). The dialog said only "Stopped at iteration N; the state is saved. Resume continues the run.", with Use this
model and Compare disabled (they looked for the weights a finished run exports): the checkpoint was there, the
user had no way to it from the dialog nor a word of where it was. Now the stop names it, and Use this model opens
it in the Model panel (Compare compares it with the start); Resume still continues the run."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.gui.conftest import WindowFactory
from tests.gui.finetune_start import start_and_wait
from tests.gui.test_finetune_dialog import _dialog


def test_a_stopped_run_offers_its_best_weights_so_far(qtbot, make_window: WindowFactory, tmp_path: Path,  # noqa: ANN001
                                                      export: Path, tiny_checkpoint: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    dialog = _dialog(window, tmp_path, export, tiny_checkpoint, iterations=400)
    assert start_and_wait(qtbot, dialog), dialog.status.text()
    qtbot.waitUntil(lambda: dialog.progress_bar.value() >= 1, timeout=120_000)
    with qtbot.waitSignal(dialog.worker.finished, timeout=60_000) as stopped:
        dialog.stop()
    assert stopped.args == [130] and (dialog.plan.run_dir / "last.pt").is_file()
    best = dialog.plan.run_dir / "best.safetensors"
    assert best.is_file(), sorted(p.name for p in dialog.plan.run_dir.iterdir())
    text = dialog.status.text()
    assert "Stopped at iteration" in text and "Resume continues the run" in text, text
    assert str(best) in text and "Use this model" in text, text  # was: no word of the weights
    assert dialog.use_button.isEnabled() and dialog.compare_button.isEnabled()  # were disabled
    assert dialog.start_button.text() == "Resume"

    ctl = window.analysis
    qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    assert ctl.settings.checkpoint == best
    qtbot.waitUntil(lambda: (ctl.loaded_checkpoint() or (None,))[0] == best, timeout=60_000)  # it loads: usable
    assert not ctl.errors, ctl.errors
    assert dialog.start_button.text() == "Resume" and dialog.start_button.isEnabled()  # still resumable
