"""How the canvas's compositor (:mod:`app.layer_compositor`) draws its layers: each group as the
QGraphicsScene draws it (same transforms, ancestors' clip, render hints, ``ImageItem.paint``), in
whole rows of the viewport, and which groups there are to draw."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView

from app.layer_item import LayerItem, paint_order

__all__ = ["KEY_STEPS", "LAYER_EXTENT", "LayerPainter"]

_MARGIN = 2  # viewport pixels added around a dirty rectangle (rounding of fractional edges)


def _has_content(root: LayerItem) -> bool:
    """Whether a visible group root draws anything: an image, or a visible LayerItem child (an
    empty mask's tiles are hidden)."""
    return root.image is not None or any(isinstance(child, LayerItem) and child.isVisible()
                                         for child in root.childItems())


#: How finely the compositor tells the views of a group apart: in 1/KEY_STEPS of a device pixel. A view
#: that puts each corner of the group within that of where a kept picture of it was drawn shows that
#: picture (float noise: a pan there and back left 5e-17 in the scale, and every layer was drawn again).
KEY_STEPS = 64
#: Where a group's items lie, in their coordinates (image pixels): any image, 2^20 pixels each way of its
#: origin. Not the group's own bounds: a mask's tiles take the size of what they hold, so a stroke into an
#: empty tile changed them and drew the whole group again.
LAYER_EXTENT = QRectF(-2.0**20, -2.0**20, 2.0**21, 2.0**21)


def _transform_key(transform: QTransform, extent: QRectF, dpr: float = 1.0) -> tuple[object, ...]:
    """What a group's pixels depend on of `transform` (its items' coordinates -> logical viewport
    pixels; `dpr` device pixels a logical one): where it puts the corners of `extent` (where the
    group's items lie: :data:`LAYER_EXTENT`), in 1/:data:`KEY_STEPS` of a device pixel. Two affine
    transforms with the same key place every point of `extent` less than that apart (a corner is the
    farthest a difference of affine maps reaches over a rectangle): a scale change that moves the far
    side of a 4000-pixel image by a tenth of a pixel is another key, float noise is not (near a step's
    edge it may be: a picture drawn again, never a wrong one reused). A perspective transform: exact."""
    if transform.type() == QTransform.TransformationType.TxProject:
        return ("exact", transform.m11(), transform.m12(), transform.m13(), transform.m21(), transform.m22(),
                transform.m23(), transform.m31(), transform.m32(), transform.m33())
    rect = extent if extent.isValid() and not extent.isEmpty() else QRectF(0.0, 0.0, 1.0, 1.0)
    step = KEY_STEPS * dpr
    corners = (rect.topLeft(), rect.topRight(), rect.bottomLeft(), rect.bottomRight())
    return tuple(round(v * step) for corner in corners for point in (transform.map(corner),)
                 for v in (point.x(), point.y()))


class LayerPainter:
    """Draws the LayerItem groups under `layer_parent` (the ViewBox's child group) as `view` would."""

    def __init__(self, view: QGraphicsView, layer_parent: QGraphicsItem) -> None:
        self.view = view
        self.layer_parent = layer_parent

    def _background(self, view_transform: QTransform) -> Callable[[QPainter], None]:
        def paint(painter: QPainter) -> None:
            painter.setWorldTransform(view_transform)
            scene_rect = view_transform.inverted()[0].mapRect(QRectF(self._viewport_rect()))
            QGraphicsView.drawBackground(self.view, painter, scene_rect)

        return paint

    def _layer_transform(self, view_transform: QTransform) -> QTransform:
        """From the layers' parent (the ViewBox's child group: image coordinates) to the viewport:
        what a zoom changes (the scene's own transform stays)."""
        return self.layer_parent.deviceTransform(view_transform)

    def _draw_items(self, painter: QPainter, root: LayerItem, view_transform: QTransform, scale: float,
                    clip: bool = True) -> None:
        """Draw `root`'s group as the scene does, each item at its opacity x `scale` (clipped by
        its ancestors unless `clip` is False)."""
        if clip:
            self._clip_to_ancestors(painter, root, view_transform)
        for item in paint_order(root):
            if not isinstance(item, LayerItem) or not item.isVisible():
                continue
            opacity = item.effectiveOpacity() * scale
            if opacity <= 0.0:
                continue
            painter.setWorldTransform(item.deviceTransform(view_transform))
            painter.setOpacity(min(1.0, opacity))
            item.draw(painter)

    def _roots(self) -> list[LayerItem]:
        """The groups to draw, bottom first."""
        return [item for item in self.layer_parent.childItems() if isinstance(item, LayerItem)
                and item.isVisible() and item.effectiveOpacity() > 0.0 and _has_content(item)]

    def _clippers(self, root: QGraphicsItem) -> list[QGraphicsItem]:
        """`root`'s ancestors that clip their children, outermost first."""
        chain = []
        ancestor = root.parentItem()
        while ancestor is not None:
            if ancestor.flags() & QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape:
                chain.append(ancestor)
            ancestor = ancestor.parentItem()
        return chain[::-1]

    def _clip_to_ancestors(self, painter: QPainter, root: QGraphicsItem, view_transform: QTransform) -> None:
        for clipper in self._clippers(root):
            painter.setWorldTransform(clipper.deviceTransform(view_transform))
            painter.setClipPath(clipper.shape(), Qt.ClipOperation.IntersectClip)

    def _key(self, root: LayerItem, view_transform: QTransform) -> tuple[object, ...]:
        """What the group's pixels depend on besides its items' images: its transform and clip, told
        apart to 1/:data:`KEY_STEPS` of a device pixel (:func:`_transform_key`)."""
        step = KEY_STEPS * self.view.viewport().devicePixelRatioF()
        clips = []
        for clipper in self._clippers(root):
            rect = clipper.deviceTransform(view_transform).mapRect(clipper.shape().boundingRect())
            clips.append(tuple(round(v * step)
                               for v in (rect.left(), rect.top(), rect.right(), rect.bottom())))
        return _transform_key(root.deviceTransform(view_transform), LAYER_EXTENT, step / KEY_STEPS), tuple(clips)

    def _new_image(self) -> QImage:
        viewport = self.view.viewport()
        dpr = viewport.devicePixelRatioF()
        image = QImage(max(1, round(viewport.width() * dpr)), max(1, round(viewport.height() * dpr)),
                       QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(dpr)
        image.fill(Qt.GlobalColor.transparent)
        return image

    def _viewport_rect(self) -> QRect:
        return self.view.viewport().rect()

    def _viewport_rect_of(self, scene_rect: QRectF) -> QRect:
        """The viewport pixels `scene_rect` touches (plus a margin)."""
        rect = self.view.mapFromScene(scene_rect).boundingRect()
        return rect.adjusted(-_MARGIN, -_MARGIN, _MARGIN, _MARGIN) & self._viewport_rect()

    def _rows(self, rect: QRect) -> QRect:
        """The whole viewport rows of `rect`: what a layer is drawn in.

        Whole rows, never a narrower rectangle: Qt samples a scaled image along each row from where
        the row's span starts (the clip's or the image's edge) in 16.16 fixed point, so a span
        starting elsewhere can pick the neighbouring source pixel near a pixel boundary (seen at 150 %
        screen scaling). Spans that start where a full repaint's start give the same pixels; rows
        are sampled independently of each other. (Blending a buffer 1:1 samples nothing: the
        composite is redrawn in the reported rectangles only.)"""
        viewport = self._viewport_rect()
        return QRect(viewport.left(), rect.top(), viewport.width(), rect.height()) & viewport
