"""Closing the main window while the Fine-tune dialog's Start was still checking the run (its plan made
on a worker thread) closed the window, and the plan's answer then started the training process, unseen,
its window gone (a run folder left behind, a process training on). The window's shutdown
(`FineTuneDialog.shutdown`) now drops a plan being made, as Stop and closing the dialog do: nothing
starts and its run folder goes."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.gui.conftest import WindowFactory
from tests.gui.finetune_start import read_settled


def test_closing_the_window_while_start_checks_starts_nothing(
        qtbot, make_window: WindowFactory, tmp_path: Path, export: Path, tiny_checkpoint: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import app.training.planning as planning

    planned, release = threading.Event(), threading.Event()
    real = planning.plan_finetune

    def held(request):  # noqa: ANN001, ANN202 - the plan made (its folder written), its answer held back
        plan = real(request)
        planned.set()
        release.wait(30)
        return plan

    monkeypatch.setattr(planning, "plan_finetune", held)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.training.runs_dir = str(tmp_path / "runs")
    dialog = window.training.open_dialog()
    dialog.extra_overrides = ["data.workers=0", "train.threads=1", "data.scale=96", "train.val_size=96"]
    dialog.dataset_edit.setText(str(export))
    dialog.checkpoint_edit.setText(str(tiny_checkpoint))
    dialog.iterations.setValue(3)
    dialog.crop.setCurrentIndex(dialog.crop.findData(128))
    dialog.device.setCurrentIndex(max(0, dialog.device.findData("cpu")))
    read_settled(qtbot, dialog)
    assert dialog.start()
    qtbot.waitUntil(planned.is_set, timeout=60_000)
    window.close()  # while Start checks: nothing to ask, nothing may start after
    assert not window.isVisible()
    with qtbot.waitSignal(dialog.planner.done, timeout=30_000):  # the plan's answer, on the GUI thread
        release.set()
    qtbot.wait(200)
    assert not dialog.worker.running(), "a run started after its window was closed"
    runs = tmp_path / "runs"
    assert not runs.exists() or not any(runs.iterdir()), list(runs.iterdir())
