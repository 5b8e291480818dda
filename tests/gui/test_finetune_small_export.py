"""The Fine-tune dialog for a researcher with a small export on a CPU: a "Stop after (minutes)" field
(`train.time_budget_s`; 0 = no limit) that reaches the run's recipe, its log and the estimate; a batch
proposed to fit the export's training images (min(4, images)) with a line saying why; and a training
messages box that stays monospace at the application font's size (it was a fixed 9 pt)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFontInfo

from app.training.dialog import LAST_DATASET_KEY, PACE_KEY, FineTuneDialog
from app.training.messages import pace_record, start_lines
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.train.finetune import plan_finetune
from tests.gui.app_font import application_font
from tests.gui.finetune_start import read_settled

DEVICES = [("auto", "Automatic"), ("cpu", "CPU (2 cores)")]


def _split_lists(folder: Path, train: int, val: int) -> Path:
    """A SmokeSeg-shaped folder whose split lists hold `train` and `val` ids (what the dialog reads
    before a run: the lists only)."""
    (folder / "JPEGImages").mkdir(parents=True)
    lists = folder / "ImageSets" / "Segmentation"
    lists.mkdir(parents=True)
    (lists / "train.txt").write_text("".join(f"t{i}\n" for i in range(train)))
    (lists / "val.txt").write_text("".join(f"v{i}\n" for i in range(val)))
    return folder


def _dialog(qtbot, tmp_path: Path, settings: QSettings | None = None) -> FineTuneDialog:  # noqa: ANN001
    settings = settings or QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = FineTuneDialog(settings, AnalysisSettings(), DEVICES, runs_dir=str(tmp_path / "runs"))
    qtbot.addWidget(dialog)
    return dialog


def test_stop_after_reaches_the_recipe_the_log_and_the_estimate(qtbot, tmp_path: Path, export: Path,  # noqa: ANN001
                                                                tiny_checkpoint: Path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(PACE_KEY, pace_record("cpu", 256, 4, 20.0))  # 300 iterations: 100 min at that pace
    dialog = _dialog(qtbot, tmp_path, settings)
    dialog.device.setCurrentIndex(dialog.device.findData("cpu"))
    dialog.dataset_edit.setText(str(export))
    dialog.checkpoint_edit.setText(str(tiny_checkpoint))
    dialog.batch.setValue(4)
    assert dialog.budget.value() == 0 and dialog.budget.text() == "no limit"
    assert not any("time_budget" in o for o in dialog.request().overrides)
    assert "stops after" not in dialog.estimate.text()
    dialog.budget.setValue(10)
    assert "train.time_budget_s=600" in dialog.request().overrides
    assert "stops after 10 min" in dialog.estimate.text() and "iteration 30" in dialog.estimate.text()
    plan = plan_finetune(dialog.request())
    assert plan.config.train.time_budget_s == 600
    assert any("stops after 10 min" in line for line in start_lines(plan, ""))
    dialog.extra_overrides = ["train.time_budget_s=5"]  # a recipe override given by a test or power user wins
    assert dialog.request().overrides[-1] == "train.time_budget_s=5"


def test_a_stopped_run_shows_its_own_limit(qtbot, tmp_path: Path, export: Path,  # noqa: ANN001
                                           tiny_checkpoint: Path) -> None:
    dialog = _dialog(qtbot, tmp_path)
    dialog.dataset_edit.setText(str(export))
    dialog.checkpoint_edit.setText(str(tiny_checkpoint))
    dialog.budget.setValue(7)
    plan = plan_finetune(dialog.request())
    (plan.run_dir / "last.pt").write_bytes(b"state")  # as a Stop leaves it
    again = _dialog(qtbot, tmp_path)
    assert again.stopped_plan is not None and again.budget.value() == 7 and not again.budget.isEnabled()


def test_the_batch_is_proposed_to_fit_the_training_images(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    small, large = _split_lists(tmp_path / "small", 3, 1), _split_lists(tmp_path / "large", 40, 5)
    dialog = _dialog(qtbot, tmp_path)
    assert dialog.batch.value() == 4
    dialog.dataset_edit.setText(str(small))
    read_settled(qtbot, dialog)
    assert dialog.batch.value() == 3
    assert "3 training images" in dialog.batch_note.text() and not dialog.batch_note.isHidden()
    assert "\n" not in dialog.batch_note.text()
    dialog.dataset_edit.setText(str(large))  # the proposal was ours: back to the default
    read_settled(qtbot, dialog)
    assert dialog.batch.value() == 4 and dialog.batch_note.isHidden()
    dialog.batch.setValue(2)  # the user's own batch, which fits: kept
    dialog.dataset_edit.setText(str(small))
    read_settled(qtbot, dialog)
    assert dialog.batch.value() == 2 and dialog.batch_note.isHidden()
    dialog.batch.setValue(8)  # more than there are: proposed again
    dialog.dataset_edit.setText(str(large))
    read_settled(qtbot, dialog)
    dialog.dataset_edit.setText(str(small))
    read_settled(qtbot, dialog)
    assert dialog.batch.value() == 3


def test_the_restored_dataset_gets_its_batch_when_the_dialog_opens(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(LAST_DATASET_KEY, str(_split_lists(tmp_path / "small", 2, 1)))
    dialog = _dialog(qtbot, tmp_path, settings)
    read_settled(qtbot, dialog)
    assert dialog.batch.value() == 2 and "2 training images" in dialog.batch_note.text()


def test_the_messages_follow_the_application_font_and_stay_monospace(qtbot, qapp, tmp_path: Path) -> None:  # noqa: ANN001
    with application_font(qapp, 14.0):
        dialog = _dialog(qtbot, tmp_path)
        assert dialog.log_view.font().pointSizeF() == 14.0
        assert QFontInfo(dialog.log_view.font()).fixedPitch()
        with application_font(qapp, 16.0):  # changed while the dialog is open
            qapp.processEvents()  # Qt hands a new application font down in posted events
            assert dialog.log_view.font().pointSizeF() == 16.0
            assert QFontInfo(dialog.log_view.font()).fixedPitch()
