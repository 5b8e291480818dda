"""Esc in a dock gives the keys back to the canvas: in a number box (:class:`EscKeysBack`), and in any
other widget of a dock, a list, a drop-down, a slider, a button, a table, or of the status bar (its
video links) (:class:`EscToCanvas`).

A spin box that has the keyboard focus takes the letters and digits typed (and Esc, which Qt leaves to
it) before the window's shortcuts, so the tool keys, K, C and the frame keys went to it; with nothing
to leave it by but Tab round the whole window. :class:`EscKeysBack` makes Esc there drop what was
typed and put the focus on the canvas; the window's own Esc (Cancel / Navigate) is not run. The box
shows again the value it goes back to: its own (with keyboard tracking, where a value typed is taken at
once, the one it had when it took the focus, with its signal), or, for a box that shows a value held
elsewhere, that value, given by a callback (the brush radius of the tool state, the Model panel's
threshold of its slider) and shown under a signal blocker. It is the one rule of every number box: the
timeline's frame box, the Video panel's smoothing, the Annotate dock's brush radius, the Model panel's
thresholds; the last two hand the keys back after a click on their arrows too.

:class:`EscToCanvas` is the rule for the rest of a dock: a filter on each dock (a floating one is a
window of its own), and on the status bar, sees the Esc that no widget in it took. Qt sends a key, and
the ``ShortcutOverride`` before it, to the focus widget and then up to its parents while none accepts
it, so Esc reaches the dock only when the widget has no Esc of its own: a number box or the name filter
(they take Esc and do their own), a table cell's editor (Esc closes it), a button held down (Esc lets it
go), an open drop-down (its popup has the keys: Esc closes it, the next one comes here). There the
window's Esc (Cancel / Navigate) is not run, as in the number boxes: the first Esc gives the keys back,
the next one, on the canvas, is the window's. While an open is under way Esc cancels it from anywhere
(:class:`~app.esc_cancel.EscCancel`, a filter on the focus widget, sees it first).

The tab bars of docks stacked as tabs (Annotate | Model, Worklist | Layers) are the window's, not a dock's:
a Tab walk stops on them, and their Esc, unseen by the docks' filters, left the keys there (s36 working-day
review). The Esc that reaches the window from a focused tab bar (none takes it) gives them back as well.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QDockWidget, QMainWindow, QTabBar, QWidget

from app.esc_cancel import is_esc

__all__ = ["EscKeysBack", "EscToCanvas"]


class EscKeysBack(QObject):
    """Watches `box`: Esc there puts its value back and gives the keys back (see module).

    `canvas`: the widget the keyboard focus goes to, or a function that gives the keys back. `value`:
    the value to go back to, read as Esc is pressed and shown with the box's signals blocked; None: the
    box's own (see module). `clicks`: a click on the box's arrows gives the keys back too (its text is
    a child line edit: a click there keeps them, to type)."""

    def __init__(self, box: QAbstractSpinBox, canvas: QWidget | Callable[[], object],
                 value: Callable[[], object] | None = None, clicks: bool = False) -> None:
        super().__init__(box)
        self._box = box
        self._canvas = canvas
        self._source = value
        self._clicks = clicks
        self._value = self._current()
        box.installEventFilter(self)

    def _current(self) -> object:
        return getattr(self._box, "value", lambda: None)()

    def give_back(self) -> None:
        """Put the keyboard focus where the keys go back to (see `canvas`)."""
        if isinstance(self._canvas, QWidget):
            self._canvas.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._canvas()

    def _put_back(self) -> None:
        if self._source is not None:  # a value held elsewhere: shown again, nothing to tell
            with QSignalBlocker(self._box):
                self._box.setValue(self._source())  # type: ignore[attr-defined]  # QSpinBox, QDoubleSpinBox
            return
        # without keyboard tracking nothing typed is taken yet: the value it holds (given it
        # meanwhile, as the frame box while the video plays) is the one to show again
        value = self._value if self._box.keyboardTracking() else self._current()
        if value is not None:  # its text too, and a value typed and taken is told undone
            self._box.setValue(value)  # type: ignore[attr-defined]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is not self._box:
            return False
        kind = event.type()
        if kind == QEvent.Type.FocusIn:
            self._value = self._current()
            return False
        if kind == QEvent.Type.MouseButtonRelease:
            if self._clicks and self._box.hasFocus():
                self.give_back()
            return False
        if is_esc(event, plain=False):
            event.accept()  # the window's Esc (Cancel / Navigate) is not run
            if kind == QEvent.Type.KeyPress:
                self._put_back()
                self.give_back()
            return True
        return False


class EscToCanvas(QObject):
    """Watches every dock of `window` and its status bar: an Esc that no widget of the dock (or of the
    status bar) took puts the keyboard focus on `canvas` (see module)."""

    def __init__(self, window: QMainWindow, canvas: QWidget) -> None:
        super().__init__(window)
        self._canvas = canvas
        self.docks: list[QWidget] = []  # the docks, and the status bar
        self._window = window
        for dock in window.findChildren(QDockWidget):
            self.watch(dock)
        self.watch(window.statusBar())
        window.installEventFilter(self)  # the Esc of a dock's tab bar (the window's child) comes up to it

    def watch(self, dock: QWidget) -> None:
        """Watch `dock` too (one made after the window; or another part of it, as the status bar)."""
        if not any(dock is d for d in self.docks):
            dock.installEventFilter(self)
            self.docks.append(dock)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if not is_esc(event):
            return False
        if watched is self._window and not self._on_dock_tabs():
            return False  # the canvas's Esc, and any other, stays the window's
        event.accept()  # taken from the window's Esc (Cancel / Navigate): the key press comes here
        if kind == QEvent.Type.KeyPress:
            if isinstance(watched, QWidget) and watched.isWindow():  # a floating dock
                self._canvas.activateWindow()
            self._canvas.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _on_dock_tabs(self) -> bool:
        """Whether the keyboard focus is on a tab bar of the window's stacked docks."""
        focus = QApplication.focusWidget()
        return isinstance(focus, QTabBar) and focus.parent() is self._window
