"""Esc on a dock's tab (Annotate | Model, Worklist | Layers) gives the keys back to the image.

Tab walks the panels' settings and then the tab bars of the docks stacked as tabs; there a focused tab
keeps Left / Right (they switch the dock shown, `app.arrows_stay`), and Esc, which gives the keys back to
the image from every other stop, did nothing: the tab bars belong to the window, not to a dock, so the
docks' Esc filter (`EscToCanvas`) never saw it. The annotator who had Tabbed there pressed Right for the
next image, got the Model panel instead, pressed Esc, and was still on the tab (found in the s36 working-day
review, a Tab walk of the window with Esc at each stop)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTabBar

from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import demo_window


def test_esc_on_a_dock_tab_gives_the_keys_back(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    bars = [bar for bar in window.findChildren(QTabBar) if bar.isVisible() and bar.parent() is window]
    assert bars, "no dock stacked as tabs in the default layout"
    controller = window.annotation.controller
    for bar in bars:
        window.canvas.setFocus()
        for _ in range(60):  # Tab to it, as a keyboard user does
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            if QApplication.focusWidget() is bar:
                break
        assert QApplication.focusWidget() is bar, "Tab never reached the dock's tab bar"
        controller.state.set_tool(Tool.BRUSH)
        QTest.keyClick(bar, Qt.Key.Key_Escape)
        assert QApplication.focusWidget() is window.canvas, f"Esc left the keys on {bar.tabText(0)} | {bar.tabText(1)}"
        assert controller.state.tool == Tool.BRUSH, "the first Esc gives the keys back, as in the docks"
    at = window.session.current_index
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    assert window.session.current_index == at + 1


def test_esc_on_the_canvas_is_still_the_window_s(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.canvas.setFocus()
    controller = window.annotation.controller
    controller.state.set_tool(Tool.BRUSH)
    QTest.keyClick(window.canvas, Qt.Key.Key_Escape)
    assert controller.state.tool == Tool.NAVIGATE
