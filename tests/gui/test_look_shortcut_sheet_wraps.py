"""Help ▸ Keyboard Shortcuts cut its Esc row to "Cancel / Navigate (or Cancel Opening, ..." at its
560 px width: the words that say when Esc cancels an opening were the ones elided. A row whose action
does not fit its column on one line is wrapped onto as many lines as it needs, and grows to hold them
(also when the window is made narrower); the one-line rows keep their height."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt

from app.shortcut_sheet import ShortcutSheet

_MARGINS = 8  # an item view's text margins, left and right together, and a little air


def _fits(sheet: ShortcutSheet, row: int) -> bool:
    table = sheet.table
    item = table.item(row, 1)
    width = table.columnWidth(1) - _MARGINS
    metrics = table.fontMetrics()
    if metrics.horizontalAdvance(item.text()) <= width:
        return True
    needed = metrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, item.text()).height()
    return table.wordWrap() and table.rowHeight(row) >= needed


def _esc_row(sheet: ShortcutSheet) -> int:
    return next(r for r in range(sheet.table.rowCount()) if "Cancel Opening" in sheet.table.item(r, 1).text())


def test_every_action_shows_whole(qtbot, make_window) -> None:
    window = make_window()
    sheet = ShortcutSheet(window)
    qtbot.addWidget(sheet)
    sheet.show()
    qtbot.waitExposed(sheet)
    esc = _esc_row(sheet)
    assert _fits(sheet, esc), (sheet.table.item(esc, 1).text(), sheet.table.columnWidth(1), sheet.table.rowHeight(esc))
    assert [sheet.table.item(r, 1).text() for r in range(sheet.table.rowCount()) if not _fits(sheet, r)] == []
    one_line = next(r for r in range(sheet.table.rowCount()) if sheet.table.item(r, 1).text() == "Brush")
    assert sheet.table.rowHeight(one_line) == sheet.table.verticalHeader().defaultSectionSize()


def test_a_narrower_window_wraps_more(qtbot, make_window) -> None:
    window = make_window()
    sheet = ShortcutSheet(window)
    qtbot.addWidget(sheet)
    sheet.show()
    qtbot.waitExposed(sheet)
    sheet.resize(420, sheet.height())
    qtbot.waitUntil(lambda: all(_fits(sheet, r) for r in range(sheet.table.rowCount())))
