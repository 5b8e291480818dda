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
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QWidget

__all__ = ["FocusShowsDock", "hidden_dock"]


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


class FocusShowsDock(QObject):
    """Raises the dock behind a tab that the focus enters (see module)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._watched: set[int] = set()  # ids of the docks whose visibilityChanged is connected
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._follow)  # gone with this object: a bound slot of a QObject

    def _follow(self, _old: QWidget | None, new: QWidget | None) -> None:
        window = self._window
        if new is None or not shiboken6.isValid(new) or not shiboken6.isValid(window) or new.window() is not window:
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
