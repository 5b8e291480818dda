"""The metrics box: F_β, IoU, precision, recall and 𝓜 of the current image and of the opened set
by size bucket (paper Table 3 layout), from :mod:`fosp_core.analysis.results` scores."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.theme import HINT_STYLE
from fosp_core.analysis.results import Scores

HEADERS = ("n", "F_β", "IoU", "P", "R", "𝓜")
ROWS = ("this image", "total", "small", "medium", "large")
#: What each column is (its header's tooltip): the units are not in the narrow headers.
HEADER_TIPS = {
    "n": "Labelled images scored (all-ignore labels left out)",
    "F_β": "F_β with β² = 0.3 (precision weighted), %, the mean over images (fosp eval's F_beta)",
    "IoU": "Intersection over union of the smoke class, %, the mean over images (fosp eval's mIoU)",
    "P": "Precision: predicted smoke pixels that are labelled smoke, %, the mean over images",
    "R": "Recall: labelled smoke pixels predicted, %, the mean over images",
    "𝓜": "𝓜: mean squared error between the probability (0-1) and the label (0/1), "
         "the mean over images; lower is better (fosp eval's M)",
}
#: Decimals of 𝓜: small plumes score a few thousandths (2 decimals read 0.00 for all of them).
M_DECIMALS = 3


def _fmt(value: float, percent: bool = True) -> str:
    """A score as its cell shows it: a percentage to 1 decimal, but "100" for 100 % (and what rounds
    to it): "100.0" is wider than its column at the Model dock's width and read "10…"; 𝓜 to
    :data:`M_DECIMALS`; "–" for NaN."""
    if math.isnan(value):
        return "–"
    if not percent:
        return f"{value:.{M_DECIMALS}f}"
    text = f"{value * 100:.1f}"
    return "100" if text == "100.0" else text


class MetricsBox(QWidget):
    """A small table; rows without data show dashes. Percentages, except 𝓜 (MSE); each header's
    tooltip says what its column is (:data:`HEADER_TIPS`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(len(ROWS), len(HEADERS))
        self.table.setAccessibleName("Metrics")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        for c, header in enumerate(HEADERS):
            self.table.horizontalHeaderItem(c).setToolTip(HEADER_TIPS[header])
        self.table.setVerticalHeaderLabels(list(ROWS))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setMinimumSectionSize(28)
        for column in (HEADERS.index("n"), HEADERS.index("𝓜")):  # counts and 𝓜's 0.005: as wide as they need
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        font = self.table.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        self.table.setFont(font)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the next widget, not round the cells for ever
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(HINT_STYLE)
        # as tall as the table and the (wrapped) note, never squeezed under them by the panel above
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        self.set_scores(None, {}, "")
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """A new width wraps the note on more or fewer lines: the box's height follows it."""
        super().resizeEvent(event)
        self._fit_note()

    def _fit_note(self) -> None:
        """As tall as the table and the note wrapped at the box's width now. The box's vertical policy is
        Fixed (its size hint), and the hint wraps the note at the hint's width (~480 px): in the Model
        dock (~280 px) a long note wrapped on more lines was drawn over the table's last row and cut off
        below; the minimum height (which the parent's layout honours over the hint) holds the rest."""
        layout = self.layout()
        if layout is None or self.width() <= 0:
            return
        needed = layout.totalHeightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def _fit_height(self) -> None:
        """As tall as the header and the five rows, no empty band below them."""
        self.table.resizeRowsToContents()
        rows = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(header + rows + 2 * self.table.frameWidth())

    def set_scores(self, image: Scores | None, buckets: dict[str, Scores], note: str) -> None:
        """Fill the table: `image` for the current image (None = no label or no result) and
        `buckets` ("total", "small", "medium", "large") over the opened set."""
        rows = {"this image": image, **{k: buckets.get(k) for k in ROWS[1:]}}
        for name in ROWS:
            self._fill_row(name, rows[name])
        if note != self.note.text():
            self.note.setText(note)
            self._fit_note()

    def set_image_scores(self, image: Scores | None) -> None:
        """Fill only the "this image" row (None: dashes), the others and the note as they are."""
        self._fill_row("this image", image)

    def _fill_row(self, name: str, s: Scores | None) -> None:
        r = ROWS.index(name)
        values = ["–"] * len(HEADERS) if s is None or s.n == 0 else [
            str(s.n), _fmt(s.f_beta), _fmt(s.iou), _fmt(s.precision), _fmt(s.recall), _fmt(s.m, False)]
        for c, text in enumerate(values):
            item = self.table.item(r, c)
            if item is None:
                self.table.setItem(r, c, QTableWidgetItem(text))
            else:
                item.setText(text)

    def value(self, row: str, column: str) -> str:
        """The text shown at (`row`, `column`) (tests)."""
        item = self.table.item(ROWS.index(row), HEADERS.index(column))
        return "" if item is None else item.text()
