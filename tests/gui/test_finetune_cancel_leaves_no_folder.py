"""Stop (or Close) while Start checks the run leaves no run folder: found walking the dialog, a plan
made on its worker thread wrote `<runs>/<name>/recipe.toml`, and its answer, come after the cancel, was
dropped with the folder left behind (a run folder holding only a recipe, listed nowhere, never trained)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

import app.training.dialog as dialog_module
from app.training.dialog import FineTuneDialog
from app.training.planning import plan_run
from fosp_core.analysis.settings import AnalysisSettings
from tests.gui.finetune_start import read_settled

DEVICES = [("auto", "Automatic"), ("cpu", "CPU (2 cores)")]


def _dialog(qtbot, tmp_path: Path, export: Path, checkpoint: Path, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
            held: Callable[..., object]) -> FineTuneDialog:
    monkeypatch.setattr(dialog_module, "plan_run", held)
    dialog = FineTuneDialog(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), AnalysisSettings(),
                            DEVICES, runs_dir=str(tmp_path / "runs"))
    qtbot.addWidget(dialog)
    monkeypatch.setattr(dialog.worker, "start", lambda plan: pytest.fail("a cancelled plan started a run"))
    dialog.dataset_edit.setText(str(export))
    dialog.checkpoint_edit.setText(str(checkpoint))
    read_settled(qtbot, dialog)
    return dialog


def _run_folders(tmp_path: Path) -> list[Path]:
    runs = tmp_path / "runs"
    return sorted(runs.iterdir()) if runs.is_dir() else []


def _join_planners() -> None:
    for thread in threading.enumerate():
        if thread.name.startswith("finetune-planner-"):
            thread.join(120)


@pytest.mark.parametrize("how", ["stop", "close"])
def test_a_plan_stopped_before_it_is_made_leaves_no_folder(
        qtbot, tmp_path: Path, export: Path, tiny_checkpoint: Path, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
        how: str) -> None:
    gate = threading.Event()

    def held(*args: object) -> object:  # Stop comes while the plan is being made
        gate.wait(30)
        return plan_run(*args)

    dialog = _dialog(qtbot, tmp_path, export, tiny_checkpoint, monkeypatch, held)
    assert dialog.start() and dialog.planning()
    dialog.stop() if how == "stop" else dialog.close()
    assert not dialog.planning()
    gate.set()
    _join_planners()
    qtbot.wait(50)  # the (stale) answer is delivered
    assert _run_folders(tmp_path) == []  # was [<runs>/finetune-export-<time>] holding recipe.toml


def test_a_plan_made_as_stop_came_leaves_no_folder(
        qtbot, tmp_path: Path, export: Path, tiny_checkpoint: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """The plan was made (its recipe written) before Stop; its answer comes after: the dialog drops the folder."""
    made, gate = threading.Event(), threading.Event()

    def held(*args: object) -> object:
        planned = plan_run(*args)
        made.set()
        gate.wait(30)
        return planned

    dialog = _dialog(qtbot, tmp_path, export, tiny_checkpoint, monkeypatch, held)
    assert dialog.start()
    qtbot.waitUntil(made.is_set, timeout=120_000)
    assert [p.name for p in _run_folders(tmp_path)[0].iterdir()] == ["recipe.toml"]
    dialog.stop()
    gate.set()
    qtbot.waitUntil(lambda: _run_folders(tmp_path) == [], timeout=30_000)
    assert "nothing started" in dialog.status.text()
