"""An image thinner than a device pixel still covers one, as image viewers draw it (napari, ImageJ).

A 1 x 4000 strip at zoom to fit (20 %) is 0.2 device pixels wide: Qt's raster engine fills a pixel
only where the target rectangle covers its centre, so the strip showed or vanished by where it fell
(nothing at all at the canvas's fit). :func:`at_least_a_pixel` makes such a side exactly one device
pixel, on the pixel holding its centre; a side a pixel or more across is drawn as it was, to the
sub-pixel (pixel-accurate drawing at ordinary sizes is unchanged).

A thumbnail gets the same (:func:`thumbnail_at_least_a_pixel`): the image list draws one made for a
screen of device pixel ratio 2 at half its size, so a 1 x 20000 strip's 256 x 1 thumbnail was 0.5
pixels high there, and nothing was drawn.

The canvas's layers (:class:`SliverLayerItem`) also keep their downsample factors within the image
(:func:`capped_factors`): at 20 % an ``autoDownsample`` layer asked for 5 columns per screen pixel of
a 1-column image, whose block means are an empty picture.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QTransform

from app.layer_item import LayerItem

__all__ = ["SliverImageItem", "SliverLayerItem", "at_least_a_pixel", "capped_factors", "sliver_index",
           "thumbnail_at_least_a_pixel", "widened"]


def widened(transform: QTransform, width: float, height: float) -> QTransform | None:
    """`transform` (item to device) changed so that the rectangle (0, 0, `width`, `height`) covers at
    least one whole device pixel each way: a side under one pixel maps onto the one pixel that holds
    its centre. None when no side is under a pixel (or the transform rotates or shears: not ours)."""
    if transform.m12() != 0 or transform.m21() != 0 or transform.m13() != 0 or transform.m23() != 0 or width <= 0 or height <= 0:
        return None
    sx, dx, sy, dy = transform.m11(), transform.dx(), transform.m22(), transform.dy()
    thin_x, thin_y = abs(sx * width) < 1.0, abs(sy * height) < 1.0
    if not (thin_x or thin_y):
        return None
    if thin_x:
        start = math.floor(dx + sx * width / 2)  # the pixel of the centre
        sx, dx = 1.0 / width, float(start)
    if thin_y:
        start = math.floor(dy + sy * height / 2)
        sy, dy = 1.0 / height, float(start)
    return QTransform(sx, 0.0, 0.0, 0.0, sy, 0.0, dx, dy, 1.0)


def at_least_a_pixel(painter: QPainter, width: float, height: float) -> bool:
    """Set `painter`'s transform to :func:`widened` when the rectangle (0, 0, `width`, `height`) is
    under a device pixel wide or high; returns whether it did (the caller restores the painter)."""
    changed = widened(painter.transform(), width, height)
    if changed is None:
        return False
    painter.setTransform(changed)
    return True


def thumbnail_at_least_a_pixel(image: QImage, scale: float) -> QImage:
    """`image`, a thumbnail made for device pixel ratio `scale`, with a side under ``ceil(scale)``
    pixels stretched to that many by repeating its pixels: drawn at 1 / `scale` of its size, the
    side is at least a logical pixel across, which Qt draws (under one it draws nothing). Returned
    as it is when no side is that thin."""
    least = math.ceil(max(scale, 1.0))
    width, height = max(image.width(), least), max(image.height(), least)
    if image.isNull() or (width, height) == (image.width(), image.height()):
        return image
    return image.scaled(width, height, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.FastTransformation)


class SliverImageItem(pg.ImageItem):
    """A pyqtgraph ImageItem whose image covers at least one device pixel each way (module doc)."""

    def paint(self, painter: QPainter, *args: object) -> None:  # noqa: D102 (Qt API)
        if self.image is None:
            return
        with widened_for(painter, self):
            super().paint(painter, *args)


def sliver_index(at: float, start: float, extent: float, index: int, size: int) -> int:
    """The image's index along one axis under device coordinate `at`, for an image of `size` pixels
    spanning `extent` device pixels from `start`: `index` (the plain mapping), except on the pixel
    drawn for a side under a pixel across (:func:`widened`), which names the image's nearest pixel (the
    cursor on the line the user sees is on the image)."""
    if abs(extent) >= 1.0 or math.floor(at) != math.floor(start + extent / 2):
        return index
    return min(max(index, 0), size - 1)


def capped_factors(factors: tuple[int, int], shape: tuple[int, ...]) -> tuple[int, int]:
    """Downsample `factors` (xds, yds) no larger than an image of `shape` (H, W, ...): its picture
    keeps a column and a row at least (then drawn a pixel across: :func:`at_least_a_pixel`)."""
    return min(factors[0], max(1, int(shape[1]))), min(factors[1], max(1, int(shape[0])))


@contextmanager
def widened_for(painter: QPainter, item: pg.ImageItem) -> Iterator[None]:
    """Draw `item`'s image within this block at least a device pixel each way
    (:func:`at_least_a_pixel`; nothing changed without an image), the painter restored after."""
    if item.image is None:
        yield
        return
    painter.save()
    try:
        at_least_a_pixel(painter, *_image_size(item))
        yield
    finally:
        painter.restore()


def _image_size(item: pg.ImageItem) -> tuple[float, float]:
    """(width, height) of `item`'s image in item coordinates."""
    shape = item.image.shape[:2] if item.axisOrder == "row-major" else item.image.shape[1::-1]
    return float(shape[1]), float(shape[0])


class SliverLayerItem(LayerItem):
    """The canvas's :class:`~app.layer_item.LayerItem`, its image at least a device pixel each way
    whether composited (:meth:`draw`) or drawn directly (:meth:`paint`), its downsample factors within
    the image (module doc)."""

    def _computeDownsampleFactors(self) -> tuple[int, int]:  # noqa: N802 (pyqtgraph API)
        factors = super()._computeDownsampleFactors()
        return factors if self.image is None else capped_factors(factors, self.image.shape)

    def draw(self, painter: QPainter) -> None:  # noqa: D102 (LayerItem API)
        with widened_for(painter, self):
            super().draw(painter)

    def paint(self, painter: QPainter, *args: object) -> None:  # noqa: D102 (Qt API)
        with widened_for(painter, self):
            super().paint(painter, *args)
