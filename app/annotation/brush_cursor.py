"""Previews drawn over the canvas while annotating: the brush outline and polygon/lasso paths.

Both are plain QGraphicsItems added to the canvas' ViewBox, so they live in image coordinates
(pixel (x, y) covers [x, x+1) x [y, y+1)); their pens are cosmetic (1-2 screen pixels wide at any
zoom), each over a dark halo (:data:`HALO`) so that it shows over white cloud as over dark ground.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsPathItem

from app.canvas import Canvas

__all__ = ["HALO", "HALO_WIDTH", "BrushCursor", "PathPreview"]

CURSOR_Z = 50.0


def _pen(color: str | QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(QColor(color), width, style)
    pen.setCosmetic(True)
    return pen


#: The dark line under an outline (3.5 px under its 1.5): a bare ring in the eraser's white or the ignore
#: band's yellow vanished over white cloud and bright sky, the backdrop of most smoke photos.
HALO = QColor(0, 0, 0, 170)
HALO_WIDTH = 3.5


def _halo(parent: QGraphicsEllipseItem | QGraphicsPathItem, item: QGraphicsEllipseItem | QGraphicsPathItem
          ) -> QGraphicsEllipseItem | QGraphicsPathItem:
    """`item` made the dark halo drawn under `parent` (its child, stacked behind it)."""
    item.setParentItem(parent)
    item.setPen(_pen(HALO, HALO_WIDTH))
    item.setFlag(item.GraphicsItemFlag.ItemStacksBehindParent)
    item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
    return item


class BrushCursor(QGraphicsEllipseItem):
    """The outline of the brush footprint centred on the hovered pixel.

    A radius-r brush at pixel (x, y) paints the disc of pixels within r of (x, y) (a square
    2r+1 wide at most), so the outline is the circle of radius r + 0.5 around the pixel centre.
    """

    def __init__(self, canvas: Canvas) -> None:
        super().__init__()
        self.setPen(_pen("#ffffff", 1.5))
        self.setZValue(CURSOR_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.halo = _halo(self, QGraphicsEllipseItem())
        self._radius = 1
        self._center: tuple[float, float] | None = None
        canvas.view_box.addItem(self, ignoreBounds=True)
        self.hide()

    def set_radius(self, radius: int) -> None:
        self._radius = int(radius)
        self._relayout()

    def move_to(self, x: float, y: float) -> None:
        """Centre the outline on image pixel (x, y) (column, row; floats allowed)."""
        self._center = (float(x), float(y))
        self._relayout()

    def set_color(self, color: str) -> None:
        self.setPen(_pen(color, 1.5))

    def _relayout(self) -> None:
        if self._center is None:
            return
        cx, cy = self._center[0] + 0.5, self._center[1] + 0.5
        r = self._radius + 0.5
        self.setRect(QRectF(cx - r, cy - r, 2 * r, 2 * r))
        self.halo.setRect(self.rect())


class PathPreview(QGraphicsPathItem):
    """An open or closed path through image points [(x, y), ...] plus an optional rubber band to
    the cursor (polygon tool)."""

    def __init__(self, canvas: Canvas) -> None:
        super().__init__()
        self.setPen(_pen("#00e5ff", 1.5, Qt.PenStyle.DashLine))
        self.setZValue(CURSOR_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.halo = _halo(self, QGraphicsPathItem())  # solid: the dashes' gaps dark too
        canvas.view_box.addItem(self, ignoreBounds=True)
        self.hide()

    def show_points(self, points: Sequence[tuple[float, float]], cursor: tuple[float, float] | None = None,
                    closed: bool = False) -> None:
        """Draw the path through `points` (pixel centres), then to `cursor` if given."""
        path = QPainterPath()
        all_points = [*points, *([cursor] if cursor is not None else [])]
        if not all_points:
            self.hide()
            return
        path.moveTo(QPointF(all_points[0][0] + 0.5, all_points[0][1] + 0.5))
        for x, y in all_points[1:]:
            path.lineTo(QPointF(x + 0.5, y + 0.5))
        if closed:
            path.closeSubpath()
        self.setPath(path)
        self.halo.setPath(path)
        self.show()

    def clear(self) -> None:
        self.setPath(QPainterPath())
        self.halo.setPath(QPainterPath())
        self.hide()
