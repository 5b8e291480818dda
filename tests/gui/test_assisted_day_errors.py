"""Model-assisted labelling, a day with the app: what the Fine-tune dialog says before a run (a
dataset with no val split or very few val images, how long it will take) and when a run cannot
write its files (a read-only runs folder, a full disk)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from app.training.dialog import PACE_KEY
from app.training.messages import FEW_VAL_IMAGES, pace_record
from tests.gui.conftest import WindowFactory
from tests.gui.finetune_start import read_settled, start_and_wait


def _dialog(make_window: WindowFactory, tmp_path: Path, checkpoint: Path):  # noqa: ANN202
    window = make_window(default_model=checkpoint)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.training.runs_dir = str(tmp_path / "runs")
    return window.training.open_dialog()


def test_no_val_split_and_few_val_images_are_said_before_start(
        qtbot, make_window: WindowFactory, tmp_path: Path, export: Path, tiny_checkpoint: Path) -> None:
    dialog = _dialog(make_window, tmp_path, tiny_checkpoint)
    val_file = export / "ImageSets" / "Segmentation" / "val.txt"
    assert 0 < len(val_file.read_text().split()) < FEW_VAL_IMAGES
    dialog.dataset_edit.setText(str(export))  # chosen, nothing started
    read_settled(qtbot, dialog)
    assert dialog.note.isVisibleTo(dialog) and "only 1 validation image" in dialog.note.text()
    val_file.unlink()
    dialog.dataset_edit.setText(str(export) + "/")
    read_settled(qtbot, dialog)
    assert "no val split" in dialog.note.text() and "keeps the last weights" in dialog.note.text()
    dialog.dataset_edit.setText(str(tmp_path / "nothing-here"))  # not a dataset: Start explains
    read_settled(qtbot, dialog)
    assert not dialog.note.isVisibleTo(dialog)


def test_the_time_a_run_takes_is_said_before_start(
        qtbot, make_window: WindowFactory, tmp_path: Path, tiny_checkpoint: Path) -> None:
    dialog = _dialog(make_window, tmp_path, tiny_checkpoint)
    dialog.device.setCurrentIndex(max(0, dialog.device.findData("cpu")))
    assert "after the first iterations" in dialog.estimate.text()  # nothing measured here yet
    dialog.settings.setValue(PACE_KEY, pace_record("cpu", 128, 2, 1.5))  # a finished run measured this
    dialog.crop.setCurrentIndex(dialog.crop.findData(256))
    dialog.batch.setValue(2)
    dialog.iterations.setValue(100)
    assert "0:10:00" in dialog.estimate.text(), dialog.estimate.text()  # 4x the pixels: 6 s x 100
    dialog.iterations.setValue(50)
    assert "0:05:00" in dialog.estimate.text()


def test_a_run_folder_that_cannot_be_written_is_refused_in_the_dialog(
        qtbot, make_window: WindowFactory, tmp_path: Path, export: Path, tiny_checkpoint: Path) -> None:
    dialog = _dialog(make_window, tmp_path, tiny_checkpoint)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    dialog.runs_dir = str(blocker / "runs")  # not a folder (root can write anywhere a chmod forbids)
    dialog.dataset_edit.setText(str(export))
    assert not start_and_wait(qtbot, dialog)
    assert "cannot write the run folder" in dialog.status.text() and str(blocker) in dialog.status.text()
    assert not dialog.worker.running()


def test_a_full_disk_is_named_when_the_run_fails(
        qtbot, make_window: WindowFactory, tmp_path: Path, export: Path, tiny_checkpoint: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = _dialog(make_window, tmp_path, tiny_checkpoint)
    monkeypatch.setattr(dialog.worker, "start", lambda plan: None)  # the plan, then a failure as the process has it
    dialog.dataset_edit.setText(str(export))
    assert start_and_wait(qtbot, dialog)
    for line in ("Traceback (most recent call last):", f"OSError: [Errno {errno.ENOSPC}] {os.strerror(errno.ENOSPC)}",
                 "RuntimeError: [enforce fail at inline_container.cc:672] . unexpected pos 14477760 vs 14477648"):
        dialog.worker.output.emit(line)
    dialog.worker.finished.emit(1)
    text = dialog.status.text()
    assert "disk is full" in text and str(dialog.plan.run_dir.parent) in text and "MiB free" in text, text
    assert dialog.start_button.text() == "Start"  # nothing saved to resume from
    (dialog.plan.run_dir / "last.pt").write_bytes(b"state")  # a later save failed: Resume continues
    dialog.worker.finished.emit(1)
    assert "Resume continues it" in dialog.status.text() and dialog.start_button.text() == "Resume"
