"""The worklist's list view: Up and Down walk its rows in the worklist's order.

The window binds Up and Down to Next / Previous Image, which follow the Images list's order; with
the worklist sorted by model uncertainty or smoke size that is another order, so in the focused
worklist those keys are the list's own. Whatever key of the list's own moves its current row (Up,
Down, Home, End, typing a name's first letters), ``stepped(index)`` tells the panel to open that
row: the highlighted row is always the image shown.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QListView

__all__ = ["WorklistView"]


class WorklistView(QListView):
    """See module doc."""

    stepped = Signal(QModelIndex)
    _KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down)

    def event(self, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() in self._KEYS and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            event.accept()  # the list's, not the window's Next / Previous Image
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        before = self.currentIndex()
        super().keyPressEvent(event)
        index = self.currentIndex()
        if index.isValid() and index != before:
            self.stepped.emit(index)
