"""Esc typed anywhere in a window cancels what is under way there (an open: images, a video), while
it is; otherwise Esc is the window's own (the annotation tools: back to navigate).

:class:`EscCancel` watches the window and its focus widget only (:class:`~app.focus_filter.FocusFilter`),
and only between :meth:`~EscCancel.start` and :meth:`~EscCancel.stop`: a filter on the whole application
would run for every event of every object. While started it takes Esc from the window's shortcuts
(``ShortcutOverride``) and calls `cancel` on the key press.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from app.focus_filter import FocusFilter

__all__ = ["EscCancel", "is_esc"]


def is_esc(event: QEvent, plain: bool = True) -> bool:
    """Whether `event` is Esc: its key press, or the ``ShortcutOverride`` that asks first whether a
    widget takes it from the window's shortcuts. `plain`: with no modifier held (Shift+Esc is no Esc)."""
    return (event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and (not plain or event.modifiers() == Qt.KeyboardModifier.NoModifier))


class EscCancel(QObject):
    """Calls `cancel()` on Esc in `window` (any focus) while started; see the module doc."""

    def __init__(self, window: QWidget, cancel: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else window)
        self._window = window
        self._cancel = cancel
        self._focus = FocusFilter(window, self)

    def start(self) -> None:
        self._focus.start()

    def stop(self) -> None:
        self._focus.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if is_esc(event) and isinstance(watched, QWidget) and watched.window() is self._window:
            if event.type() == QEvent.Type.ShortcutOverride:  # taken from the window's Esc shortcuts
                event.accept()
                return True
            self._cancel()
            return True
        return False
