"""An annotator's day (bench/bench_annotator_day.py): the dialogs opened and closed all day leave
nothing behind; after the first opening the window's Qt objects stay as they were (counts, not times)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QDialog

from app.shortcut_sheet import ShortcutSheet
from tests.gui.annotation_helpers import demo_window


def _qobjects(window) -> int:  # noqa: ANN001
    QApplication.sendPostedEvents(None, 0)  # deleteLater done
    return len(window.findChildren(QObject))


def test_shortcut_sheet_opened_all_day_leaves_one(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    """Help ▸ Keyboard Shortcuts closed and opened again: each opening made a new sheet, a child of
    the window (its table's ~100 rows and their items) never deleted."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    counts = []
    for _ in range(4):
        sheet = window.show_shortcuts()
        qtbot.wait(10)
        sheet.close()
        counts.append(_qobjects(window))
    assert len(window.findChildren(ShortcutSheet)) <= 1
    assert counts[1] == counts[2] == counts[3], counts


def test_compare_opened_all_day_stays_one(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    """Compare Models opened and closed again and again: one dialog, the window's objects flat."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    counts = []
    for _ in range(4):
        dialog = window.training.open_compare()
        qtbot.wait(10)
        dialog.close()
        counts.append(_qobjects(window))
    assert counts[1] == counts[2] == counts[3], counts
    assert len([d for d in window.findChildren(QDialog) if d.isVisible()]) == 0
