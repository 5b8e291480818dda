"""Annotate ▸ Annotation Shortcuts: the Shortcut column was about 100 px wide, and Redo's key showed as
"trl+Shift+Z" (its key editor scrolled to show its end: the text did not fit beside the clear button);
the dialog opened 460 x 560 whatever the screen, so on a 1024 x 600 netbook its OK and Cancel were
below the screen's edge. Each key now fits its editor (also a longer one typed in) and the dialog is
sized as the help windows are (app.panels.fit_to_screen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QKeySequence, QScreen
from PySide6.QtWidgets import QLineEdit, QToolButton

from app.annotation.shortcuts import ShortcutDialog
from app.panels import FRAME_ALLOWANCE


def _room_and_need(dialog: ShortcutDialog, action_id: str) -> tuple[int, int]:
    """(the x where the editor's clear button starts, the x where its text ends unscrolled)."""
    line = dialog.editors[action_id].findChild(QLineEdit)
    buttons = [b for b in line.findChildren(QToolButton) if b.isVisible()]
    right = min((b.x() for b in buttons), default=line.contentsRect().right())
    margins = line.textMargins()
    left = line.contentsRect().left() + margins.left() + 2  # QLineEdit's own horizontal margin
    return right, left + line.fontMetrics().horizontalAdvance(line.text())


def test_every_key_fits_its_editor(qtbot, make_window) -> None:
    window = make_window()
    dialog = ShortcutDialog(window.annotation.shortcuts, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    tight = {}
    for action_id in dialog.editors:
        right, need = _room_and_need(dialog, action_id)
        if dialog.editors[action_id].keySequence().count() and need > right:
            tight[action_id] = (need, right)
    assert not tight, tight


def test_a_longer_key_typed_in_fits_too(qtbot, make_window) -> None:
    window = make_window()
    dialog = ShortcutDialog(window.annotation.shortcuts, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    action_id = next(iter(dialog.editors))
    dialog.editors[action_id].setKeySequence(QKeySequence("Ctrl+Alt+Shift+PgDown"))
    qtbot.wait(50)
    right, need = _room_and_need(dialog, action_id)
    assert need <= right


def test_ok_stays_on_a_netbook_screen(qtbot, make_window, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(0, 0, 1024, 600))
    window = make_window()
    dialog = ShortcutDialog(window.annotation.shortcuts, window)
    qtbot.addWidget(dialog)
    assert dialog.height() + FRAME_ALLOWANCE[1] <= 600, dialog.size()
