"""Zoom steps of the canvas drawn from what is already on screen, the layers drawn once it stops.

Why: a zoom step changes the view of every layer, so the compositor (:mod:`app.layer_compositor`)
had to draw each of them again: at 12 megapixels with every analysis layer shown, 14 scaled
``drawImage`` calls of 3-11 ms each, over 100 ms a step (``bench/bench_zoom.py``).

How: the last composite drawn exactly (:attr:`ZoomPreview.source`, with the view transform it was
drawn at) is drawn scaled into a frame for the new view: one ``drawImage``. Where it does not reach
(zooming out from a close-up) the *overview* shows: a copy of a composite that showed the whole
image, or the layers drawn once to fit the viewport, made while the canvas is still. The compositor
draws the layers exactly once no zoom step came for :data:`~app.layer_compositor.REFINE_MS`: a
preview is nearest-neighbour scaled from a composite of the same layers (pixelated, a few pixels
off), and never what the canvas settles on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QTransform

__all__ = ["ZoomPreview", "fit_transform", "is_zoom"]


def is_zoom(old: QTransform, new: QTransform) -> bool:
    """Whether `new` shows the scene at another scale than `old` (a pan alone is no zoom)."""
    return abs(old.m11() - new.m11()) > 1e-9 * abs(old.m11()) or abs(old.m22() - new.m22()) > 1e-9 * abs(old.m22())


def fit_transform(scene_rect: QRectF, width: float, height: float) -> QTransform:
    """The transform that shows `scene_rect` whole and centred in a `width` x `height` image."""
    scale = min(width / max(scene_rect.width(), 1e-9), height / max(scene_rect.height(), 1e-9))
    transform = QTransform()
    transform.translate(width / 2, height / 2)
    transform.scale(scale, scale)
    transform.translate(-scene_rect.center().x(), -scene_rect.center().y())
    return transform


class ZoomPreview:
    """The images a zoom preview is drawn from, and the frame it is drawn into (see module doc).

    Transforms map the layers' coordinates (the ViewBox's child group: image pixels) to the logical
    coordinates of the image they belong to (the viewport's, for the source and frames)."""

    def __init__(self) -> None:
        self.source: QImage | None = None
        self.source_transform = QTransform()
        self.overview: QImage | None = None
        self.overview_transform = QTransform()
        self.frame_transform: QTransform | None = None  # of the preview shown, None when none is
        self._spare: QImage | None = None

    def forget(self) -> None:
        """Drop every image (the viewport changed, or the layers' cache was thrown away)."""
        self.source = self.overview = self._spare = None
        self.frame_transform = None

    def set_source(self, composite: QImage, transform: QTransform) -> None:
        """`composite` shows the layers exactly at `transform` (it may be the last frame drawn)."""
        if self.source is not None and self.source is not composite:
            self._spare = self.source
        self.source, self.source_transform = composite, QTransform(transform)
        self.frame_transform = None

    def set_overview(self, image: QImage, transform: QTransform) -> None:
        self.overview, self.overview_transform = image, QTransform(transform)

    def covers(self, transform: QTransform, viewport: QRectF) -> bool:
        """Whether the source, shown at `transform`, fills `viewport`."""
        inverse, _ = self.source_transform.inverted()
        return (inverse * transform).mapRect(viewport).contains(viewport)

    def frame(self, like: QImage, transform: QTransform, background: Callable[[QPainter], None]) -> QImage:
        """A frame (an image the size of `like`, never the source) showing the view at `transform`:
        what `background` paints over a transparent image, then the overview where the source does
        not reach, then the source, scaled."""
        assert self.source is not None
        frame = self._spare
        if frame is None or frame.size() != like.size() or frame.devicePixelRatio() != like.devicePixelRatio():
            frame = QImage(like.size(), QImage.Format.Format_ARGB32_Premultiplied)
            frame.setDevicePixelRatio(like.devicePixelRatio())
        self._spare = frame
        painter = QPainter(frame)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        painter.fillRect(frame.rect(), Qt.GlobalColor.transparent)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        painter.save()
        background(painter)
        painter.restore()
        viewport = QRectF(0.0, 0.0, frame.width() / frame.devicePixelRatio(), frame.height() / frame.devicePixelRatio())
        if self.overview is not None and not self.covers(transform, viewport):
            inverse, _ = self.overview_transform.inverted()
            painter.setWorldTransform(inverse * transform)
            painter.drawImage(QPointF(0.0, 0.0), self.overview)
        inverse, _ = self.source_transform.inverted()
        painter.setWorldTransform(inverse * transform)
        painter.drawImage(QPointF(0.0, 0.0), self.source)
        painter.end()
        self.frame_transform = QTransform(transform)
        return frame
