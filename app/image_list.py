"""The list of opened images (thumbnail + name), bound both ways to an ImageSession, with a name
filter above it (the session's filter: Go ▸ Filter by Name, Ctrl+F)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

import qtawesome as qta
from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSignalBlocker,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QIcon, QImage, QKeyEvent, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListView, QVBoxLayout, QWidget

from app.loader import THUMBNAIL_SIZE
from fosp_core.session import ImageSession

_Index = QModelIndex | QPersistentModelIndex

#: How long typing in the filter box pauses before the list is filtered (ms).
FILTER_DELAY_MS = 150
#: Thumbnails kept (about 48 KiB each); the least recently shown are dropped and made again when
#: they scroll back into view.
MAX_THUMBNAILS = 2000
#: How long scrolling pauses before the rows in view get their thumbnails asked for (ms).
VISIBLE_DELAY_MS = 30


class SessionListModel(QAbstractListModel):
    """A read-only Qt view of the session's paths. Thumbnails are a display cache kept here, made
    only for the rows the view shows (:meth:`wanted`) and bounded to `max_thumbnails`, least
    recently shown dropped first: a folder of 100 000 photos costs neither 100 000 decodes nor
    their memory."""

    def __init__(self, session: ImageSession, parent: QWidget | None = None,
                 max_thumbnails: int = MAX_THUMBNAILS) -> None:
        super().__init__(parent)
        self._session = session
        self._max_thumbnails = max(1, max_thumbnails)
        self._thumbnails: OrderedDict[Path, QIcon] = OrderedDict()
        self._requested: set[Path] = set()  # asked for, result not in yet
        self._placeholder = qta.icon("fa6s.image", color="#777777")
        session.events.entries_changed.connect(self._on_entries_changed)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._session)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._session):
            return None
        path = self._session.paths[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return path.name
        if role == Qt.ItemDataRole.DecorationRole:
            icon = self._thumbnails.get(path)
            if icon is None:
                return self._placeholder
            self._thumbnails.move_to_end(path)  # shown: the last to be dropped
            return icon
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(path)
        return None

    def set_thumbnail(self, path: Path, image: QImage) -> bool:
        """Store the thumbnail of `path`; ignored (False) when the path is not open any more."""
        row = self._session.index_of(path)
        if row < 0:
            return False
        key = self._session.paths[row]
        self._requested.discard(key)
        self._thumbnails[key] = QIcon(QPixmap.fromImage(image))
        self._thumbnails.move_to_end(key)
        while len(self._thumbnails) > self._max_thumbnails:
            self._thumbnails.popitem(last=False)
        index = self.index(row)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
        return True

    def has_thumbnail(self, path: Path) -> bool:
        return Path(path).resolve() in self._thumbnails

    @property
    def thumbnail_count(self) -> int:
        return len(self._thumbnails)

    def wanted(self, rows: Iterable[int]) -> list[Path]:
        """The paths of `rows` that have no thumbnail and none on the way, now marked as asked
        for: the caller requests their thumbnails (and calls :meth:`set_thumbnail` with each)."""
        paths = self._session.paths
        out = []
        for row in rows:
            if 0 <= row < len(paths):
                path = paths[row]
                if path not in self._thumbnails and path not in self._requested:
                    self._requested.add(path)
                    out.append(path)
        return out

    def _on_entries_changed(self) -> None:
        self.beginResetModel()
        open_paths = set(self._session.paths)
        self._thumbnails = OrderedDict((p, icon) for p, icon in self._thumbnails.items() if p in open_paths)
        self._requested &= open_paths
        self.endResetModel()


class SessionFilterModel(QSortFilterProxyModel):
    """The rows of a :class:`SessionListModel` that the session's name filter lists."""

    def __init__(self, session: ImageSession, source: SessionListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setSourceModel(source)

    def refilter(self) -> None:
        """Apply the session's changed filter to the rows."""
        if hasattr(self, "endFilterChange"):  # Qt >= 6.10; invalidateRowsFilter() is deprecated there
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802 (Qt API)
        return self._session.is_visible(source_row)


class ImageListView(QListView):
    """Thumbnails and names of the open images the session's filter lists; selecting one makes it
    current (`picked` tells first), and it follows the session's current image (no selection while
    the filter hides it).

    `thumbnails_wanted(paths)` asks for the thumbnails of the rows in view (and a page either
    side) once scrolling, resizing or filtering pauses; the owner makes them and hands each to
    ``list_model.set_thumbnail``."""

    thumbnails_wanted = Signal(list)
    #: picked(index): the user chose image `index` in the list (emitted before it becomes current)
    picked = Signal(int)

    def __init__(self, session: ImageSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.list_model = SessionListModel(session, self)
        self.filter_model = SessionFilterModel(session, self.list_model, self)
        self.setModel(self.filter_model)
        self.setIconSize(QSize(*THUMBNAIL_SIZE))
        self.setUniformItemSizes(True)
        self.setSpacing(2)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keeps the date and the frame number
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.selectionModel().currentChanged.connect(self._on_view_current_changed)
        session.events.current_changed.connect(self._on_session_current_changed)
        session.events.entries_changed.connect(self._on_entries_changed)
        session.events.filter_changed.connect(self._on_filter_changed)
        self._refiltering = False
        self._in_view = QTimer(self, singleShot=True, interval=VISIBLE_DELAY_MS)
        self._in_view.timeout.connect(self.request_visible_thumbnails)
        self.verticalScrollBar().valueChanged.connect(lambda _value: self._in_view.start())
        for signal in (self.filter_model.modelReset, self.filter_model.layoutChanged,
                       self.filter_model.rowsInserted, self.filter_model.rowsRemoved):
            signal.connect(self._in_view.start)

    def visible_rows(self, overscan_pages: float = 1.0) -> list[int]:
        """The session indices of the listed rows in view, and of `overscan_pages` pages of
        listed rows either side (rows are of one height: uniform item sizes)."""
        model = self.filter_model
        count = model.rowCount()
        if count == 0:
            return []
        first = self.visualRect(model.index(0, 0))
        step = self.visualRect(model.index(1, 0)).top() - first.top() if count > 1 else first.height()
        step = max(1, step)
        page = max(1, -(-self.viewport().height() // step))
        top = max(0, -first.top() // step)
        extra = int(page * overscan_pages)
        return [model.mapToSource(model.index(row, 0)).row()
                for row in range(max(0, top - extra), min(count, top + page + 1 + extra))]

    def request_visible_thumbnails(self) -> None:
        """Ask for the thumbnails of the rows in view and a page either side (see the class)."""
        self._in_view.stop()
        paths = self.list_model.wanted(self.visible_rows())
        if paths:
            self.thumbnails_wanted.emit(paths)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._in_view.start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self._in_view.start()

    def _on_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._refiltering:
            index = self.filter_model.mapToSource(current).row()
            self.picked.emit(index)
            self._session.set_current(index)

    def _on_filter_changed(self, _pattern: str) -> None:
        # Hiding the selected row moves the view's current row to a neighbour; that must not
        # change the session's current image, so the view ignores its own moves meanwhile.
        self._refiltering = True
        try:
            self.filter_model.refilter()
        finally:
            self._refiltering = False
        self._on_session_current_changed(self._session.current_index)

    def _on_entries_changed(self) -> None:
        self._on_session_current_changed(self._session.current_index)  # a model reset drops the selection

    def _on_session_current_changed(self, index: int) -> None:
        selection = self.selectionModel()
        with QSignalBlocker(selection):
            model_index = self.filter_model.mapFromSource(self.list_model.index(index)) if index >= 0 else QModelIndex()
            if not model_index.isValid():  # no image, or one the filter hides
                selection.clear()
            else:
                selection.setCurrentIndex(model_index, selection.SelectionFlag.ClearAndSelect)
                self.scrollTo(model_index)
        self.viewport().update()  # the blocked selection model cannot repaint the view itself


class FilterEdit(QLineEdit):
    """The name filter's text box: Escape clears it and hands focus back (`done`), Enter hands it back."""

    done = Signal()
    _KEYS = (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter)

    def event(self, event: QEvent) -> bool:
        # the window's shortcuts on these keys (close a polygon, cancel a stroke) wait while typing
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and event.key() in self._KEYS:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
            self.done.emit()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.done.emit()
        else:
            super().keyPressEvent(event)


class ImagesPanel(QWidget):
    """The Images dock's content: the name filter above the list. Typing filters the session;
    Enter or Escape (which also clears it) emits `finished` for the window to give the image the
    focus back, after showing the first listed image when the filter hides the current one."""

    finished = Signal()

    def __init__(self, session: ImageSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.filter_edit = FilterEdit()
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText("Filter by name (Ctrl+F)")
        self.filter_edit.setToolTip("Words that must all be in the file name; * and ? are wildcards. "
                                    "Next/Previous Image then go through the listed images only.")
        self.list = ImageListView(session, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list)
        # typing refilters once it pauses: a filter over 100 000 names takes 0.1-0.2 s
        self._typing = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._typing.timeout.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(lambda _text: self._typing.start())
        self.filter_edit.done.connect(self._on_done)
        session.events.filter_changed.connect(self._on_filter_changed)

    def focus_filter(self) -> None:
        """Put the cursor in the filter box with its text selected (Ctrl+F)."""
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def apply_filter(self) -> None:
        """Filter the session by the box's text now (typing does it after a short pause)."""
        self._typing.stop()
        self._session.set_filter(self.filter_edit.text())

    def _on_filter_changed(self, pattern: str) -> None:
        if self.filter_edit.text().strip() != pattern:  # set from elsewhere: show it
            with QSignalBlocker(self.filter_edit):
                self.filter_edit.setText(pattern)

    def _on_done(self) -> None:
        self.apply_filter()
        visible = self._session.visible_indices()
        if visible and not self._session.is_visible(self._session.current_index):
            self._session.set_current(visible[0])
        self.finished.emit()
