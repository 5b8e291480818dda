"""Session 32, an annotator who keeps to the keyboard: a number box that has the focus (the brush radius
box clicked into to type a size, the Model panel's mask threshold or τ box reached with Tab) swallowed
every key a number cannot hold - B, E, ], M, R, Shift+A did nothing, silently, until Enter or Esc or a
click on the image. Now such a key runs its shortcut; digits, the sign, the decimal point, Backspace and
the arrows stay the box's."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication

from app.main_window import MainWindow
from fosp_core.annotation.document import Status
from fosp_core.annotation.tool_state import Tool
from tests.gui.keyboard_day_helpers import day_window


def _type(sequence: str) -> None:
    """Type a key where the keyboard focus is, as a user does."""
    combo = QKeySequence(sequence)[0]
    QTest.keyClick(QApplication.focusWidget(), combo.key(), combo.keyboardModifiers())


def _focus(qtbot, window: MainWindow, box: QAbstractSpinBox) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    box.setFocus(Qt.FocusReason.MouseFocusReason)  # clicked into (or Tabbed to)
    qtbot.waitUntil(box.hasFocus)


def test_letter_keys_in_the_radius_box_run_their_shortcuts(qtbot, make_window, demo_dir: Path,
                                                           tmp_path: Path) -> None:
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    controller, box = window.annotation.controller, window.annotation.tool_dock.radius
    state = controller.state
    _focus(qtbot, window, box)
    _type("B")
    assert state.tool == Tool.BRUSH
    radius = state.radius
    _type("]")
    assert state.radius > radius
    _type("M")
    assert not window.annotation.actions.toggle_mask.isChecked()
    _type("R")
    assert controller.document.status is Status.REVIEWED
    assert box.hasFocus()  # the box kept the focus: the digits are still its own
    box.lineEdit().selectAll()
    _type("2")
    _type("4")
    assert box.lineEdit().text().startswith("24")
    _type("Backspace")
    assert box.lineEdit().text().startswith("2")
    _type("Return")  # the size typed is taken, and the keys go back to the image
    assert state.radius == 2


def test_letter_keys_in_the_threshold_box_run_their_shortcuts(qtbot, make_window, demo_dir: Path,
                                                              tmp_path: Path) -> None:
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    state = window.annotation.controller.state
    boxes = [b for b in window.findChildren(QAbstractSpinBox) if b.accessibleName() == "Mask threshold"]
    assert len(boxes) == 1
    box = boxes[0]
    box.window().raise_()
    _focus(qtbot, window, box)
    _type("E")
    assert state.tool == Tool.ERASER
    box.lineEdit().selectAll()
    for sequence in ("0", ".", "3"):
        _type(sequence)
    assert box.lineEdit().text() == "0.3"  # the decimal point is the box's, not Next Frame's
