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
a valid buffer is drawn straight into the composite, as the scene would: after a view change or
resize, and when all of it changed (the prediction mask and error map on a threshold move, a
video frame), where a buffer would only add work (clearing it, then a blend). Buffers are made
when the canvas has been still for :data:`SETTLE_MS`, one group per event-loop turn, the rest
dropped if the view moves meanwhile (:mod:`app.layer_settle`). So a threshold move draws two layers and
blends the others, an opacity drag only blends, a brush segment redraws a band of rows of the
mask, and a pan step with nothing else changed shifts the composite and draws the strips it
exposes (:mod:`app.layer_pan`; :attr:`LayerCompositor.fast_pan` False: everything, as before).

The pixels are the ones the scene draws directly (``tests/gui/test_canvas_paint.py`` compares
grabs both ways): every layer is drawn in whole rows of the viewport (see ``_rows``), and blending a
buffer drawn at opacity 1 with opacity a is the same source-over arithmetic as drawing with
opacity a.

A zoom step with nothing else changed shows a *preview* (:mod:`app.zoom_preview`): the last exact
composite scaled, one ``drawImage`` however many layers are shown (4000x3000 with every analysis
layer: 5-9 ms a step where drawing them took 110-190, ``bench/bench_zoom.py``). Once no step came
for :data:`REFINE_MS` the groups' buffers are drawn at the new view, one group per event-loop turn
(a step meanwhile cancels the rest), and the composite is blended from them: the canvas settles on
exact pixels without one long freeze. Any other change during a preview draws everything at once.
(:attr:`LayerCompositor.fast_zoom` False: every step is drawn, as before.)

Items other than LayerItems (brush outline, polygon preview) are drawn by the scene as usual, above
the layers; ``QGraphicsView.render`` and ``QGraphicsScene.render`` draw every item directly.
"""

from __future__ import annotations

import functools
import math

import shiboken6
from PySide6.QtCore import QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QImage, QPainter, QRegion, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView

from app.layer_item import LayerItem, group_root
from app.layer_painter import LayerPainter
from app.layer_pan import PanPainter
from app.layer_settle import Settler
from app.layer_settle_side import SettleSide, _Group
from app.zoom_preview import ZoomPreview, is_zoom

__all__ = ["REFINE_MS", "SETTLE_MS", "LayerCompositor"]

SETTLE_MS = 250  # still canvas for this long: make the buffers of groups drawn straight
REFINE_MS = 120  # no zoom step for this long: draw the layers of a previewed zoom exactly


def _rects(region: QRegion) -> list[QRect]:
    return [QRect(rect) for rect in region]


class LayerCompositor(SettleSide):
    """Composes the LayerItems under `layer_parent` (the ViewBox's child group) for `view`.

    The view calls :meth:`paint` from ``drawBackground`` with :attr:`painting` set during its
    paintEvent (see module doc); :attr:`enabled` False lets the scene draw every item directly.
    """

    def __init__(self, view: QGraphicsView, layer_parent: QGraphicsItem) -> None:
        super().__init__(view, layer_parent)
        self.enabled = True
        self.painting = False
        self._groups: dict[int, _Group] = {}
        self._composite: QImage | None = None
        self._composite_opaque = True
        self._dirty = QRegion()  # of the composite
        self._viewport_key: tuple[object, ...] = ()
        self._stack_key: tuple[object, ...] = ()
        self._settle = QTimer(view, singleShot=True, interval=SETTLE_MS, timeout=self.make_buffers)
        self.fast_zoom = True
        self._preview = ZoomPreview()
        self._force_exact = False
        self._refine = QTimer(view, singleShot=True, interval=REFINE_MS, timeout=self.refine)
        self._overview_generation = 0  # counts the overview's invalidations
        self.settler = Settler(self)
        self.fast_pan = True
        self._pan = PanPainter(self)

    @property
    def previewing(self) -> bool:
        """Whether the composite is a zoom preview (drawn exactly :data:`REFINE_MS` after the last
        zoom step)."""
        return self._preview.frame_transform is not None

    # --- change reports (from LayerItems) ------------------------------------------------------
    def layer_changed(self, item: LayerItem, scene_rect: QRectF, content: bool) -> None:
        """`item`'s pixels changed within `scene_rect` (content), or only how they are shown."""
        self._drop_overview()
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
        self._drop_overview()
        for group in self._groups.values():
            group.fresh = False
        self._dirty = QRegion(self._viewport_rect())

    def invalidate(self) -> None:
        """Forget every cached pixel (the next paint draws everything)."""
        self._groups.clear()
        self._composite = None
        self._preview.forget()
        self._pan.forget()
        self._drop_overview()

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

    def refine(self) -> None:
        """Draw a previewed zoom exactly: the buffer of each shown group, one per event-loop turn (a
        zoom step meanwhile cancels the rest), then the composite from them at the next paint."""
        if not self.alive() or not self.previewing:
            return
        self.settler.queue([functools.partial(self._refine_group, root) for root in self._roots()] + [self._show_exact])

    # The pan painter's view of the compositor: app.layer_pan.PanHost (documented there).
    clippers = LayerPainter._clippers
    layer_transform = LayerPainter._layer_transform

    def _refine_group(self, root: LayerItem) -> None:
        if not self.previewing or not shiboken6.isValid(root) or not root.isVisible():
            return
        view_transform = self.view.viewportTransform()
        group = self._group_of(root)
        key = self._key(root, view_transform)
        if not (group.fresh and group.key == key):
            group.key, group.drawn_at = key, QTransform(view_transform)
            group.dirty = QRegion(self._viewport_rect())
            self._draw_group(group, view_transform)
            group.fresh, group.dirty = True, QRegion()

    def _group_of(self, root: LayerItem) -> _Group:
        group = self._groups.get(id(root))
        if group is None or group.root is not root:
            group = self._groups[id(root)] = _Group(root, self._new_image())
        return group

    def _show_exact(self) -> None:
        if self.previewing:
            self._force_exact = True
            self.view.viewport().update()

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
            self._preview.forget()
        view_transform = self.view.viewportTransform()
        roots = self._roots()
        stack_key = tuple((id(root), root.effectiveOpacity()) for root in roots)
        if stack_key != self._stack_key:
            self._stack_key = stack_key
            self._dirty = QRegion(self._viewport_rect())
            self._drop_overview()
        if self._preview_step(view_transform):
            return
        if self.previewing:  # the frame shown is no composite: draw all of it
            self._dirty = QRegion(self._viewport_rect())
        self._force_exact = False
        shown = {id(root) for root in roots}
        for gone in [key for key in self._groups if key not in shown]:
            del self._groups[gone]  # a hidden layer's buffer is dropped
        if self._pan_step(roots, view_transform):
            return
        everything = self._viewport_rect()
        for root in roots:
            group = self._group_of(root)
            key = self._key(root, view_transform)
            if key != group.key:  # a new view (or a new group): drawn straight until it settles
                group.key, group.fresh = key, False
                self._dirty = QRegion(everything)
            if group.fresh and not group.dirty.isEmpty():
                area = self._rows(self._viewport_rect_of(root.scene_area()))
                if QRegion(area).subtracted(group.dirty).isEmpty():
                    group.fresh = False  # changed entirely (threshold move, video frame): drawn straight
                else:  # redrawn rows outside the reported rectangles come out as they were
                    self._draw_group(group, group.drawn_at or view_transform)
            group.dirty = QRegion()
        if not self._dirty.isEmpty():
            if not all(self._groups[id(root)].fresh for root in roots):
                dirty, self._dirty = self._dirty, QRegion()
                for rect in _rects(dirty):
                    self._dirty += self._rows(rect)  # a group drawn straight is drawn in whole rows
            self._compose(roots, view_transform)
            self._dirty = QRegion()
        self._pan.remember(roots, view_transform)
        self._preview.set_source(self._composite, self._layer_transform(view_transform))
        if (any(not group.fresh for group in self._groups.values())
                or (self.fast_zoom and self._preview.overview is None)):
            self._settle.start()

    def _preview_step(self, view_transform: QTransform) -> bool:
        """Show a zoom preview if the view's scale is all that changed since the last exact
        composite (see module doc); False where the layers are to be drawn."""
        preview = self._preview
        layer_transform = self._layer_transform(view_transform)
        if (not self.fast_zoom or self._force_exact or preview.source is None or not self._dirty.isEmpty()
                or any(not group.dirty.isEmpty() for group in self._groups.values())
                or not is_zoom(preview.source_transform, layer_transform)):
            return False
        if preview.frame_transform is None or preview.frame_transform != layer_transform:
            assert self._composite is not None
            self._composite = preview.frame(self._composite, layer_transform, self._background(view_transform))
            self.settler.cancel()
            self._refine.start()
        return True

    def _pan_step(self, roots: list[LayerItem], view_transform: QTransform) -> bool:
        """Pan the composite (:mod:`app.layer_pan`) if the view's translation is all that changed
        since it was drawn exactly; False where everything is to be drawn."""
        if (not self.fast_pan or self._composite is None or not self._dirty.isEmpty()
                or any(not group.dirty.isEmpty() for group in self._groups.values())):
            return False
        plan = self._pan.plan(roots, view_transform)
        if plan is None:
            return False
        for root in roots:  # drawn straight until the view settles (kept: a view within a key's step)
            group = self._group_of(root)
            key = self._key(root, view_transform)
            if key != group.key:
                group.key, group.fresh = key, False
        self._composite = self._pan.shift(self._composite, plan)
        self._pan.draw_columns(self._composite, plan, self._composite_opaque)
        dpr = self._composite.devicePixelRatio()
        for start, end in plan.rows:  # whole rows, as a full draw (logical rows around device ones)
            top = math.floor(start / dpr) - 1
            self._dirty += QRect(0, top, self._viewport_rect().width(), math.ceil(end / dpr) + 1 - top)
        if not self._dirty.isEmpty():
            self._dirty &= QRegion(self._viewport_rect())
            self._compose(roots, view_transform)
            self._dirty = QRegion()
        self._pan.remember(roots, view_transform)
        self._preview.set_source(self._composite, self._layer_transform(view_transform))
        self._settle.start()
        return True

    def _drop_overview(self) -> None:
        self._preview.overview = None
        self._overview_generation += 1

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
