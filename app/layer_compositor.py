"""The canvas's image layers composed into a viewport-sized image, repainted from that cache.

Why: drawing a layer is a scaled ``drawImage`` of a full-resolution QImage (often Indexed8 through a
lookup table, converted on the fly) blended with the layer's opacity, 2-6 ms for 1920x1080 on our
CPUs. Drawn by the QGraphicsScene on every paint, four layers made each repaint 16-18 ms even when
nothing had changed.

How: every image layer is a :class:`~app.layer_item.LayerItem`; a *group* is one added to the
ViewBox with its LayerItem descendants (the annotation mask's tiles). The :class:`LayerCompositor`
keeps, at device resolution:

* the composite: the view's background, then each group in stacking order; the viewport's paint
  blits it (an unchanged canvas repaints in about a millisecond);
* per visible group, once the view has settled, a buffer: the group drawn exactly as the scene
  draws it (same transform, clip, render hints, ``ImageItem.paint``) at opacity 1.

A change reported by a LayerItem marks rows of the viewport dirty, and only those rows of the
composite are drawn again. A group with a buffer is blended 1:1 from it with its opacity, after
redrawing its own dirty rows there (a brush segment: a band of rows of the mask). A group without
a valid buffer is drawn straight into the composite, as the scene would: after a pan, zoom or
resize, and when all of it changed (the prediction mask and error map on a threshold move, a
video frame), where a buffer would only add work (clearing it, then a blend). Buffers are made
when the canvas has been still for :data:`SETTLE_MS`. So a threshold move draws two layers and
blends the others, an opacity drag only blends, a brush segment redraws a band of rows of the
mask, and a pan draws what the scene drew plus one blit.

The pixels are the ones the scene draws directly (``tests/gui/test_canvas_paint.py`` compares
grabs both ways): every layer is drawn in whole rows of the viewport (see ``_rows``), and blending a
buffer drawn at opacity 1 with opacity a is the same source-over arithmetic as drawing with
opacity a. Items other than LayerItems (brush outline, polygon preview) are drawn by the scene as
usual, above the layers; ``QGraphicsView.render`` and ``QGraphicsScene.render`` draw every item
directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import shiboken6
from PySide6.QtCore import QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QImage, QPainter, QRegion, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView

from app.layer_item import LayerItem, group_root, paint_order

__all__ = ["SETTLE_MS", "LayerCompositor"]

SETTLE_MS = 250  # still canvas for this long: make the buffers of groups drawn straight
_MARGIN = 2  # viewport pixels added around a dirty rectangle (rounding of fractional edges)


def _rects(region: QRegion) -> list[QRect]:
    return [QRect(rect) for rect in region]


def _has_content(root: LayerItem) -> bool:
    """Whether a visible group root draws anything: an image, or a visible LayerItem child (an
    empty mask's tiles are hidden)."""
    return root.image is not None or any(isinstance(child, LayerItem) and child.isVisible()
                                         for child in root.childItems())


def _transform_key(transform: QTransform) -> tuple[float, ...]:
    return (transform.m11(), transform.m12(), transform.m13(), transform.m21(), transform.m22(),
            transform.m23(), transform.m31(), transform.m32(), transform.m33())


@dataclass
class _Group:
    root: LayerItem
    buffer: QImage
    fresh: bool = False  # the buffer holds the group, except `dirty`
    dirty: QRegion = field(default_factory=QRegion)
    key: tuple[object, ...] = ()  # transform and clip the buffer was drawn with


class LayerCompositor:
    """Composes the LayerItems under `layer_parent` (the ViewBox's child group) for `view`.

    The view calls :meth:`paint` from ``drawBackground`` with :attr:`painting` set during its
    paintEvent (see module doc); :attr:`enabled` False lets the scene draw every item directly.
    """

    def __init__(self, view: QGraphicsView, layer_parent: QGraphicsItem) -> None:
        self.view = view
        self.layer_parent = layer_parent
        self.enabled = True
        self.painting = False
        self._groups: dict[int, _Group] = {}
        self._composite: QImage | None = None
        self._composite_opaque = True
        self._dirty = QRegion()  # of the composite
        self._viewport_key: tuple[object, ...] = ()
        self._stack_key: tuple[object, ...] = ()
        self._settle = QTimer(view, singleShot=True, interval=SETTLE_MS, timeout=self.make_buffers)

    # --- change reports (from LayerItems) ------------------------------------------------------
    def layer_changed(self, item: LayerItem, scene_rect: QRectF, content: bool) -> None:
        """`item`'s pixels changed within `scene_rect` (content), or only how they are shown."""
        if self._composite is None or scene_rect.isEmpty():
            return
        rect = self._viewport_rect_of(scene_rect)
        if rect.isEmpty():
            return
        self._dirty += rect
        if content:
            group = self._groups.get(id(group_root(item)))
            if group is not None and group.fresh:
                group.dirty += self._rows(rect)

    def restructured(self) -> None:
        """Items moved, were restacked, added or removed: draw every group again."""
        for group in self._groups.values():
            group.fresh = False
        self._dirty = QRegion(self._viewport_rect())

    def invalidate(self) -> None:
        """Forget every cached pixel (the next paint draws everything)."""
        self._groups.clear()
        self._composite = None

    # --- painting ------------------------------------------------------------------------------
    def paint(self, painter: QPainter) -> None:
        """Bring the composite up to date and draw it over the viewport (clipped by `painter`)."""
        self._refresh()
        assert self._composite is not None
        painter.save()
        painter.resetTransform()
        painter.setOpacity(1.0)
        if self._composite_opaque:
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        painter.drawImage(QPointF(0.0, 0.0), self._composite)
        painter.restore()

    def make_buffers(self) -> None:
        """Draw the buffer of every shown group that lacks one (the composite stays as it is)."""
        if not (shiboken6.isValid(self.view) and shiboken6.isValid(self.layer_parent)):
            return  # the settle timer fired while the window was being torn down
        viewport = self.view.viewport()
        if self._composite is None or viewport is None or viewport.size().isEmpty():
            return  # nothing shown yet, or the view was closed
        view_transform = self.view.viewportTransform()
        for root in self._roots():
            group = self._groups.get(id(root))
            if group is not None and not group.fresh and group.key == self._key(root, view_transform):
                group.dirty = QRegion(self._viewport_rect())
                self._draw_group(group, view_transform)
                group.fresh, group.dirty = True, QRegion()

    def _refresh(self) -> None:
        viewport = self.view.viewport()
        brush = self.view.backgroundBrush()
        viewport_key = (viewport.width(), viewport.height(), viewport.devicePixelRatioF(), brush.style(),
                        brush.color().rgba(), int(self.view.renderHints().value))
        if viewport_key != self._viewport_key or self._composite is None:
            self._viewport_key = viewport_key
            self._groups.clear()
            self._composite = self._new_image()
            self._composite_opaque = brush.isOpaque()
            self._dirty = QRegion(self._viewport_rect())
        view_transform = self.view.viewportTransform()
        roots = self._roots()
        stack_key = tuple((id(root), root.effectiveOpacity()) for root in roots)
        if stack_key != self._stack_key:
            self._stack_key = stack_key
            self._dirty = QRegion(self._viewport_rect())
        shown = {id(root) for root in roots}
        for gone in [key for key in self._groups if key not in shown]:
            del self._groups[gone]  # a hidden layer's buffer is dropped
        everything = self._viewport_rect()
        for root in roots:
            group = self._groups.get(id(root))
            if group is None or group.root is not root:
                group = self._groups[id(root)] = _Group(root, self._new_image())
            key = self._key(root, view_transform)
            if key != group.key:  # a new view (or a new group): drawn straight until it settles
                group.key, group.fresh = key, False
                self._dirty = QRegion(everything)
            if group.fresh and not group.dirty.isEmpty():
                area = self._rows(self._viewport_rect_of(root.scene_area()))
                if QRegion(area).subtracted(group.dirty).isEmpty():
                    group.fresh = False  # changed entirely (threshold move, video frame): drawn straight
                else:  # redrawn rows outside the reported rectangles come out as they were
                    self._draw_group(group, view_transform)
            group.dirty = QRegion()
        if not self._dirty.isEmpty():
            if not all(self._groups[id(root)].fresh for root in roots):
                dirty, self._dirty = self._dirty, QRegion()
                for rect in _rects(dirty):
                    self._dirty += self._rows(rect)  # a group drawn straight is drawn in whole rows
            self._compose(roots, view_transform)
            self._dirty = QRegion()
        if any(not group.fresh for group in self._groups.values()):
            self._settle.start()

    def _draw_group(self, group: _Group, view_transform: QTransform) -> None:
        """Redraw `group.dirty` of the group's buffer (at opacity 1)."""
        painter = QPainter(group.buffer)
        painter.setRenderHints(self.view.renderHints())
        painter.setClipRegion(group.dirty)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        for rect in _rects(group.dirty):
            painter.fillRect(rect, Qt.GlobalColor.transparent)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        self._draw_items(painter, group.root, view_transform, 1.0 / group.root.effectiveOpacity())
        painter.end()

    def _compose(self, roots: list[LayerItem], view_transform: QTransform) -> None:
        """Redraw `self._dirty` of the composite: background, then each group from its buffer or
        straight from its items."""
        assert self._composite is not None
        painter = QPainter(self._composite)
        painter.setRenderHints(self.view.renderHints())
        painter.setClipRegion(self._dirty)
        if not self._composite_opaque:
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
            for rect in _rects(self._dirty):
                painter.fillRect(rect, Qt.GlobalColor.transparent)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        painter.setWorldTransform(view_transform)
        scene_rect = view_transform.inverted()[0].mapRect(QRectF(self._dirty.boundingRect()))
        QGraphicsView.drawBackground(self.view, painter, scene_rect)
        for root in roots:
            group = self._groups[id(root)]
            if group.fresh:
                painter.resetTransform()
                painter.setOpacity(root.effectiveOpacity())
                painter.drawImage(QPointF(0.0, 0.0), group.buffer)
            else:
                painter.save()
                self._draw_items(painter, root, view_transform, 1.0)
                painter.restore()
        painter.end()

    def _draw_items(self, painter: QPainter, root: LayerItem, view_transform: QTransform, scale: float) -> None:
        """Draw `root`'s group as the scene does, each item at its opacity x `scale`."""
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

    # --- helpers -------------------------------------------------------------------------------
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
        """What the group's pixels depend on besides its items' images: its transform and clip."""
        clips = []
        for clipper in self._clippers(root):
            rect = clipper.deviceTransform(view_transform).mapRect(clipper.shape().boundingRect())
            clips.append((rect.x(), rect.y(), rect.width(), rect.height()))
        return _transform_key(root.deviceTransform(view_transform)), tuple(clips)

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
