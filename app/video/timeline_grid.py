"""The timeline plot's grid: thin lines at the axes' ticks, drawn by one light item inside the plot.

pyqtgraph draws a grid (``PlotItem.showGrid``) by stretching every tick line of each AxisItem across
the whole plot: the axis then covers the plot, so any change inside it (the playhead moving, once per
frame during playback) repaints both axes, and replaying their pictures with the long translucent lines
cost 30-40 ms a paint on the 2-core machine (offscreen raster), against 1-2 ms without the grid (see
docs/benchmarks-gui.md, "The timeline's first paint"). :class:`TimelineGrid` draws the same lines (the
axes' own tick values, major and minor) with a cosmetic pen, clipped to what is repainted, and leaves
the axes their ticks and labels only.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

__all__ = ["ShareAxis", "TimelineGrid"]

#: Line alpha of the major ticks' lines and of the others' (0-255), about pyqtgraph's grid at 0.15.
MAJOR_ALPHA = 40
MINOR_ALPHA = 20
#: Tick levels whose lines would be closer than this are not drawn (pyqtgraph fades them out).
MIN_SPACING_PX = 8


class ShareAxis(pg.AxisItem):
    """The plot's left axis: its curves are shares (0..1), labelled at 0, 0.5 and 1 with lines at the
    quarters between, whatever the plot's height. pyqtgraph's own ticks (0, 0.2, ... 1.0) needed a taller
    plot for their six labels: at 125 % display scale on a 1366 x 768 screen the plot's height was what kept
    the Video panel's main buttons out of view (tests/gui/test_video_layout_s36_125_percent.py)."""

    def __init__(self) -> None:
        super().__init__(orientation="left")

    def tickValues(self, minVal: float, maxVal: float,  # noqa: N802, N803 - pyqtgraph's names
                   size: float) -> list[tuple[float, list[float]]]:
        """(spacing, values) of the major ticks (labelled) and of the minor ones within minVal..maxVal."""
        low, high = min(minVal, maxVal), max(minVal, maxVal)
        return [(spacing, [v for v in values if low <= v <= high])
                for spacing, values in ((0.5, [0.0, 0.5, 1.0]), (0.25, [0.25, 0.75]))]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802 - pyqtgraph's
        """"0", "0.5", "1"; the quarters' ticks unlabelled (pyqtgraph labels them where a tall plot has room)."""
        return [f"{value * scale:g}" if spacing >= 0.5 else "" for value in values]


class TimelineGrid(pg.GraphicsObject):
    """Grid lines of `plot` at its bottom and left axes' tick values (add it with ``plot.addItem``)."""

    def __init__(self, plot: pg.PlotItem, color: str = "#bbbbbb") -> None:
        super().__init__()
        self._plot = plot
        self._pens: list[QPen] = []
        self.set_color(color)
        self.setZValue(-100)  # under the curves and marks
        self._rect = QRectF()
        plot.vb.sigRangeChanged.connect(self._range_changed)
        self._range_changed()

    def set_color(self, color: str) -> None:
        """Draw the lines in `color` (faint: major and minor lines at their alphas)."""
        self._pens = []
        for alpha in (MAJOR_ALPHA, MINOR_ALPHA):
            c = QColor(color)
            c.setAlpha(alpha)
            pen = QPen(c)
            pen.setCosmetic(True)
            pen.setWidth(1)
            self._pens.append(pen)
        self.update()

    def _range_changed(self, *_args: object) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF(self._plot.vb.viewRect())
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        return QRectF(self._rect)

    def lines(self) -> list[tuple[int, QLineF]]:
        """(level: 0 major, 1 minor; line in view coordinates) of every grid line: the axes' first two tick
        levels, each where its lines are at least MIN_SPACING_PX apart."""
        rect = self._rect
        if rect.isEmpty():
            return []
        out: list[tuple[int, QLineF]] = []
        vb = self._plot.vb
        width, height = max(1.0, vb.width()), max(1.0, vb.height())
        bottom, left = self._plot.getAxis("bottom"), self._plot.getAxis("left")
        for level, (spacing, values) in enumerate(bottom.tickValues(rect.left(), rect.right(), width)):
            if level < 2 and spacing * width / rect.width() >= MIN_SPACING_PX:
                out += [(level, QLineF(x, rect.top(), x, rect.bottom())) for x in values]
        for level, (spacing, values) in enumerate(left.tickValues(rect.top(), rect.bottom(), height)):
            if level < 2 and spacing * height / rect.height() >= MIN_SPACING_PX:
                out += [(level, QLineF(rect.left(), y, rect.right(), y)) for y in values]
        return out

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,  # noqa: D102
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        lines = self.lines()
        for level, pen in enumerate(self._pens):
            painter.setPen(pen)
            painter.drawLines([line for at, line in lines if at == level])
