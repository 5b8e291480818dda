"""The Fine-tune dialog's start checkpoint given as a run folder: the run's weights are used and the
log says which; a folder without weights is refused as a folder, with the file to give."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.gui.conftest import WindowFactory
from tests.gui.finetune_start import start_and_wait


def _dialog(window, tmp_path: Path, export: Path, checkpoint: Path):  # noqa: ANN001, ANN202
    window.training.runs_dir = str(tmp_path / "runs")
    window.training.action.trigger()
    dialog = window.training.dialog
    dialog.dataset_edit.setText(str(export))
    dialog.checkpoint_edit.setText(str(checkpoint))
    return dialog


def test_a_run_folder_starts_from_its_weights_and_says_which(qtbot, make_window: WindowFactory, tmp_path: Path,
                                                             export: Path, tiny_checkpoint: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    run = tmp_path / "earlier-run"
    run.mkdir()
    shutil.copy(tiny_checkpoint, run / "best.safetensors")
    dialog = _dialog(make_window(), tmp_path, export, run)
    started = []
    monkeypatch.setattr(dialog.worker, "start", started.append)  # the plan is what is checked here
    assert start_and_wait(qtbot, dialog), dialog.status.text()
    assert started and started[0].config.model.init_from == str(run / "best.safetensors")
    assert f"note: {run} is a run folder: using its best.safetensors" in dialog.log_view.toPlainText()


def test_a_folder_without_weights_is_refused_naming_it_a_folder(qtbot, make_window: WindowFactory, tmp_path: Path,
                                                               export: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    dialog = _dialog(make_window(), tmp_path, export, empty)
    assert not start_and_wait(qtbot, dialog)
    assert f"{empty} is a folder, not a checkpoint file" in dialog.status.text()
