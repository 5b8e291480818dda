"""The worklist's rows as a Qt model: entries in order, each with the status it has now, the current one
brighter (`WorklistModel`), and the status dots' colours (`status_colors`). Split from
`app.annotation.worklist_panel`, which shows it.

A status dot is a picture drawn once per status and theme (`dot_icon`: a QIcon of pixmaps, a few sizes), so a
paint of the rows copies pixmaps: a qtawesome glyph was drawn again (QPainter.drawText of the icon font) for
each row at each paint, a third of the list's paint, and its first use loaded the font.

An unlabelled image with a label of its dataset is told as the Annotate dock tells it
(`app.annotation.status_words.dataset_label_only`, on the entry's ``label``, in memory): its tooltip says "status:
dataset label only: Annotate ▸ Import Labels… to edit it" (`image_status_words`) and its dot is a ring of the
unlabelled colour (`dot_icon(..., ring=True)`, drawn once per theme as the dots)."""

from __future__ import annotations

import operator

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QStringListModel, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from app.annotation.status_words import dataset_label_only, image_status_words
from app.theme import current_theme
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.project import Project

__all__ = ["ID_ROLE", "STATUS_COLORS", "WorklistModel", "dot_icon", "status_colors"]

_DOT_ORDER = (Status.UNLABELED, Status.PREDICTED, Status.EDITED, Status.REVIEWED)


def status_colors() -> dict[Status, str]:
    """Each status's dot colour in the theme applied now (:attr:`app.theme.Theme.status_dots`)."""
    return dict(zip(_DOT_ORDER, current_theme().status_dots, strict=True))


#: the pixel sizes a dot is drawn at: a row's icon (16) at device pixel ratios 1 to 3, and between
DOT_SIDES = (16, 20, 24, 32, 40, 48)
#: the dot's diameter in its square, as the Font Awesome circle it replaces filled it (qtawesome's 0.875 scale)
DOT_FILL = 0.875
#: a ring's line width (a dataset label only's dot), of its square's side
RING_WIDTH = 0.16


def dot_icon(color: str, *, ring: bool = False) -> QIcon:
    """A status dot of `color`: a filled circle (a `ring`: its outline only), antialiased, drawn once at each of
    DOT_SIDES."""
    icon = QIcon()
    for side in DOT_SIDES:
        pixmap = QPixmap(side, side)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        inset = side * (1 - DOT_FILL) / 2
        if ring:
            pen = QPen(QColor(color), side * RING_WIDTH)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            inset += pen.widthF() / 2
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(color))
        painter.drawEllipse(QRectF(inset, inset, side - 2 * inset, side - 2 * inset))
        painter.end()
        icon.addPixmap(pixmap)
    return icon


#: The dots' colours in the dark theme (:func:`status_colors` gives the current theme's).
STATUS_COLORS = status_colors()
ID_ROLE = Qt.ItemDataRole.UserRole
_Index = QModelIndex | QPersistentModelIndex


class WorklistModel(QStringListModel):
    """The worklist's rows: entries in order, each shown with the status it has now (the image
    being edited may be ahead of its stored entry), the current image brighter (the theme's colours,
    read at each paint; each theme's four dots made once). The ids are a
    string list held by Qt: a view's layout of every row asks the row count in C++, not in Python
    (100 000 rows: 0.2 s less each time the rows change, opening a folder first of all)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ImageEntry] = []
        self._live: dict[str, Status] = {}
        self._current: str | None = None
        self._row_of: dict[str, int] = {}
        self._icons: dict[str, dict[Status, QIcon]] = {}  # theme name -> the status dots
        self._rings: dict[str, QIcon] = {}  # theme name -> the dot of an image with a dataset label only
        self.project: Project | None = None  # the rows' (read-only: its tooltips name no Import Labels…)

    def dots(self) -> dict[Status, QIcon]:
        """The four status dots in the theme applied now."""
        theme = current_theme()
        dots = self._icons.get(theme.name)
        if dots is None:
            dots = self._icons[theme.name] = {status: dot_icon(color) for status, color in status_colors().items()}
        return dots

    def ring(self) -> QIcon:
        """The dot of an unlabelled image with a label of its dataset: a ring of the unlabelled colour."""
        theme = current_theme()
        ring = self._rings.get(theme.name)
        if ring is None:
            ring = self._rings[theme.name] = dot_icon(status_colors()[Status.UNLABELED], ring=True)
        return ring

    def set_rows(self, rows: list[ImageEntry], live: dict[str, Status], current: str | None) -> bool:
        """Show `rows`; True when they are the rows shown already (the same entries in the same
        order: after a stroke or an image switch). Then the model is not reset, and the caller
        repaints its view so that statuses and highlight are read again: a reset, or any
        dataChanged, makes a QListView lay out every row again (100 000 rows: 0.25 s a stroke)."""
        if rows and len(rows) == len(self._rows) and all(map(operator.is_, rows, self._rows)):
            self._live, self._current = live, current
            return True
        self._rows, self._live, self._current = rows, live, current
        self._row_of = {entry.id: row for row, entry in enumerate(rows)}
        self.setStringList([entry.id for entry in rows])  # resets the model
        return False

    @property
    def rows(self) -> list[ImageEntry]:
        """The entries shown, in order."""
        return self._rows

    def row_of(self, image_id: str | None) -> int:
        """The row showing `image_id`, -1 when it is not listed."""
        return -1 if image_id is None else self._row_of.get(image_id, -1)

    def status(self, row: int) -> Status:
        entry = self._rows[row]
        return self._live.get(entry.id, entry.status)

    def flags(self, index: _Index) -> Qt.ItemFlag:  # a string list's rows are editable and draggable: not these
        return super().flags(index) & ~(Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled
                                        | Qt.ItemFlag.ItemIsDropEnabled)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, ID_ROLE):
            return entry.id
        if role == Qt.ItemDataRole.DecorationRole:
            status = self.status(index.row())
            return self.ring() if dataset_label_only(status, entry.label is not None) else self.dots()[status]
        if role == Qt.ItemDataRole.ToolTipRole:
            read_only = self.project is not None and self.project.read_only
            words = image_status_words(self.status(index.row()), entry.label is not None, read_only)
            return f"{entry.image}\nstatus: {words}"
        if role == Qt.ItemDataRole.ForegroundRole:
            theme = current_theme()
            return theme.list_current if entry.id == self._current else theme.list_text
        return None
