"""Annotate ▸ Annotation Shortcuts… refuses a key that opens a menu of the menu bar (Alt + its underlined
letter), as it refuses a key another action has: Qt gives Alt+G to the Go menu, so a tool remapped to it
never ran (a keyboard-only sweep remapped Brush to Alt+G and Alt+N: OK was taken, and the key opened
the Go / Analysis menu, the tool stayed the Eraser). A free key (F2) still works."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.annotation.shortcuts import ShortcutDialog
from app.main_window import MainWindow
from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import demo_window


@pytest.fixture
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def _remap(window: MainWindow, key: str) -> ShortcutDialog:
    dialog = ShortcutDialog(window.annotation.shortcuts, window)
    dialog.editors["brush"].setKeySequence(QKeySequence(key))
    dialog.accept()
    return dialog


@pytest.mark.parametrize(("key", "menu"), [("Alt+G", "Go"), ("Alt+N", "Analysis"), ("Alt+F", "File")])
def test_a_menu_s_alt_key_is_refused(window: MainWindow, key: str, menu: str) -> None:
    dialog = _remap(window, key)
    assert dialog.result() != ShortcutDialog.DialogCode.Accepted
    assert dialog.problem.isVisibleTo(dialog) and f"{key}: Brush, the {menu} menu" in dialog.problem.text()
    assert window.annotation.shortcuts.keys("brush") == ["B"]


def test_a_free_key_is_taken_and_works(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    dialog = _remap(window, "F2")
    assert dialog.result() == ShortcutDialog.DialogCode.Accepted
    controller = window.annotation.controller
    QTest.keyClick(window.canvas, Qt.Key.Key_E)
    assert controller.state.tool is Tool.ERASER
    QTest.keyClick(window.canvas, Qt.Key.Key_F2)
    assert controller.state.tool is Tool.BRUSH
    window.annotation.shortcuts.set_keys("brush", ["B"])


def test_the_default_keys_open_no_menu(window: MainWindow) -> None:
    """The defaults pass the dialog's own check: OK with nothing changed stores them."""
    dialog = ShortcutDialog(window.annotation.shortcuts, window)
    assert dialog.conflicts(dialog.edited_keys()) == []
