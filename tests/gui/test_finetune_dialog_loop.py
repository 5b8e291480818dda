"""The Fine-tune dialog's "Start from" follows the Model panel (README: "the checkpoint to start
from (the Model panel's, by default)"), also after the dialog was first opened: a second round of
predict → correct → export → retrain starts from the model the first round made, not the old one."""

from __future__ import annotations

from pathlib import Path

from tests.gui.conftest import WindowFactory


def _open(window, tmp_path: Path):  # noqa: ANN001, ANN202
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.training.runs_dir = str(tmp_path / "runs")
    return window.training.open_dialog()


def test_start_from_follows_the_model_panel_after_the_dialog_was_opened(
        qtbot, make_window: WindowFactory, tmp_path: Path, tiny_checkpoint: Path) -> None:
    first = tmp_path / "first.safetensors"
    first.write_bytes(tiny_checkpoint.read_bytes())
    window = make_window(default_model=first)
    dialog = _open(window, tmp_path)
    assert dialog.checkpoint_edit.text() == str(first)
    dialog.close()
    window.analysis.settings.set_checkpoint(tiny_checkpoint)  # Model panel ▸ Open, or Use This Model
    assert window.training.open_dialog() is dialog
    assert dialog.checkpoint_edit.text() == str(tiny_checkpoint)


def test_a_start_the_user_typed_is_kept_when_the_panel_changes(
        qtbot, make_window: WindowFactory, tmp_path: Path, tiny_checkpoint: Path) -> None:
    window = make_window(default_model=tiny_checkpoint)
    dialog = _open(window, tmp_path)
    chosen = str(tmp_path / "my-choice.safetensors")
    dialog.checkpoint_edit.setText(chosen)
    window.analysis.settings.set_checkpoint(tmp_path / "other.safetensors")
    assert dialog.checkpoint_edit.text() == chosen
