"""The list of opened images (thumbnail + name), bound both ways to an ImageSession."""

from __future__ import annotations

from pathlib import Path

import qtawesome as qta
from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSignalBlocker, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from app.loader import THUMBNAIL_SIZE
from fosp_core.session import ImageSession

_Index = QModelIndex | QPersistentModelIndex


class SessionListModel(QAbstractListModel):
    """A read-only Qt view of the session's paths; thumbnails are a display cache kept here."""

    def __init__(self, session: ImageSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._thumbnails: dict[Path, QIcon] = {}
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
            return self._thumbnails.get(path, self._placeholder)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(path)
        return None

    def set_thumbnail(self, path: Path, image: QImage) -> bool:
        """Store the thumbnail of `path`; ignored (False) when the path is not open any more."""
        row = self._session.index_of(path)
        if row < 0:
            return False
        self._thumbnails[self._session.paths[row]] = QIcon(QPixmap.fromImage(image))
        index = self.index(row)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
        return True

    def has_thumbnail(self, path: Path) -> bool:
        return Path(path).resolve() in self._thumbnails

    def _on_entries_changed(self) -> None:
        self.beginResetModel()
        open_paths = set(self._session.paths)
        self._thumbnails = {p: icon for p, icon in self._thumbnails.items() if p in open_paths}
        self.endResetModel()


class ImageListView(QListView):
    """Thumbnails and names of the open images; selecting one makes it current, and it follows
    the session's current image."""

    def __init__(self, session: ImageSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.list_model = SessionListModel(session, self)
        self.setModel(self.list_model)
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

    def _on_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._session.set_current(current.row())

    def _on_entries_changed(self) -> None:
        self._on_session_current_changed(self._session.current_index)  # a model reset drops the selection

    def _on_session_current_changed(self, index: int) -> None:
        selection = self.selectionModel()
        with QSignalBlocker(selection):
            if index < 0:
                selection.clear()
            else:
                model_index = self.list_model.index(index)
                selection.setCurrentIndex(model_index, selection.SelectionFlag.ClearAndSelect)
                self.scrollTo(model_index)
        self.viewport().update()  # the blocked selection model cannot repaint the view itself
