"""The image pixel under the cursor in the compare grid (:class:`GridHover`): the five panels show the same
image, so a panel's point names a pixel of it, as the canvas's does (:meth:`app.canvas.Canvas.image_pixel_at`):
the one drawn at the centre of the screen pixel under the cursor (:mod:`app.cursor_centre`).

The grid says it with the canvas's signals, ``hovered(x, y)`` and ``left()``, passed on to the canvas's
(:meth:`GridHover.say_as`, by the analysis controller), so the status bar reads the pixel pointed at in
any panel as it reads the canvas's: x, y, RGB and the layers' values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Protocol

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Signal, SignalInstance

from app.cursor_centre import scene_centre

__all__ = ["GridHover", "HoverSource", "pixel_under"]


class HoverSource(Protocol):
    """What says the pixel under the cursor (:class:`app.canvas.Canvas`): its two signals."""

    @property
    def hovered(self) -> SignalInstance: ...

    @property
    def left(self) -> SignalInstance: ...


def pixel_under(boxes: Sequence[pg.ViewBox], shape: tuple[int, int] | None, scene_pos: QPointF) -> tuple[int, int] | None:
    """The pixel (x, y) of an image of `shape` (height, width) under `scene_pos` in whichever of the
    panels `boxes` holds it; None between the panels, beside the image in one, or without an image."""
    if shape is None:
        return None
    height, width = shape
    for box in boxes:
        if box.sceneBoundingRect().contains(scene_pos):
            point = box.mapSceneToView(scene_pos)
            x, y = math.floor(point.x()), math.floor(point.y())
            return (x, y) if 0 <= x < width and 0 <= y < height else None
    return None


class GridHover(QObject):
    """hovered(x, y): the cursor is over image pixel (x, y) in a panel of `view` (a GraphicsView whose
    panels are `boxes`); left(): it is off the image (between the panels, beside the image) or off the
    grid. `shape` gives the image's (height, width), None while the grid shows none."""

    hovered = Signal(int, int)
    left = Signal()

    def __init__(self, view: pg.GraphicsView, boxes: Sequence[pg.ViewBox],
                 shape: Callable[[], tuple[int, int] | None]) -> None:
        super().__init__(view)
        self._boxes = boxes
        self._shape = shape
        self._view = view
        self._over: tuple[int, int] | None = None  # the pixel last said (None: left() said last)
        view.scene().sigMouseMoved.connect(self._moved)
        view.viewport().installEventFilter(self)

    @property
    def pixel(self) -> tuple[int, int] | None:
        """The image pixel under the cursor as last said (None: off the image or the grid)."""
        return self._over

    def say_as(self, canvas: HoverSource) -> None:
        """Pass hovered() and left() on to `canvas`'s signals of those names: whatever reads the canvas's
        pixel under the cursor (the status bar's x, y and RGB, the layers' values) reads the grid's."""
        self.hovered.connect(canvas.hovered)
        self.left.connect(canvas.left)

    def _moved(self, scene_pos: QPointF) -> None:
        pixel = pixel_under(self._boxes, self._shape(), scene_centre(self._view, scene_pos))
        if pixel is None:
            self._leave()
        else:
            self._over = pixel
            self.hovered.emit(*pixel)

    def _leave(self) -> None:
        """left(), once per stay off the image (moves between the panels would clear the status bar's
        readouts over and over, and those of the canvas's pixel if the cursor never came here)."""
        if self._over is not None:
            self._over = None
            self.left.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """The cursor left the grid: off the image."""
        if event.type() == QEvent.Type.Leave:
            self._leave()
        return super().eventFilter(watched, event)
