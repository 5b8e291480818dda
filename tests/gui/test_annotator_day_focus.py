"""An annotator's day, the keyboard focus: widgets of the Annotate and Worklist docks that kept the
focus after a click, so the tool keys, Ctrl+Z and Space+drag stopped working until the image was
clicked, and a worklist highlight that moved without opening its image."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionSpinBox

from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import blank_demo_window, drag, key

_LEFT, _NONE = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path):
    return blank_demo_window(qtbot, make_window, demo_dir, tmp_path)


def _type(sequence: str) -> None:
    """Type a key where the keyboard focus is, as a user does."""
    from PySide6.QtGui import QKeySequence

    combo = QKeySequence(sequence)[0]
    QTest.keyClick(QApplication.focusWidget(), combo.key(), combo.keyboardModifiers())


def test_clicking_the_radius_box_arrows_leaves_the_keys_to_the_canvas(qtbot, window) -> None:
    """A click on the brush radius box's up arrow kept the keyboard focus in the box: E, ] and Ctrl+Z
    then went to the box (swallowed, or its own text undo) until the image was clicked."""
    controller, dock = window.annotation.controller, window.annotation.tool_dock
    dock.raise_()
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    window.canvas.setFocus()
    box = dock.radius
    qtbot.waitUntil(box.isVisible)
    option = QStyleOptionSpinBox()
    box.initStyleOption(option)
    up = box.style().subControlRect(QStyle.ComplexControl.CC_SpinBox, option, QStyle.SubControl.SC_SpinBoxUp, box)
    radius = controller.state.radius
    QTest.mouseClick(box, _LEFT, _NONE, up.center())
    assert controller.state.radius == radius + 1
    _type("E")
    assert controller.state.tool == Tool.ERASER
    _type("]")
    assert controller.state.radius > radius + 1
    _type("Ctrl+Z")
    assert controller.document.history.labels() == []


def test_clicking_a_worklist_menu_keeps_space_for_panning(qtbot, window) -> None:
    """Choosing Show or Sort by with the mouse left the keyboard focus in that box: Space (hold to
    pan) then opened its menu over the image instead of panning."""
    worklist = window.annotation.worklist
    window.annotation.worklist_dock.raise_()
    qtbot.waitUntil(worklist.filter.isVisible)
    key(window, "B")
    window.canvas.setFocus()
    for combo in (worklist.filter, worklist.sort):
        QTest.mouseClick(combo, _LEFT, _NONE)  # opens its menu
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
        QTest.keyClick(QApplication.activePopupWidget(), Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
        assert QApplication.focusWidget() is not combo
        QTest.keyPress(QApplication.focusWidget(), Qt.Key.Key_Space)
        assert QApplication.activePopupWidget() is None
        assert window.annotation.controller.input.space_held
        QTest.keyRelease(QApplication.focusWidget(), Qt.Key.Key_Space)


def test_a_worklist_menu_chosen_by_keyboard_gives_the_keys_back(qtbot, window) -> None:
    """A Show filter chosen from the keyboard (Tab to it, Space, Down, Enter) left the focus there;
    the next Space opened the menu again."""
    worklist = window.annotation.worklist
    window.annotation.worklist_dock.raise_()
    qtbot.waitUntil(worklist.filter.isVisible)
    worklist.filter.setFocus(Qt.FocusReason.TabFocusReason)
    worklist.filter.showPopup()
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    QTest.keyClick(worklist.filter.view(), Qt.Key.Key_Down)
    QTest.keyClick(worklist.filter.view(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert worklist.filter.currentText() == "Not reviewed"
    assert QApplication.focusWidget() is window.canvas
    _type("E")
    assert window.annotation.controller.state.tool == Tool.ERASER


def test_home_and_end_in_the_worklist_open_the_row_they_highlight(qtbot, window) -> None:
    """End in the focused worklist moved its highlight to the last row but left the first image
    open: the list showed one image as current while the canvas showed (and the tools edited)
    another."""
    controller, worklist = window.annotation.controller, window.annotation.worklist
    window.annotation.worklist_dock.raise_()
    qtbot.waitUntil(worklist.list.isVisible)
    rows = [worklist.model.index(i).data() for i in range(worklist.model.rowCount())]
    worklist.list.setFocus(Qt.FocusReason.MouseFocusReason)
    QTest.keyClick(worklist.list, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == rows[-1])
    assert worklist.list.currentIndex().row() == len(rows) - 1
    QTest.keyClick(worklist.list, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == rows[0])
