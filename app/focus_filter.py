"""An event filter on one window's keyboard focus, instead of one on the whole application.

Why: a Python event filter installed on the QApplication runs for every event of every object
(paints, timers, queued calls from the workers, layout requests...): 300-700 calls a second in the
main window during video playback or a model run (``bench/bench_event_loop.py``), each of which
takes the GIL from the workers on the GUI thread. A key event goes first to the focus widget (and to
its parents only if it ignores it), so a filter that wants the keys typed anywhere in a window only
needs to sit on the window's focus widget.

:class:`FocusFilter` keeps `event_filter` installed on the window of `anchor` and on the
application's focus widget while that widget is in the same window, following
``QApplication.focusChanged`` (the focus widget of an inactive window is its
``QWidget.focusWidget``); with `floating_docks`, also while it is in a dock of that window
floated off it. Objects in `keep` are filtered by their owner already: they are never removed.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget

__all__ = ["FocusFilter"]


class FocusFilter(QObject):
    """Installs `event_filter` on `anchor`'s window and its focus widget while started (see module)."""

    def __init__(self, anchor: QWidget, event_filter: QObject, keep: tuple[QObject, ...] = (),
                 floating_docks: bool = False) -> None:
        super().__init__(event_filter)
        self._anchor = anchor
        self._filter = event_filter
        self._keep = keep
        self._floating_docks = floating_docks  # the focus widget of a dock of the window floated off it too
        self._watched: list[QObject] = []
        self._started = False

    @property
    def watched(self) -> list[QObject]:
        """The objects `event_filter` is installed on by this, now (living ones)."""
        return [obj for obj in self._watched if shiboken6.isValid(obj)]

    def start(self) -> None:
        app = QApplication.instance()
        if self._started or not isinstance(app, QApplication):
            return
        self._started = True
        app.focusChanged.connect(self._follow)
        self._follow(None, app.focusWidget())

    def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.disconnect(self._follow)
        self._unwatch()

    def _unwatch(self) -> None:
        if shiboken6.isValid(self._filter):
            for obj in self.watched:
                obj.removeEventFilter(self._filter)
        self._watched = []

    def _floats_off(self, focus: QWidget, window: QWidget) -> bool:
        """Whether `focus` is in a dock of `window` floated off it (the window's shortcuts work there: Qt counts
        such a dock as its main window), when asked to follow those (`floating_docks`)."""
        dock = focus.window()
        return self._floating_docks and isinstance(dock, QDockWidget) and dock.parentWidget() is window

    def _follow(self, _old: QWidget | None, new: QWidget | None) -> None:
        self._unwatch()
        if not shiboken6.isValid(self._anchor) or not shiboken6.isValid(self._filter):
            return
        window = self._anchor.window()
        focus = new if new is not None and shiboken6.isValid(new) else window.focusWidget()
        targets: list[QObject] = [window]
        if focus is not None and focus is not window and (focus.window() is window or self._floats_off(focus, window)):
            targets.append(focus)
        for obj in targets:
            if not any(obj is kept for kept in self._keep):
                obj.installEventFilter(self._filter)
                self._watched.append(obj)
