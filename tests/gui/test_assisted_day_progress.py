"""Model-assisted labelling, a day with the app: a starting fine-tune says what it is doing. On 2
CPU cores the model loads for 10-15 s, the starting weights are validated, and the log has a line
only every few iterations: the dialog said 'model loads in a few seconds' for over 30 s."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.gui.conftest import WindowFactory
from tests.gui.finetune_start import start_and_wait


def test_the_status_follows_a_starting_run_until_its_first_iterations(
        qtbot, make_window: WindowFactory, tmp_path: Path, export: Path, tiny_checkpoint: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(default_model=tiny_checkpoint)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.training.runs_dir = str(tmp_path / "runs")
    dialog = window.training.open_dialog()
    worker = dialog.worker
    monkeypatch.setattr(worker, "start", lambda plan: setattr(worker, "reader", _reader(plan)))
    dialog.dataset_edit.setText(str(export))
    dialog.iterations.setValue(20)
    assert start_and_wait(qtbot, dialog)
    going = [True]
    monkeypatch.setattr(worker, "running", lambda: going[0])
    log = dialog.plan.run_dir / "log.jsonl"

    def logged(record: dict) -> str:
        with log.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"time": round(time.time(), 3), **record}) + "\n")
        worker._poll()
        return dialog.status.text()

    worker._poll()
    assert "loading the model" in dialog.status.text()
    assert "Validating the starting weights on 1 val image" in logged({"type": "event", "iter": 0, "event": "start"})
    text = logged({"type": "val", "iter": 0, "fbeta": 0.5})
    assert "first iterations" in text and "starting weights F_β 50.0" in text
    text = logged({"type": "train", "iter": 5, "loss": 0.4, "sec_per_iter": 2.0})
    assert "iteration 5 / 20" in text and "left" in text
    going[0] = False


def _reader(plan):  # noqa: ANN001, ANN202
    from fosp_core.train.finetune import ProgressReader

    return ProgressReader(plan.run_dir, planned=plan.config.train.iterations)


def test_a_resumed_run_shows_its_iterations_once_it_has_loaded(
        qtbot, make_window: WindowFactory, tmp_path: Path, export: Path, tiny_checkpoint: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The trainer logs a resume as event 'resume', not 'start': the status stayed on 'loading the
    model' for the whole resumed run."""
    from tests.gui.test_assisted_day_resume import _stopped_run

    run_dir = _stopped_run(export, tiny_checkpoint, tmp_path / "runs", at=7)
    window = make_window(default_model=tiny_checkpoint)
    window.training.runs_dir = str(tmp_path / "runs")
    dialog = window.training.open_dialog()
    worker = dialog.worker
    monkeypatch.setattr(worker, "start", lambda plan: setattr(worker, "reader", _reader(plan)))
    assert dialog.start_button.text() == "Resume" and start_and_wait(qtbot, dialog)
    going = [True]
    monkeypatch.setattr(worker, "running", lambda: going[0])
    worker._poll()
    assert "Resuming evening-run: loading the model" in dialog.status.text(), dialog.status.text()
    with (run_dir / "log.jsonl").open("a", encoding="utf-8") as f:
        now = round(time.time(), 3)
        f.write(json.dumps({"time": now, "type": "event", "iter": 7, "event": "resume"}) + "\n")
        f.write(json.dumps({"time": now, "type": "train", "iter": 10, "loss": 0.3, "sec_per_iter": 1.0}) + "\n")
    worker._poll()
    assert "iteration 10 / 40" in dialog.status.text(), dialog.status.text()
    going[0] = False
