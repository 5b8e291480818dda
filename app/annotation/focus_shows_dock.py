"""The keyboard focus is never on a control nobody can see: a dock whose control takes it comes to the front.

The Annotate and Worklist docks share their places with the Model and Layers docks (tabs). Qt keeps the
docks behind the tab shown "visible", far off the window, and Tab goes through their controls: the focus
was on the unseen radius or opacity slider (a screen reader read it, the eye found no focus) and the
arrow keys moved it. :class:`FocusShowsDock` follows the application's focus and, when it enters a
tabbed dock of `window` that is not on screen, raises that dock (chooses its tab). Window-wide: the Model
and Layers docks, when behind the Annotate and Worklist ones, come forward the same way.

The other way round, a dock put behind another's tab (its tab clicked away) while one of its controls has
the focus gives the focus to the window's central widget, the image: the unseen opacity slider kept it,
and Left faded the mask instead of going to the previous image. Each dock the focus has entered is
watched for that (``visibilityChanged``), so docks made after this (video, analysis) are too.

A dock tab bar that Qt keeps off the window (with a video open the Worklist dock is hidden, and the tab
bar it shared with Layers stayed in the focus chain, far away, with one tab) is passed: the focus goes
on to the next stop, the way Tab or Shift+Tab came (:func:`came_forward`).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QTabBar, QWidget

__all__ = ["FocusShowsDock", "came_forward", "hidden_dock", "off_window"]


def _dock_of(widget: QWidget) -> QDockWidget | None:
    parent: QWidget | None = widget
    while parent is not None and not isinstance(parent, QDockWidget):
        parent = parent.parentWidget()
    return parent


def hidden_dock(window: QMainWindow, widget: QWidget) -> QDockWidget | None:
    """The tabbed, docked dock of `window` that holds `widget` and is not on screen now (behind
    another's tab), else None."""
    parent = _dock_of(widget)
    if parent is None or parent.isFloating() or parent.parentWidget() is not window:
        return None
    if not window.tabifiedDockWidgets(parent) or not parent.visibleRegion().isEmpty():
        return None
    return parent


def off_window(window: QWidget, widget: QWidget) -> bool:
    """Whether `widget` lies wholly outside `window` (where Qt keeps what it does not show)."""
    return not window.rect().intersects(QRect(widget.mapTo(window, QPoint(0, 0)), widget.size()))


def came_forward(old: QWidget | None, new: QWidget) -> bool:
    """Whether the focus came to `new` from `old` forward (Tab): `new` is the first widget after `old`
    in the focus chain that Tab could stop on. False: it came back (Shift+Tab)."""
    if old is None or not shiboken6.isValid(old):
        return True
    widget = old.nextInFocusChain()
    while widget is not None and widget is not old:
        if widget is new:
            return True
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isEnabled() and widget.isVisible():
            return False
        widget = widget.nextInFocusChain()
    return True


def _pass_on(widget: QWidget, forward: bool) -> None:
    if shiboken6.isValid(widget) and widget.hasFocus():  # as a Tab / Shift+Tab pressed on it moves on
        key = Qt.Key.Key_Tab if forward else Qt.Key.Key_Backtab
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier))


class FocusShowsDock(QObject):
    """Raises the dock behind a tab that the focus enters (see module)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._watched: set[int] = set()  # ids of the docks whose visibilityChanged is connected
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._follow)  # gone with this object: a bound slot of a QObject

    def _follow(self, old: QWidget | None, new: QWidget | None) -> None:
        window = self._window
        if new is None or not shiboken6.isValid(new) or not shiboken6.isValid(window) or new.window() is not window:
            return
        if isinstance(new, QTabBar) and new.parentWidget() is window and off_window(window, new):
            forward = came_forward(old, new)
            QTimer.singleShot(0, self, lambda: _pass_on(new, forward))  # after Qt's own focus change
            return
        dock = _dock_of(new)
        if dock is None or dock.parentWidget() is not window:
            return
        if id(dock) not in self._watched:
            self._watched.add(id(dock))
            dock.visibilityChanged.connect(self._tabbed_away)  # a bound slot: gone with this object
        if hidden_dock(window, new) is not None:
            dock.raise_()

    def _tabbed_away(self, shown: bool) -> None:
        """The dock that says so went behind another's tab (or was hidden): the focus in it goes to the image."""
        window, dock = self._window, self.sender()
        if shown or not isinstance(dock, QDockWidget) or not shiboken6.isValid(dock) or not shiboken6.isValid(window) or dock.isFloating():
            return
        focus = QApplication.focusWidget()
        central = window.centralWidget()
        if focus is not None and dock.isAncestorOf(focus) and central is not None:
            central.setFocus(Qt.FocusReason.OtherFocusReason)
