"""The compare grid (:class:`~app.analysis.compare_grid.CompareGrid`) drawn as one picture for its export:
rendered offscreen at a given width, whether or not the grid is shown, its panels fitted to the whole
image and the user's zoom, the columns and the keys' marks given back after."""

from __future__ import annotations

from typing import Protocol

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsScene

from app.analysis.grid_key import GridKey
from app.analysis.grid_titles import COLUMNS


class PictureGrid(Protocol):
    """What the picture reads and sets of the grid (:class:`~app.analysis.compare_grid.CompareGrid`, which
    imports this module: named by this protocol, not imported back)."""

    ci: pg.GraphicsLayout
    keys: dict[str, GridKey]
    view_boxes: list[pg.ViewBox]

    @property
    def shape(self) -> tuple[int, int] | None: ...
    def equal_columns(self, width: float) -> None: ...
    def fit(self) -> None: ...
    def scene(self) -> QGraphicsScene: ...
    def width(self) -> int: ...

__all__ = ["PANEL_ASPECT", "PictureGrid", "grid_picture"]

#: An exported panel is at most this many times as high as wide, and as wide as high: the image of
#: another aspect is letterboxed in it, as a figure tool fits an image into its axes. Uncapped, a
#: 1x4000 strip asked for an 1800 x 1 440 000 PNG, which could not be saved (and a 4000x1 one for
#: panels 0.09 px high): a figure of the strip, a pixel wide at least, is what the user asked for.
PANEL_ASPECT = 4.0
_TITLE_HEIGHT = 56  # pixels above the panels of an exported grid: two lines of 10 pt titles


def grid_picture(grid: PictureGrid, width: int) -> QImage:
    """`grid` drawn `width` pixels wide (RGB32, no alpha, as a JPEG wants), its height following the
    image's aspect within :data:`PANEL_ASPECT` either way (an image of another aspect is letterboxed),
    with no mark on its keys (the pointed pixel's are no part of a figure)."""
    h, w = grid.shape or (3, 4)
    layout = grid.ci
    layout_grid = layout.layout
    keys = max(key.preferredHeight() for key in grid.keys.values()) + layout_grid.verticalSpacing()
    aspect = min(max(h / w, 1.0 / PANEL_ASPECT), PANEL_ASPECT)
    height = int(width / len(COLUMNS) * aspect + _TITLE_HEIGHT + keys)
    old = layout.geometry()
    rect = QRectF(0, 0, width, height)
    targets = [box.targetRect() for box in grid.view_boxes]  # the user's zoom, given back after
    marks = {column: key.mark() for column, key in grid.keys.items()}  # the pointed pixel's: not in a figure
    for key in grid.keys.values():
        key.set_mark(None)
    grid.equal_columns(width)
    layout.setGeometry(rect)
    layout_grid.activate()
    grid.fit()
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#202020"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    grid.scene().render(painter, QRectF(rect), layout.mapRectToScene(rect))
    painter.end()
    grid.equal_columns(grid.width())
    layout.setGeometry(old)
    layout_grid.activate()
    for box, target in zip(grid.view_boxes, targets, strict=True):
        box.setRange(rect=target, padding=0.0)
    for column, mark in marks.items():
        grid.keys[column].set_mark(mark)
    return image
