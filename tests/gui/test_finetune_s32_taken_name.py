"""A Fine-tune run named like a stopped run (New run pressed, the same name typed again) was refused
with "run DIR already exists; resume it or pick another name", but the dialog had no way to resume it:
only the newest stopped run is offered, and only when the dialog is first made. Now the refusal offers
that run for Resume, as a stopped run found on opening is (the form shows its settings, New run leaves
it), and Resume continues it; a finished run's name is refused saying so, not offered."""

from __future__ import annotations

from pathlib import Path

from tests.gui.conftest import WindowFactory
from tests.gui.finetune_start import read_settled, start_and_wait

SMALL = ["data.scale=96", "train.val_size=96", "data.workers=0", "train.threads=1", "train.log_every=1",
         "data.crop=64"]


def _dialog(window, tmp_path: Path, export: Path, checkpoint: Path):  # noqa: ANN001, ANN202
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.training.runs_dir = str(tmp_path / "runs")
    dialog = window.training.open_dialog()
    dialog.extra_overrides = SMALL
    dialog.dataset_edit.setText(str(export))
    dialog.checkpoint_edit.setText(str(checkpoint))
    dialog.iterations.setValue(3)
    dialog.batch.setValue(2)
    dialog.device.setCurrentIndex(max(0, dialog.device.findData("cpu")))
    return dialog


def test_the_stopped_run_of_a_taken_name_is_offered_for_resume(
        qtbot, make_window: WindowFactory, tmp_path: Path, export: Path, tiny_checkpoint: Path,
        monkeypatch) -> None:  # noqa: ANN001
    from fosp_core.train.finetune import FineTuneRequest, plan_finetune

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    window = make_window()
    dialog = _dialog(window, tmp_path, export, tiny_checkpoint)
    # a run "mine" stopped before (its recipe and state on disk), then left with New run
    plan = plan_finetune(FineTuneRequest(export, tiny_checkpoint, iterations=7, crop=64, batch_size=2, name="mine",
                                         runs_dir=str(tmp_path / "runs"), overrides=SMALL))
    (plan.run_dir / "last.pt").write_bytes(b"state")
    dialog.name_edit.setText("mine")
    read_settled(qtbot, dialog)
    assert not start_and_wait(qtbot, dialog)
    text = dialog.status.text()
    assert "mine" in text and "Resume continues it" in text, text
    assert dialog.stopped_plan is not None and dialog.stopped_plan.run_dir == plan.run_dir
    assert dialog.start_button.text() == "Resume" and dialog.new_button.isVisible()
    assert dialog.iterations.value() == 7 and not dialog.iterations.isEnabled()  # the run's own settings, held
    dialog.new_run()  # leave it: the form is the user's again, the run stays on disk
    assert dialog.start_button.text() == "Start" and (plan.run_dir / "last.pt").is_file()


def test_a_finished_runs_name_is_refused_not_offered(qtbot, make_window: WindowFactory, tmp_path: Path,
                                                     export: Path, tiny_checkpoint: Path, monkeypatch) -> None:  # noqa: ANN001
    from fosp_core.train.finetune import FineTuneRequest, exported_weights, plan_finetune

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    window = make_window()
    dialog = _dialog(window, tmp_path, export, tiny_checkpoint)
    plan = plan_finetune(FineTuneRequest(export, tiny_checkpoint, iterations=3, crop=64, name="done",
                                         runs_dir=str(tmp_path / "runs")))
    (plan.run_dir / "last.pt").write_bytes(b"state")
    exported_weights(plan.run_dir).write_bytes(b"weights")
    dialog.name_edit.setText("done")
    assert not start_and_wait(qtbot, dialog)
    text = dialog.status.text()
    assert "finished" in text and "another run name" in text and "resume" not in text.lower(), text
    assert dialog.stopped_plan is None and dialog.start_button.text() == "Start"
