"""Help ▸ Keyboard Shortcuts (F1) pressed again while the sheet was open (the user went back to the
window to try a key found in it) closed the sheet and made a new one: the search typed into it was gone
and the list showed every row again. The open sheet follows the window's actions by itself (it rebuilds
its rows while shown), so it is brought forward as it is."""

from __future__ import annotations

from pathlib import Path

from tests.gui.annotation_helpers import demo_window


def test_f1_again_keeps_the_search(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    sheet = window.show_shortcuts()
    sheet.filter.setText("zoom")
    shown = sum(not sheet.table.isRowHidden(row) for row in range(sheet.table.rowCount()))
    window.activateWindow()
    again = window.show_shortcuts()
    qtbot.wait(10)
    assert again.filter.text() == "zoom", "the search typed into the open sheet was lost"
    assert again.isVisible()
    assert sum(not again.table.isRowHidden(row) for row in range(again.table.rowCount())) == shown


def test_f1_after_closing_starts_afresh(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    from app.shortcut_sheet import ShortcutSheet

    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    sheet = window.show_shortcuts()
    sheet.filter.setText("zoom")
    sheet.close()
    again = window.show_shortcuts()
    assert again.filter.text() == "" and again.isVisible()
    qtbot.waitUntil(lambda: len(window.findChildren(ShortcutSheet)) == 1, timeout=2000)
