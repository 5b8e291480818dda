"""Annotate ▸ Export to SmokeSeg… chosen again while its dialog is still open (behind the window, or
the user went back to the image to check something) deleted the open dialog and showed a new one with
the default destination and options: what the user had typed and ticked was gone, without a word."""

from __future__ import annotations

from pathlib import Path

from tests.gui.annotation_helpers import demo_window


def test_export_again_brings_the_open_dialog_back(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    first = window.annotation.open_export_dialog()
    assert first is not None and first.isVisible()
    typed = str(tmp_path / "my-export-typed")
    first.dst.setText(typed)
    first.reviewed_only.setChecked(not first.reviewed_only.isChecked())
    ticked = first.reviewed_only.isChecked()
    window.activateWindow()  # back to the image
    again = window.annotation.open_export_dialog()
    qtbot.wait(10)  # a deleteLater would have run
    assert again is first, "a new Export dialog replaced the open one"
    assert again.isVisible() and again.dst.text() == typed and again.reviewed_only.isChecked() == ticked


def test_export_after_the_dialog_closed_starts_afresh(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    """Closed (Cancel), the next Export shows a new dialog, the window keeping only that one."""
    from app.annotation.export_dialog import ExportDialog

    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    first = window.annotation.open_export_dialog()
    assert first is not None
    first.dst.setText(str(tmp_path / "typed"))
    first.reject()
    second = window.annotation.open_export_dialog()
    assert second is not None and second is not first and second.isVisible()
    qtbot.waitUntil(lambda: len(window.findChildren(ExportDialog)) == 1, timeout=2000)
