"""The worklist's list view: Up and Down walk its rows in the worklist's order.

The window binds Up and Down to Next / Previous Image, which follow the Images list's order; with
the worklist sorted by model uncertainty or smoke size that is another order, so in the focused
worklist those keys are the list's own. Whatever key of the list's own moves its current row (Up,
Down, Home, End, typing a name's first letters), ``stepped(index)`` tells the panel to open that
row: the highlighted row is always the image shown.

The view shows whole rows only: whatever height its dock gives it (at 1024 x 640 the list had 68 px
for rows of 26, two rows and a cut one), the part under the last whole row is a margin, not half a
row. A list too short for one row is left as it is.
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

    def updateGeometries(self) -> None:  # noqa: N802 (Qt API: called on every resize and model change)
        super().updateGeometries()
        margin = self.partial_row_height()
        if margin != self.viewportMargins().bottom():
            self.setViewportMargins(0, 0, 0, margin)

    def partial_row_height(self) -> int:
        """The pixels under the last whole row the view has room for (0: no rows, or not one whole)."""
        row = self.sizeHintForRow(0) if self.model() is not None and self.model().rowCount() else -1
        room = self.height() - 2 * self.frameWidth()
        return room % row if 0 < row <= room else 0

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        before = self.currentIndex()
        super().keyPressEvent(event)
        index = self.currentIndex()
        if index.isValid() and index != before:
            self.stepped.emit(index)
