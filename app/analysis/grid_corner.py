"""Who owns the window's bottom-right corner: the right-hand column (Model, Layers, ...) while the
compare grid is the only dock at the bottom, so that the grid opens under the canvas and takes the
canvas' height, not the Model dock's (on a 1366 x 768 screen a full-width grid left the Model dock
about 70 px tall, its metrics scrolled out of view); the bottom area while another dock shows there
(a video's timeline), which then spans the window's width as it always did.

Under the canvas the grid also lies where Qt 6.11 leaves a stray tab bar: tabbing a second pair of
docks together before the window is first shown makes two bars for that pair, one of them never laid
out again (at its place in a 640 x 480 window, under the canvas, which hid it);
:func:`hide_stray_tab_bars` hides it.

A window destroyed without being closed (``deleteLater()``, its last reference dropped) hides its docks
as it deletes them, after its Python wrapper is gone: :class:`GridCorner` lets go of the docks' signals
as the window's deletion starts (its DeferredDelete, its ``destroyed``), and a signal that still reaches
it with the window gone only lets go (each raised "Internal C++ object (MainWindow) already deleted").
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, SignalInstance
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar

__all__ = ["GridCorner", "hide_stray_tab_bars"]

_BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea
_RIGHT = Qt.DockWidgetArea.RightDockWidgetArea
_CORNER = Qt.Corner.BottomRightCorner


class GridCorner(QObject):
    """Gives the bottom-right corner of `window` to the right-hand dock area unless a dock other than
    `grid` is shown in the bottom area (see the module doc). Follows the window's docks as they are
    shown, hidden, floated and moved through their own signals (`visibilityChanged`,
    `dockLocationChanged`, `topLevelChanged`): those there when the window is first shown, and any added
    after that. Only the window's events are filtered (its Show; ChildPolished, when a dock added to it
    is whole: at ChildAdded it is still being built, a plain QWidget), not every dock's. Before the first
    Show a polished child changes nothing (the Show watches every dock then): each window's build polished
    its docks one by one, and each time every dock was looked up again.
    The docks are the window's direct children (QMainWindow.addDockWidget makes them so; the window's
    ~800 widgets were searched for them)."""

    def __init__(self, window: QMainWindow, grid: QDockWidget) -> None:
        super().__init__(window)
        self.window, self.grid = window, grid
        self._watched: set[QDockWidget] = set()
        #: (signal, slot) of every connection to the docks, let go of by :meth:`release`
        self._connections: list[tuple[SignalInstance, Callable[..., None]]] = []
        self._released = False
        self._shown = False  # the window's first Show came: from then on a dock polished is one added
        window.installEventFilter(self)
        self._connect(grid.visibilityChanged, self._grid_shown)
        window.destroyed.connect(self.release)
        self.update()

    def _connect(self, signal: SignalInstance, slot: Callable[..., None]) -> None:
        signal.connect(slot)
        self._connections.append((signal, slot))

    def release(self, *_args: object) -> None:
        """Let go of the docks' signals (the window is being deleted): nothing reaches this any more."""
        if self._released:
            return
        self._released = True
        for signal, slot in self._connections:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):  # its dock is gone already
                pass
        self._connections.clear()
        self._watched.clear()

    def _alive(self) -> bool:
        """Whether the window is still there; where it is not, let go of its docks (see the module doc)."""
        if not self._released and shiboken6.isValid(self.window) and shiboken6.isValid(self):
            return True
        self.release()
        return False

    def _grid_shown(self, visible: bool) -> None:
        if visible and self._alive():
            QTimer.singleShot(0, self.window, lambda: self._alive() and hide_stray_tab_bars(self.window))

    def _docks(self) -> list[QDockWidget]:
        """The window's docks (its direct children, as QMainWindow keeps them)."""
        return self.window.findChildren(QDockWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)

    def _watch_all(self) -> None:
        for dock in self._docks():
            if dock is not self.grid and dock not in self._watched:
                self._watched.add(dock)
                self._connect(dock.destroyed, lambda _obj=None, d=dock: self._watched.discard(d))
                self._connect(dock.visibilityChanged, lambda _visible: self.update())  # shown, hidden
                self._connect(dock.dockLocationChanged, lambda _area: self.update())  # dragged to another area
                self._connect(dock.topLevelChanged, lambda _floating: self.update())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind == QEvent.Type.DeferredDelete and watched is self.window:  # deleteLater(): going
            self.release()
        elif self._released:
            pass
        elif kind == QEvent.Type.Show and watched is self.window:
            self._shown = True
            self._watch_all()
            self.update()
            QTimer.singleShot(0, self.window, lambda: hide_stray_tab_bars(self.window))
        elif kind == QEvent.Type.ChildPolished and self._shown and isinstance(event.child(), QDockWidget):  # type: ignore[attr-defined]
            self._watch_all()
            self.update()
        return False

    def others_at_bottom(self) -> list[QDockWidget]:
        """The docks besides the grid shown (not hidden, not floating) in the bottom area now."""
        window = self.window
        return [d for d in self._docks() if d is not self.grid and not d.isHidden()
                and not d.isFloating() and window.dockWidgetArea(d) == _BOTTOM]

    def update(self) -> None:
        """Give the corner to whom it belongs now (nothing once the window is being deleted)."""
        if not self._alive():
            return
        owner = _BOTTOM if self.others_at_bottom() else _RIGHT
        if self.window.corner(_CORNER) != owner:
            self.window.setCorner(_CORNER, owner)


def hide_stray_tab_bars(window: QMainWindow) -> list[QTabBar]:
    """Hide the tab bars of `window`'s docks that Qt made twice and left where they were (see the
    module doc): a shown bar whose tabs another shown bar has too, lying beside none of the docks it
    names (a bar in use lies under its docks, its left edge theirs). Returns those hidden."""
    bars = [b for b in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if b.isVisible() and b.count()]
    docks = [d for d in window.findChildren(QDockWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
             if d.isVisible() and not d.isFloating()]
    hidden = []
    for bar in bars:
        tabs = [bar.tabText(i) for i in range(bar.count())]
        twin = any(other is not bar and [other.tabText(i) for i in range(other.count())] == tabs for other in bars)
        beside = any(d.windowTitle() in tabs and d.geometry().left() == bar.geometry().left() for d in docks)
        if twin and not beside:
            bar.hide()
            hidden.append(bar)
    return hidden
