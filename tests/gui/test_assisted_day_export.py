"""Model-assisted labelling, a day with the app: predict, accept, Annotate ▸ Export to SmokeSeg…, then
Fine-tune. The Fine-tune dialog's Dataset was empty (or the last fine-tune's folder) after the
export: the folder just exported is now filled in, unless the user typed another."""

from __future__ import annotations

from pathlib import Path

from tests.gui.annotation_helpers import demo_window, drag, key
from tests.gui.conftest import WindowFactory


def _export(qtbot, window, dst: Path) -> None:  # noqa: ANN001
    dialog = window.annotation.open_export_dialog()
    dialog.dst.setText(str(dst))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.report is not None or dialog.error is not None, timeout=20_000)
    assert dialog.report is not None, dialog.error


def test_the_folder_just_exported_is_the_dataset_to_fine_tune_on(
        qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path, tiny_checkpoint: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path, default_model=tiny_checkpoint)
    window.training.runs_dir = str(tmp_path / "runs")
    key(window, "B")  # the brush: one stroke gives the current image a mask to export
    drag(window, [(100, 100), (200, 120)])
    window.services.settings.setValue("training/last_dataset", str(tmp_path / "last-weeks-dataset"))
    _export(qtbot, window, tmp_path / "export-1")
    dialog = window.training.open_dialog()
    assert dialog.dataset_edit.text() == str(tmp_path / "export-1")
    dialog.close()
    _export(qtbot, window, tmp_path / "export-2")  # a second round: the newer export
    assert window.training.open_dialog().dataset_edit.text() == str(tmp_path / "export-2")
    dialog.dataset_edit.setText(str(tmp_path / "my-choice"))  # typed by the user: kept
    _export(qtbot, window, tmp_path / "export-3")
    assert window.training.open_dialog().dataset_edit.text() == str(tmp_path / "my-choice")
