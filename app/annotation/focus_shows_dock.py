"""The keyboard focus is never on a control nobody can see: a dock whose control takes it comes to the front.

The Annotate and Worklist docks share their places with the Model and Layers docks (tabs). Qt keeps the
docks behind the tab shown "visible", far off the window, and Tab goes through their controls: the focus
was on the unseen radius or opacity slider (a screen reader read it, the eye found no focus) and the
arrow keys moved it. :class:`FocusShowsDock` follows the application's focus and, when it enters a
tabbed dock of `window` that is not on screen, raises that dock (chooses its tab). Window-wide: the Model
and Layers docks, when behind the Annotate and Worklist ones, come forward the same way.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QWidget

__all__ = ["FocusShowsDock", "hidden_dock"]


def hidden_dock(window: QMainWindow, widget: QWidget) -> QDockWidget | None:
    """The tabbed, docked dock of `window` that holds `widget` and is not on screen now (behind
    another's tab), else None."""
    parent: QWidget | None = widget
    while parent is not None and not isinstance(parent, QDockWidget):
        parent = parent.parentWidget()
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
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._follow)  # gone with this object: a bound slot of a QObject

    def _follow(self, _old: QWidget | None, new: QWidget | None) -> None:
        window = self._window
        if new is None or not shiboken6.isValid(new) or not shiboken6.isValid(window) or new.window() is not window:
            return
        dock = hidden_dock(window, new)
        if dock is not None:
            dock.raise_()
