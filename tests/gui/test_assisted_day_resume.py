"""Model-assisted labelling, a day with the app: a fine-tune still running when the app is closed.

The main window asks first (as the Fine-tune dialog's own Close does), and the run it stopped is
offered for Resume when the Fine-tune dialog opens in the next session (its state is on disk)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from fosp_core.train.finetune import FineTuneRequest, plan_finetune
from tests.gui.conftest import WindowFactory
from tests.gui.finetune_start import start_and_wait


def _stopped_run(export: Path, checkpoint: Path, runs: Path, name: str = "evening-run", at: int = 7) -> Path:
    """A run as a stop leaves it: its recipe, `last.pt` and a log up to iteration `at`, no weights."""
    plan = plan_finetune(FineTuneRequest(dataset=export, init_from=checkpoint, iterations=40, name=name,
                                         runs_dir=str(runs)))
    (plan.run_dir / "last.pt").write_bytes(b"state")
    (plan.run_dir / "log.jsonl").write_text(
        '{"type": "event", "iter": 0, "event": "start"}\n'
        f'{{"type": "train", "iter": {at}, "loss": 0.5, "sec_per_iter": 1.5}}\n', encoding="utf-8")
    return plan.run_dir


def test_a_run_stopped_with_the_app_is_offered_for_resume_next_time(
        qtbot, make_window: WindowFactory, tmp_path: Path, export: Path, tiny_checkpoint: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    run_dir = _stopped_run(export, tiny_checkpoint, tmp_path / "runs")
    window = make_window(default_model=tiny_checkpoint)
    window.training.runs_dir = str(tmp_path / "runs")
    dialog = window.training.open_dialog()
    assert dialog.start_button.text() == "Resume" and dialog.new_button.isVisible()
    assert "evening-run" in dialog.status.text() and "7 / 40" in dialog.status.text(), dialog.status.text()
    assert dialog.progress_bar.value() == 7
    started = []
    monkeypatch.setattr(dialog.worker, "start", started.append)
    assert start_and_wait(qtbot, dialog)
    assert started and started[0].resume and started[0].run_dir == run_dir
    assert "--resume" in started[0].command()


def test_new_run_leaves_the_stopped_one_and_a_finished_run_is_not_offered(
        qtbot, make_window: WindowFactory, tmp_path: Path, export: Path, tiny_checkpoint: Path) -> None:
    runs = tmp_path / "runs"
    done = _stopped_run(export, tiny_checkpoint, runs, name="finished-run")
    (done / "finished-run.safetensors").write_bytes(tiny_checkpoint.read_bytes())  # exported: finished
    window = make_window(default_model=tiny_checkpoint)
    window.training.runs_dir = str(runs)
    dialog = window.training.open_dialog()
    assert dialog.start_button.text() == "Start" and not dialog.new_button.isVisible()


def test_closing_the_window_while_a_fine_tune_runs_asks_first(
        qtbot, make_window: WindowFactory, tmp_path: Path, tiny_checkpoint: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(show=True, default_model=tiny_checkpoint)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.training.runs_dir = str(tmp_path / "runs")
    dialog = window.training.open_dialog()
    running = [True]
    stopped: list[bool] = []
    monkeypatch.setattr(dialog.worker, "running", lambda: running[0])
    monkeypatch.setattr(dialog.worker, "wait_stopped", lambda *a: stopped.append(True) or running.pop() or True)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent, title, text, *_args, **_kw):  # noqa: ANN001, ANN202
        asked.append(f"{title}: {text}")
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    assert not window.close()  # No: the window stays, the training goes on
    assert window.isVisible() and asked and "Resume" in asked[0] and not stopped
    monkeypatch.setattr(dialog.worker, "running", lambda: bool(running))
    assert window.close()  # Yes: stopped (its state saved), then the window closes
    assert stopped and len(asked) == 2
