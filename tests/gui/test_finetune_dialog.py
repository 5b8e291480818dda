"""Analysis ▸ Fine-tune on a Dataset…: the dialog drives a real training process on an exported
dataset, draws its curves, stops and resumes it, and hands the new weights to the Model panel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.gui.conftest import WindowFactory
from tests.gui.finetune_start import start_and_wait

# log_every=1: the progress bar moves at iteration 1, so a test stops a running run after one step, not five
SMALL = ["data.scale=96", "train.val_size=96", "data.workers=0", "train.threads=1", "train.log_every=1"]


def _dialog(window, tmp_path: Path, export: Path, checkpoint: Path, iterations: int):
    window.training.runs_dir = str(tmp_path / "runs")
    window.training.action.trigger()
    dialog = window.training.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.extra_overrides = SMALL
    dialog.dataset_edit.setText(str(export))
    dialog.checkpoint_edit.setText(str(checkpoint))
    dialog.iterations.setValue(iterations)
    dialog.crop.setCurrentIndex(dialog.crop.findData(128))
    dialog.batch.setValue(2)
    dialog.device.setCurrentIndex(max(0, dialog.device.findData("cpu")))
    return dialog


def test_fine_tune_runs_plots_and_hands_the_model_over(qtbot, make_window: WindowFactory, tmp_path: Path,
                                                        export: Path, tiny_checkpoint: Path) -> None:
    window = make_window()
    assert window.training.action in window.analysis.menu.actions()
    dialog = _dialog(window, tmp_path, export, tiny_checkpoint, iterations=3)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert not dialog.start_button.isEnabled() and dialog.stop_button.isEnabled()
    assert not dialog.dataset_edit.isEnabled()
    with qtbot.waitSignal(dialog.worker.finished, timeout=180_000) as finished:
        pass
    assert finished.args == [0], dialog.log_view.toPlainText()[-2000:]
    assert dialog.progress_bar.value() == 3
    xs, _ = dialog.loss_curve.getData()
    assert xs is not None and list(xs)[-1] == 3
    sx, sy = dialog.score_curve.getData()
    assert sx is not None and list(sx)[-1] == 3 and 0.0 <= list(sy)[-1] <= 1.0
    assert "Done" in dialog.status.text() and "Validation F_β" in dialog.status.text()
    assert list(sx)[0] == 0  # the starting weights were validated first: the before/after baseline
    assert dialog.use_button.isEnabled() and dialog.compare_button.isEnabled()
    qtbot.mouseClick(dialog.compare_button, Qt.MouseButton.LeftButton)  # start against result, image by image
    compare = window.training.compare_dialog
    assert compare is not None and compare.isVisible()
    assert compare.a_edit.text() == str(tiny_checkpoint) and compare.b_edit.text() == str(dialog.plan.model_out)
    qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    assert window.analysis.settings.checkpoint == dialog.plan.model_out
    assert window.services.settings.value("training/last_dataset") == str(export)


# Stop, Resume and a resumed run going on from its state: tests/gui/test_training_qa.py::
# test_stops_at_awkward_moments_then_resume (with the other stops, one dialog: each run is a process).


def test_a_bad_dataset_is_explained_in_the_dialog(qtbot, make_window: WindowFactory, tmp_path: Path,
                                                  tiny_checkpoint: Path) -> None:
    window = make_window()
    empty = tmp_path / "no-labels"
    (empty / "JPEGImages").mkdir(parents=True)
    dialog = _dialog(window, tmp_path, empty, tiny_checkpoint, iterations=5)
    assert not start_and_wait(qtbot, dialog)
    assert "has no masks" in dialog.status.text()
    assert not dialog.worker.running() and dialog.start_button.isEnabled()
