"""Session 32 review: a letter key in a focused number box runs its shortcut (`NumberBoxKeysPass`), and the
window's shortcuts work in a floating dock too (Qt counts a floating dock as its main window); a number box
in the Annotate dock floated off the window swallowed B, E, ], M... as before (the filter watched only the
main window's own focus widget)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from fosp_core.annotation.tool_state import Tool
from tests.gui.keyboard_day_helpers import day_window


def test_letter_keys_in_a_floating_docks_number_box(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    dock, box = window.annotation.tool_dock, window.annotation.tool_dock.radius
    state = window.annotation.controller.state
    dock.setFloating(True)
    dock.show()
    dock.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dock)
    box.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(box.hasFocus)
    QTest.keyClick(box, Qt.Key.Key_B)
    assert state.tool == Tool.BRUSH
    QTest.keyClick(box, Qt.Key.Key_E)
    assert state.tool == Tool.ERASER
