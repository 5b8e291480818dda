"""The colour key under a scalar panel of the compare grid (:mod:`app.analysis.compare_grid`): the
map's name, then its colour bar between the values its ends stand for, as the layer list's legend
writes them (:func:`app.analysis.legend.scale_ends`): "Focus Map 0 ▮▮▮▮ 1", and a mark on the bar where
the value of the pixel pointed at in the grid lies (:meth:`GridKey.set_mark`). Painted by hand (a
QGraphicsWidget), so an exported grid carries it at the export's own resolution."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneResizeEvent,
    QSizePolicy,
    QStyleOptionGraphicsItem,
    QWidget,
)

__all__ = ["GridKey"]

_TEXT = QColor("#d6d6d6")  # the titles' grey
_FRAME = QColor(150, 150, 150)  # the legend's frame around its colour keys (app.analysis.legend)
_BAR_MAX = 140.0  # the widest a bar grows, pixels
_BAR_MIN = 24.0  # the narrowest: the name is cut (…) first
_BAR_HEIGHT = 8.0
_GAP = 4.0  # between the name, the ends and the bar
_MARK = (QColor(255, 255, 255), QColor(0, 0, 0))  # the mark: a white line edged in black, seen on any colour


class GridKey(pg.GraphicsWidget):
    """One line, centred in its cell: `name`, `low`, a colour bar of `colours` (uint8 (N, 3), the low
    end first), `high`; nothing until :meth:`set_scale`. A name too long for the cell is cut with an
    ellipsis (the whole key is the tooltip)."""

    def __init__(self, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self._font = QFont()
        self._font.setPointSizeF(9.0)
        self._name = self._low = self._high = ""
        self._bar: QImage | None = None
        self._mark: float | None = None  # where on the bar (0..1) the pointed pixel's value lies
        self._lines = 0
        self._set_lines(1)
        self.setMinimumWidth(0)
        self.setPreferredWidth(60)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_scale(self, name: str, low: str, high: str, colours: np.ndarray, tip: str = "") -> None:
        """Show `name`'s colour bar of `colours` (uint8 (N, 3)) from `low` to `high`; `tip`: its
        tooltip's second line."""
        row = np.ascontiguousarray(np.asarray(colours, np.uint8)[None, :, :3])
        bar = QImage(row.data, row.shape[1], 1, 3 * row.shape[1], QImage.Format.Format_RGB888).copy()
        if (name, low, high) == (self._name, self._low, self._high) and bar == self._bar:
            return
        self._name, self._low, self._high, self._bar = name, low, high, bar
        self.setToolTip(self.text() + (f"\n{tip}" if tip else ""))
        self._fit_lines()
        self.update()

    def set_mark(self, fraction: float | None) -> None:
        """Mark the bar at `fraction` of its length (0: the low end; clipped to 0..1), where the value of the
        pixel pointed at lies; None (or NaN): no mark."""
        mark = None if fraction is None or not math.isfinite(fraction) else min(1.0, max(0.0, float(fraction)))
        if mark != self._mark:
            self._mark = mark
            self.update()

    def mark(self) -> float | None:
        """Where the bar is marked (0..1), None where it is not."""
        return self._mark

    def clear(self) -> None:
        """Show nothing."""
        self._mark = None
        if self._bar is not None:
            self._name = self._low = self._high = ""
            self._bar = None
            self.setToolTip("")
            self.update()

    def text(self) -> str:
        """What the key says, in plain text: "Focus Map 0 … 1" ("" when it shows nothing)."""
        return "" if self._bar is None else f"{self._name} {self._low} … {self._high}"

    def colours(self) -> np.ndarray | None:
        """uint8 (N, 3): the bar's colours, the low end first (None when it shows nothing)."""
        if self._bar is None:
            return None
        image = self._bar.convertToFormat(QImage.Format.Format_RGB888)
        return np.frombuffer(image.constBits(), np.uint8)[: 3 * image.width()].reshape(-1, 3).copy()

    def _set_lines(self, lines: int) -> None:
        """Make the key `lines` lines of text tall (1: all on one line; 2: the name over the bar)."""
        if lines != self._lines:
            self._lines = lines
            height = lines * QFontMetricsF(self._font).height() + 4
            self.setMinimumHeight(height)
            self.setMaximumHeight(height)
            self.setPreferredHeight(height)

    def _one_line_width(self) -> float:
        """The width the key needs on one line: its name whole beside the narrowest bar."""
        metrics = QFontMetricsF(self._font)
        return (metrics.horizontalAdvance(self._name) + metrics.horizontalAdvance(self._low)
                + metrics.horizontalAdvance(self._high) + 3 * _GAP + _BAR_MIN)

    def _fit_lines(self) -> None:
        """One line where the name fits whole beside the bar, else the name on a line of its own: cut
        to its first word it said nothing ("foreground,…" under a 143 px panel at 1024 x 640)."""
        self._set_lines(1 if self._bar is None or self.size().width() >= self._one_line_width() else 2)

    def resizeEvent(self, event: QGraphicsSceneResizeEvent) -> None:  # noqa: N802 - Qt override
        """Lay the key on one line or two for its new width (:meth:`_fit_lines`)."""
        super().resizeEvent(event)
        self._fit_lines()

    def shown_name(self) -> str:
        """The name as painted at the key's width now (cut with "…" only where even a line of its own
        is too narrow)."""
        metrics = QFontMetricsF(self._font)
        width = self.size().width()
        if self._lines == 1:
            ends = metrics.horizontalAdvance(self._low) + metrics.horizontalAdvance(self._high) + 3 * _GAP
            bar_w = min(_BAR_MAX, max(_BAR_MIN, width - ends - metrics.horizontalAdvance(self._name)))
            width -= ends + bar_w
        return metrics.elidedText(self._name, Qt.TextElideMode.ElideRight, max(0.0, width))

    def paint(self, painter: QPainter, _option: QStyleOptionGraphicsItem,  # noqa: D102 (Qt API)
              _widget: QWidget | None = None) -> None:
        if self._bar is None:
            return
        rect = self.rect()
        metrics = QFontMetricsF(self._font)
        low_w, high_w = metrics.horizontalAdvance(self._low), metrics.horizontalAdvance(self._high)
        name = self.shown_name()
        painter.save()
        painter.setFont(self._font)
        painter.setPen(_TEXT)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        if self._lines == 2:  # the name centred on a line of its own, the bar's line under it
            top, rect = rect.adjusted(0, 0, 0, -rect.height() / 2), rect.adjusted(0, rect.height() / 2, 0, 0)
            painter.drawText(top, Qt.AlignmentFlag.AlignCenter, name)
            name = ""
        ends = low_w + high_w + 3 * _GAP if name else low_w + high_w + 2 * _GAP  # [name|]low|bar|high
        name_w = metrics.horizontalAdvance(name)
        bar_w = min(_BAR_MAX, max(_BAR_MIN, rect.width() - ends - name_w))
        x = rect.left() + max(0.0, (rect.width() - (name_w + ends + bar_w)) / 2)
        for text, width in (((name, name_w),) if name else ()) + ((self._low, low_w),):
            painter.drawText(QRectF(x, rect.top(), width + 1, rect.height()), flags, text)
            x += width + _GAP
        top = rect.center().y() - _BAR_HEIGHT / 2
        painter.fillRect(QRectF(x - 1, top - 1, bar_w + 2, _BAR_HEIGHT + 2), _FRAME)
        painter.drawImage(QRectF(x, top, bar_w, _BAR_HEIGHT), self._bar)
        if self._mark is not None:
            at = x + self._mark * bar_w
            for colour, width in ((_MARK[1], 4.0), (_MARK[0], 2.0)):
                painter.setPen(QPen(colour, width))
                painter.drawLine(QPointF(at, top - 3), QPointF(at, top + _BAR_HEIGHT + 3))
            painter.setPen(_TEXT)
        x += bar_w + _GAP
        painter.drawText(QRectF(x, rect.top(), high_w + 1, rect.height()), flags, self._high)
        painter.restore()
