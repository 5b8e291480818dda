"""Esc in a number box of a dock gives the keys back to the canvas.

A spin box that has the keyboard focus takes the letters and digits typed (and Esc, which Qt leaves to
it) before the window's shortcuts, so the tool keys, K, C and the frame keys went to it; with nothing
to leave it by but Tab round the whole window. :class:`EscKeysBack` makes Esc there drop what was
typed (the box takes back the value it had when it took the focus: a value already taken as typed,
with keyboard tracking, is changed back with its signal) and put the focus on the canvas; the window's own Esc (Cancel / Navigate) is not run. The brush-radius and threshold boxes do
the same in their docks' event filters.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QWidget

__all__ = ["EscKeysBack"]


class EscKeysBack(QObject):
    """Watches `box`: Esc there puts its value back and the keyboard focus on `canvas` (see module)."""

    def __init__(self, box: QAbstractSpinBox, canvas: QWidget) -> None:
        super().__init__(box)
        self._box = box
        self._canvas = canvas
        self._value = self._current()
        box.installEventFilter(self)

    def _current(self) -> object:
        return getattr(self._box, "value", lambda: None)()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if watched is not self._box:
            return False
        if kind == QEvent.Type.FocusIn:
            self._value = self._current()
            return False
        if (isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape
                and kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)):
            event.accept()  # the window's Esc (Cancel / Navigate) is not run
            if kind == QEvent.Type.KeyPress:
                if self._value is not None:  # its text too, and a value typed and taken is told undone
                    self._box.setValue(self._value)  # type: ignore[attr-defined]  # QSpinBox, QDoubleSpinBox
                self._canvas.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return False
