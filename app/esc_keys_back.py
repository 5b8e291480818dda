"""Esc in a dock gives the keys back to the canvas: in a number box (:class:`EscKeysBack`), and in any
other widget of a dock, a list, a drop-down, a slider, a button, a table (:class:`EscToCanvas`).

A spin box that has the keyboard focus takes the letters and digits typed (and Esc, which Qt leaves to
it) before the window's shortcuts, so the tool keys, K, C and the frame keys went to it; with nothing
to leave it by but Tab round the whole window. :class:`EscKeysBack` makes Esc there drop what was
typed (the box shows its value again; with keyboard tracking, where a value typed is taken at once, it
takes back the one it had when it took the focus, with its signal) and put the focus on the canvas; the window's own Esc (Cancel / Navigate) is not run. The brush-radius and threshold boxes do
the same in their docks' event filters.

:class:`EscToCanvas` is the rule for the rest of a dock: a filter on each dock (a floating one is a
window of its own) sees the Esc that no widget in it took. Qt sends a key, and the ``ShortcutOverride``
before it, to the focus widget and then up to its parents while none accepts it, so Esc reaches the
dock only when the widget has no Esc of its own: a number box or the name filter (they take Esc and do
their own), a table cell's editor (Esc closes it), a button held down (Esc lets it go), an open
drop-down (its popup has the keys: Esc closes it, the next one comes here). There the window's Esc
(Cancel / Navigate) is not run, as in the number boxes: the first Esc gives the keys back, the next
one, on the canvas, is the window's. While an open is under way Esc cancels it from anywhere
(:class:`~app.esc_cancel.EscCancel`, a filter on the focus widget, sees it first).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QDockWidget, QMainWindow, QWidget

__all__ = ["EscKeysBack", "EscToCanvas"]


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
                # without keyboard tracking nothing typed is taken yet: the value it holds (given it
                # meanwhile, as the frame box while the video plays) is the one to show again
                value = self._value if self._box.keyboardTracking() else self._current()
                if value is not None:  # its text too, and a value typed and taken is told undone
                    self._box.setValue(value)  # type: ignore[attr-defined]  # QSpinBox, QDoubleSpinBox
                self._canvas.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return False


def _plain_esc(event: QEvent) -> bool:
    return (isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape
            and event.modifiers() == Qt.KeyboardModifier.NoModifier)


class EscToCanvas(QObject):
    """Watches every dock of `window`: an Esc that no widget of the dock took puts the keyboard focus on
    `canvas` (see module)."""

    def __init__(self, window: QMainWindow, canvas: QWidget) -> None:
        super().__init__(window)
        self._canvas = canvas
        self.docks: list[QDockWidget] = []
        for dock in window.findChildren(QDockWidget):
            self.watch(dock)

    def watch(self, dock: QDockWidget) -> None:
        """Watch `dock` too (one made after the window)."""
        if not any(dock is d for d in self.docks):
            dock.installEventFilter(self)
            self.docks.append(dock)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) or not _plain_esc(event):
            return False
        event.accept()  # taken from the window's Esc (Cancel / Navigate): the key press comes here
        if kind == QEvent.Type.KeyPress:
            if isinstance(watched, QWidget) and watched.isWindow():  # a floating dock
                self._canvas.activateWindow()
            self._canvas.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
