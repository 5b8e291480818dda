"""Where a mouse position is read: the centre of the screen pixel under the cursor.

A mouse position is a screen pixel's top-left corner; that pixel is drawn from the image at its centre
(Qt samples a scaled image at the centres of the device pixels). Below 1:1 a screen pixel spans several
image pixels and above a non-whole zoom it can straddle two: read at the corner, the status bar named
another pixel than the one drawn under the cursor, and the brush painted there. The canvas
(:meth:`app.canvas.Canvas.image_pixel_at`), the annotation tools' input
(:meth:`app.annotation.canvas_input.CanvasInput.image_point`: the brush outline and what a stroke
paints) and the compare grid's hover (:mod:`app.analysis.compare_hover`) read every position here, so
the readout, the brush and the picture name one pixel.

A position on the device-pixel grid (a mouse's, in logical pixels: whole, or whole device pixels on a
HiDPI screen) is moved half a device pixel right and down; any other point (a HiDPI screen's
fractional position, a scene point computed by a caller) is read where it is.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QGraphicsView

__all__ = ["pixel_centre", "scene_centre"]

_ON_GRID = 1e-6  # device pixels: a position this close to the grid is on it (transform round trips)


def _centred(v: float, dpr: float) -> float:
    device = v * dpr
    return (round(device) + 0.5) / dpr if abs(device - round(device)) <= _ON_GRID else v


def pixel_centre(pos: QPointF, dpr: float = 1.0) -> QPointF:
    """Viewport position `pos` (logical pixels; `dpr` device pixels a logical one) as read: the centre of
    the device pixel whose corner it is, or `pos` itself off the grid (module doc)."""
    dpr = dpr if dpr > 0 else 1.0
    return QPointF(_centred(pos.x(), dpr), _centred(pos.y(), dpr))


def scene_centre(view: QGraphicsView, scene_pos: QPointF) -> QPointF:
    """`scene_pos` of `view`'s scene (a mouse position mapped there) as read: :func:`pixel_centre` of
    its viewport position, mapped back to the scene."""
    to_viewport = view.viewportTransform()
    pos = to_viewport.map(scene_pos)
    centre = pixel_centre(pos, view.viewport().devicePixelRatioF())
    if centre == pos:
        return scene_pos
    return to_viewport.inverted()[0].map(centre)
