"""The list of opened images (thumbnail + name), bound both ways to an ImageSession, with a name
filter above it (the session's filter: Go ▸ Filter by Name, Ctrl+F). Names wrap anywhere on the
lines a row holds (:mod:`app.name_delegate`): one elided line made SMOKE5K's "1528757586_+00180.jpg" and
"1528758666_+01260.jpg" both "152875...80.jpg"."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

import qtawesome as qta
from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSignalBlocker,
    QSize,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QIcon, QImage, QKeyEvent, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from app.loader import THUMBNAIL_SIZE, screens_scale
from app.name_delegate import NameDelegate
from app.sliver import thumbnail_at_least_a_pixel
from app.theme import HINT_STYLE
from fosp_core.session import ImageSession

_Index = QModelIndex | QPersistentModelIndex

#: How long typing in the filter box pauses before the list is filtered (ms).
FILTER_DELAY_MS = 150
#: Thumbnails kept (about 48 KiB each); the least recently shown are dropped and made again when
#: they scroll back into view.
MAX_THUMBNAILS = 2000
#: How long scrolling pauses before the rows in view get their thumbnails asked for (ms).
VISIBLE_DELAY_MS = 30


class SessionListModel(QStringListModel):
    """A read-only Qt view of the session's listed images (all of them, or those its name filter
    lists): row r is image ``session.visible_at(r)``, its name held by Qt as a string list. The
    view lays out every row on a change; with the row count and indices in C++ that costs no call
    into Python per row (a Python ``rowCount`` and a proxy's ``filterAcceptsRow``: 0.5 s per
    100 000 images on every open and every filter, now 0.05 s). Only the painted rows ask
    :meth:`data` here.

    Thumbnails are a display cache kept here, made only for the rows the view shows
    (:meth:`wanted`) and bounded to `max_thumbnails`, least recently shown dropped first: a folder
    of 100 000 photos costs neither 100 000 decodes nor their memory."""

    def __init__(self, session: ImageSession, parent: QWidget | None = None,
                 max_thumbnails: int = MAX_THUMBNAILS) -> None:
        super().__init__(parent)
        self._session = session
        self._max_thumbnails = max(1, max_thumbnails)
        self._thumbnails: OrderedDict[Path, QIcon] = OrderedDict()
        self._requested: set[Path] = set()  # asked for, result not in yet
        self._placeholder = qta.icon("fa6s.image", color="#777777")
        session.events.entries_changed.connect(self._on_entries_changed)
        session.events.filter_changed.connect(self._on_filter_changed)
        self._on_entries_changed()

    def session_index(self, row: int | _Index) -> int:
        """The session index of list row `row` (an int or a model index), -1 for none."""
        if not isinstance(row, int):
            row = row.row() if row.isValid() else -1
        return self._session.visible_at(row)

    def row_index(self, session_index: int) -> QModelIndex:
        """The model index of the session's image `session_index`; invalid when not listed."""
        row = self._session.visible_row(session_index)
        return self.index(row) if row >= 0 else QModelIndex()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        at = self.session_index(index)
        if at < 0:
            return None
        path = self._session.paths[at]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._session.names[at]
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
        """Store the thumbnail of `path` (made for the screens' scale: a strip's thin side is drawn
        a pixel across, :func:`~app.sliver.thumbnail_at_least_a_pixel`); ignored (False) when the
        path is not open any more."""
        at = self._session.index_of(path)
        if at < 0:
            return False
        key = self._session.paths[at]
        self._requested.discard(key)
        self._thumbnails[key] = QIcon(QPixmap.fromImage(thumbnail_at_least_a_pixel(image, screens_scale())))
        self._thumbnails.move_to_end(key)
        while len(self._thumbnails) > self._max_thumbnails:
            self._thumbnails.popitem(last=False)
        index = self.row_index(at)
        if index.isValid():  # not hidden by the filter
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
        return True

    def has_thumbnail(self, path: Path) -> bool:
        return Path(path).resolve() in self._thumbnails

    @property
    def thumbnail_count(self) -> int:
        return len(self._thumbnails)

    def wanted(self, indices: Iterable[int]) -> list[Path]:
        """The paths of the session's images `indices` that have no thumbnail and none on the way,
        now marked as asked for: the caller requests their thumbnails (and calls
        :meth:`set_thumbnail` with each)."""
        paths = self._session.paths
        out = []
        for at in indices:
            if 0 <= at < len(paths):
                path = paths[at]
                if path not in self._thumbnails and path not in self._requested:
                    self._requested.add(path)
                    out.append(path)
        return out

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)  # a string list's rows are editable and draggable: not these
        return flags & ~(Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled)

    def _on_entries_changed(self) -> None:
        session = self._session  # the cache is small: look its paths up, not the session's up
        self._thumbnails = OrderedDict((p, icon) for p, icon in self._thumbnails.items() if p in session)
        self._requested = {p for p in self._requested if p in session}
        self._on_filter_changed(session.filter)

    def _on_filter_changed(self, _pattern: str) -> None:
        session = self._session
        names = session.names
        self.setStringList([names[i] for i in session.visible_indices()] if session.filter else list(names))


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
        self.filter_model = self.list_model  # the rows shown: the listed images (no proxy model)
        self.setModel(self.list_model)
        self.setIconSize(QSize(*THUMBNAIL_SIZE))
        self.setUniformItemSizes(True)
        self.setSpacing(2)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keeps the date and the frame number
        self.setItemDelegate(NameDelegate(self))  # the name on as many lines as the row holds
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
        for signal in (self.list_model.modelReset, self.list_model.layoutChanged,
                       self.list_model.rowsInserted, self.list_model.rowsRemoved):
            signal.connect(self._in_view.start)

    def visible_rows(self, overscan_pages: float = 1.0) -> list[int]:
        """The session indices of the listed rows in view, and of `overscan_pages` pages of
        listed rows either side (rows are of one height: uniform item sizes)."""
        model = self.list_model
        count = model.rowCount()
        if count == 0:
            return []
        first = self.visualRect(model.index(0, 0))
        step = self.visualRect(model.index(1, 0)).top() - first.top() if count > 1 else first.height()
        step = max(1, step)
        page = max(1, -(-self.viewport().height() // step))
        top = max(0, -first.top() // step)
        extra = int(page * overscan_pages)
        return [model.session_index(row) for row in range(max(0, top - extra), min(count, top + page + 1 + extra))]

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
        index = self.list_model.session_index(current)
        if index >= 0 and not self._refiltering:
            self.picked.emit(index)
            self._session.set_current(index)

    def _on_filter_changed(self, _pattern: str) -> None:
        # The model has reset its rows already (it connected first); a reset moves no current
        # row, but the view must not take a move it makes meanwhile for the user's choice.
        self._refiltering = True
        try:
            self._on_session_current_changed(self._session.current_index)
        finally:
            self._refiltering = False

    def _on_entries_changed(self) -> None:
        self._on_session_current_changed(self._session.current_index)  # a model reset drops the selection

    def _on_session_current_changed(self, index: int) -> None:
        selection = self.selectionModel()
        with QSignalBlocker(selection):
            model_index = self.list_model.row_index(index) if index >= 0 else QModelIndex()
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
        # Qt's clear button has no words: a screen reader said "button" and nothing else
        clear = self.filter_edit.findChild(QAction, "_q_qlineeditclearaction")
        if clear is not None:
            clear.setText("Clear the filter")
            clear.setToolTip("Clear the filter (Esc): every image listed again")
        self.filter_edit.setPlaceholderText("Filter by name (Ctrl+F)")
        self.filter_edit.setAccessibleName("Filter images by name")  # a placeholder is no name to Qt
        self.filter_edit.setToolTip("Words that must all be in the file name; * and ? are wildcards. "
                                    "Next/Previous Image then go through the listed images only.")
        self.list = ImageListView(session, self)
        self.list.setAccessibleName("Images")
        self.empty_note = QLabel()  # why the list is empty: nothing open, or the filter matches no name
        self.empty_note.setWordWrap(True)
        self.empty_note.setStyleSheet(HINT_STYLE)
        self.empty_note.setContentsMargins(4, 2, 4, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.empty_note)
        layout.addWidget(self.list)
        QWidget.setTabOrder(self.filter_edit, self.list)  # as shown, top down (the list was made a child first)
        # typing refilters once it pauses: a filter over 100 000 names takes 0.1-0.2 s
        self._typing = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._typing.timeout.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(lambda _text: self._typing.start())
        self.filter_edit.done.connect(self._on_done)
        session.events.filter_changed.connect(self._on_filter_changed)
        session.events.entries_changed.connect(self._show_empty_note)
        self._show_empty_note()

    def _show_empty_note(self) -> None:
        """Say why the list is empty, as the worklist does (it was blank, with no hint)."""
        session = self._session
        text = ""
        if len(session) == 0:
            text = "Open images (Ctrl+O) or a folder (Ctrl+Shift+O) to list them here."
        elif session.filter and not session.visible_indices():
            text = (f'No image name matches "{session.filter}" ({len(session)} open). '
                    "To list every one, clear the filter: Ctrl+F, then Esc.")  # Esc clears it in the box only
        self.empty_note.setText(text)
        self.empty_note.setVisible(bool(text))

    def focus_filter(self) -> None:
        """Put the cursor in the filter box with its text selected (Ctrl+F)."""
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def apply_filter(self) -> None:
        """Filter the session by the box's text now (typing does it after a short pause)."""
        self._typing.stop()
        self._session.set_filter(self.filter_edit.text())

    def _on_filter_changed(self, pattern: str) -> None:
        self._show_empty_note()
        if self.filter_edit.text().strip() != pattern:  # set from elsewhere: show it
            with QSignalBlocker(self.filter_edit):
                self.filter_edit.setText(pattern)

    def _on_done(self) -> None:
        self.apply_filter()
        visible = self._session.visible_indices()
        if visible and not self._session.is_visible(self._session.current_index):
            self._session.set_current(visible[0])
        self.finished.emit()
