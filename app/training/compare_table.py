"""The table of Compare Two Checkpoints: one row per image (its name, size bucket, each checkpoint's
F_β, the change, the masks' agreement and flagged shares, in percent, which checkpoint was
trained on it, and where its ground truth came from: a dataset label or a project mask), sortable by any column by
the numbers (cells without one, shown "–", sort first)."""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QFontMetrics, QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from fosp_core.analysis.compare import CompareRow

__all__ = ["COLUMNS", "NOT_RECORDED", "PATH_ROLE", "UNKNOWN", "CompareTable", "trained_cell"]

COLUMNS = ("image", "size", "F_β A", "F_β B", "change", "mask agreement", "flagged A", "flagged B", "trained on",
           "ground truth")
#: The image's path (str) on each row's first item.
PATH_ROLE = Qt.ItemDataRole.UserRole + 1
#: The image column's width (px): a camera photo's name elided in its middle still tells it apart.
IMAGE_WIDTH = 240
#: ... and the least it is narrowed to where the other columns' words leave it less: with rows, a name elided
#: in its middle still reads; empty (no name to read), so that the table needs no sideways scrolling at the
#: dialog's size on an 800 px screen (it scrolled: its columns 830 px in 760).
IMAGE_MIN_WIDTH = 200
EMPTY_IMAGE_MIN_WIDTH = 120
#: A "trained on" cell's word for a checkpoint that records no training images.
NOT_RECORDED = "not recorded"
#: ... and for one that records them but cannot say for this image (unreadable, or an incomplete record).
UNKNOWN = "unknown"
#: What the table says while it has no rows (it was blank: nothing said what to do).
EMPTY_HINT = ("No image compared yet. Choose checkpoint B (A is the Model panel's), then Compare: each image "
              "gets a row with both checkpoints' scores; select a row to see both masks below.")


def trained_cell(pair: tuple[bool | None, bool | None] | None, recorded: tuple[bool, bool] = (True, True),
                 names: tuple[str, str] = ("A", "B")) -> str:
    """The "trained on" cell of an image: "A", "B", "A, B" (trained on by those) or "no" (held out of
    both) when both checkpoints can say; else each says for itself, e.g. "A: not recorded, B: no"
    (A records no training images; B held it out). `recorded`: whether A and B record theirs."""
    if pair is None:
        return NOT_RECORDED if not any(recorded) else UNKNOWN
    if all(v is not None for v in pair):
        trained = [name for name, verdict in zip(names, pair, strict=True) if verdict]
        return ", ".join(trained) if trained else "no"
    if not any(recorded):
        return NOT_RECORDED
    words = [("yes" if v else "no") if v is not None else (UNKNOWN if known else NOT_RECORDED)
             for v, known in zip(pair, recorded, strict=True)]
    return ", ".join(f"{name}: {word}" for name, word in zip(names, words, strict=True))


class _SortItem(QTableWidgetItem):
    """Sorts by the number in UserRole when it has one (cells shown as "–")."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        a = self.data(Qt.ItemDataRole.UserRole)
        b = other.data(Qt.ItemDataRole.UserRole)
        if a is not None and b is not None:
            return float(a) < float(b)
        return super().__lt__(other)


def _cell(value: float, signed: bool = False) -> QTableWidgetItem:
    percent = round(100 * value, 1) + 0.0  # + 0.0: a change that rounds to nothing is "+0.0", never "-0.0"
    item = _SortItem("–" if math.isnan(value) else (f"{percent:+.1f}" if signed else f"{percent:.1f}"))
    item.setData(Qt.ItemDataRole.UserRole, -1e9 if math.isnan(value) else float(value))
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class CompareTable(QTableWidget):
    """Read-only, one row selected at a time; rows keep the run's order until a column is clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("compare_table")
        self.setAccessibleName("Per-image comparison")
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.empty_hint = EMPTY_HINT  # drawn in the empty viewport; "" draws nothing
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the run's order until a column is clicked
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        # the name keeps its width (stretched into what the words of the last columns left, it was
        # about 30 px); the table scrolls sideways instead, and a long name loses its middle
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.setColumnWidth(0, IMAGE_WIDTH)
        self._fitting = False  # the name column resized by `_fit_names`, not by hand
        self._names_by_hand = False  # its edge dragged: its width stays the user's
        header.sectionResized.connect(self._on_section_resized)
        # one line a name, elided in its middle: QTableWidget wraps words by default, and a name that
        # wraps is never elided; its second line filled the two-line row, where the current row's
        # focus frame covered its underscores ("c__1530902221_+00540" read "c  1530902221  +00540")
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tip = ("F_β per image at the Model panel's threshold and Regions rule (smokeseg protocol); "
                        "change = B − A; "
                        "mask agreement = IoU of the two masks; trained on = the checkpoints trained on the "
                        "image (its scores flatter them; no = held out of both; not recorded = the checkpoint "
                        "records no training images; unknown = it cannot say for this image); ground truth = "
                        "the image's dataset label, else its reviewed or edited project mask (never a predicted "
                        "one). "
                        "Double-click opens the image.")
        self.setToolTip(f"{self.empty_hint}\n\n{self.tip}")  # the whole hint, also where the table shows a part

    def hint_layout(self) -> tuple[str, QRect]:
        """What an empty table says and where: `empty_hint` wrapped in the viewport, or as many of its first
        sentences as fit there (at the dialog's least height the whole was cut to its middle line)."""
        rect = self.viewport().rect().adjusted(12, 4, -12, -4)
        metrics = QFontMetrics(self.font())
        flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        sentences = self.empty_hint.replace(". ", ".\n").split("\n")
        for count in range(len(sentences), 1, -1):
            text = " ".join(sentences[:count])
            if metrics.boundingRect(rect, flags, text).height() <= rect.height():
                return text, rect
        return sentences[0], rect

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        """The rows, or in an empty table `empty_hint` (`hint_layout`), in the palette's hint colour."""
        super().paintEvent(event)
        if self.rowCount() == 0 and self.empty_hint:
            text, rect = self.hint_layout()
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), text)
            painter.end()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """The viewport took another width (the dialog, a vertical scrollbar): the name column follows."""
        if event.type() == QEvent.Type.Resize:
            self._fit_names()
        return super().viewportEvent(event)

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column == 0:
            self._names_by_hand = self._names_by_hand or not self._fitting
        else:  # a column sized to its words grew or shrank
            self._fit_names()

    def _fit_names(self) -> None:
        """The name column IMAGE_WIDTH wide, less (to IMAGE_MIN_WIDTH, or EMPTY_IMAGE_MIN_WIDTH without rows)
        where the other columns leave less in the viewport: no sideways scrolling where it can do without."""
        if self._names_by_hand:
            return
        header = self.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(1, self.columnCount()))
        least = IMAGE_MIN_WIDTH if self.rowCount() else EMPTY_IMAGE_MIN_WIDTH
        width = max(least, min(IMAGE_WIDTH, self.viewport().width() - others))
        if header.sectionSize(0) != width:
            self._fitting = True
            try:
                self.setColumnWidth(0, width)
            finally:
                self._fitting = False

    def clear_rows(self) -> None:
        """No rows, and no sorting while a run adds them."""
        self.setSortingEnabled(False)
        self.setRowCount(0)
        self.setToolTip(f"{self.empty_hint}\n\n{self.tip}")
        self._fit_names()

    def add_row(self, row: CompareRow, trained: str = UNKNOWN) -> None:
        """Append an image's row (`trained`: its "trained on" cell, `trained_cell`); the first row
        added is selected."""
        r = self.rowCount()
        self.insertRow(r)
        name = QTableWidgetItem(row.path.name)
        name.setData(PATH_ROLE, str(row.path))
        name.setToolTip(f"{row.path}\n{row.error}" if row.error else str(row.path))  # the whole name
        if row.error:
            name.setText(f"{row.path.name} — {row.error}")
        self.setItem(r, 0, name)
        self.setItem(r, 1, QTableWidgetItem(row.bucket or ("–" if not row.error else "")))
        s = row.scores
        nan = math.nan
        cells = [s[0].f_beta if s else nan, s[1].f_beta if s else nan]
        for col, value in enumerate(cells, 2):
            self.setItem(r, col, _cell(value))
        self.setItem(r, 4, _cell(row.f_beta_change, signed=True))
        for col, value in enumerate((row.agreement, row.flagged[0], row.flagged[1]), 5):
            self.setItem(r, col, _cell(value))
        self.setItem(r, 8, QTableWidgetItem(trained))
        self.setItem(r, 9, QTableWidgetItem(row.truth or ("–" if not row.error else "")))
        if r == 0:
            self.setToolTip(self.tip)
            self._fit_names()  # a name to read now: IMAGE_MIN_WIDTH at least
            self.selectRow(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        """Return / Enter on a row opens its image as a double-click does (`cellDoubleClicked`), and goes
        no further: the dialog's default button, Compare, would run the whole comparison again."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.cellDoubleClicked.emit(self.currentRow(), max(0, self.currentColumn()))
            event.accept()
            return
        super().keyPressEvent(event)

    def path_at(self, row: int) -> Path | None:
        """The image of a row (as the table shows it now), or None."""
        name = self.item(row, 0)
        return Path(name.data(PATH_ROLE)) if name is not None else None

    def selected_path(self) -> Path | None:
        items = self.selectedItems()
        return self.path_at(items[0].row()) if items else None
