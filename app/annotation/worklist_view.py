"""The worklist's list view: Up and Down walk its rows in the worklist's order.

The window binds Up and Down to Next / Previous Image, which follow the Images list's order; with
the worklist sorted by model uncertainty or smoke size that is another order, so in the focused
worklist those keys are the list's own. Whatever key of the list's own moves its current row (Up,
Down, Home, End, typing a name's first letters), ``stepped(index)`` tells the panel to open that
row: the highlighted row is always the image shown.

The image shown may have no row: R took it out of Show: Not reviewed, an edit out of Show: Unlabelled, or
an arrow key went to an image the list does not show. Then Down opens the row after the place that image
has in the worklist's order and Up the row before it (`place_of_shown`, set by the panel): the list's
own Down went to its first row, back to the top of the queue (found in the s36 working-day review: Down,
R, Down reviewed image 2, then image 1). Past the last row Down leaves the image shown.

The view shows whole rows only: whatever height its dock gives it (at 1024 x 640 the list had 68 px
for rows of 26, two rows and a cut one), the part under the last whole row is a margin, not half a
row. A list too short for one row is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QListView

__all__ = ["WorklistView"]


class WorklistView(QListView):
    """See module doc."""

    stepped = Signal(QModelIndex)
    _KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down)
    #: the number of rows before the place of the image shown when it has no row (None: it is listed, or
    #: no image is shown): see the module doc
    place_of_shown: Callable[[], int | None] | None = None

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
        if self._step_from_place(event):
            return
        before = self.currentIndex()
        super().keyPressEvent(event)
        index = self.currentIndex()
        if index.isValid() and index != before:
            self.stepped.emit(index)

    def _step_from_place(self, event: QKeyEvent) -> bool:
        """Up or Down while the image shown has no row: the row before or after its place (module doc)."""
        if (self.currentIndex().isValid() or self.place_of_shown is None or event.key() not in self._KEYS
                or event.modifiers() != Qt.KeyboardModifier.NoModifier or (place := self.place_of_shown()) is None):
            return False
        row = place if event.key() == Qt.Key.Key_Down else place - 1
        model = self.model()
        if model is not None and 0 <= row < model.rowCount():
            index = model.index(row, 0)
            self.setCurrentIndex(index)
            self.stepped.emit(index)
        event.accept()
        return True
