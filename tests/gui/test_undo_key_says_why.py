"""Ctrl+Z with nothing to undo (a fresh image, or one whose history went: only the last images opened
keep theirs) did nothing and said nothing; Undo is greyed in the menu, as it stays. Its key (and
Redo's) now says why in the status bar; with a step to undo it undoes as before."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.gui.annotation_helpers import blank_demo_window, drag, key

CTRL = Qt.KeyboardModifier.ControlModifier


def _press(window, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:  # noqa: ANN001
    window.canvas.setFocus()
    QTest.keyClick(QApplication.focusWidget() or window, key, modifiers)


def test_undo_and_redo_keys_say_why_when_there_is_nothing_to_do(qtbot, make_window, demo_dir, tmp_path) -> None:
    window = blank_demo_window(qtbot, make_window, demo_dir, tmp_path)
    with qtbot.waitActive(window):
        window.activateWindow()
    actions = window.annotation.actions
    doc = window.annotation.controller.document
    assert not doc.can_undo and not actions.undo.isEnabled()
    window.statusBar().clearMessage()
    _press(window, Qt.Key.Key_Z, CTRL)
    assert window.statusBar().currentMessage().startswith("Nothing to undo on this image (the last 8 images")
    _press(window, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    # a fresh image has no "last edit" (session 37: the words were "no step has been undone since the last edit")
    assert window.statusBar().currentMessage() == "Nothing to redo: no edit of this image has been undone"

    key(window, "B")
    drag(window, [(100, 100), (150, 100)])  # a stroke: the key undoes it, as before
    assert actions.undo.isEnabled() and doc.mask[100, 120] == 1
    _press(window, Qt.Key.Key_Z, CTRL)
    assert doc.mask[100, 120] == 0
    assert not window.statusBar().currentMessage().startswith("Nothing to undo")
