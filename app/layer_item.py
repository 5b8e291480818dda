"""The image layers of the canvas: pyqtgraph ImageItems that report what changed to the canvas's
compositor (:mod:`app.layer_compositor`) and draw nothing themselves while it paints them.

A *group* is a LayerItem added to the ViewBox with its LayerItem descendants (the annotation mask:
an empty root item and its 512² tiles); the compositor caches one image per group.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem

from app import display_pyramid
from app.display_downsample import block_mean_indices
from app.display_pyramid import DisplayPyramid, Factors, fit_factors, wanted_factors
from app.relay import Relay

__all__ = ["LayerItem", "group_root", "paint_order"]

_Change = QGraphicsItem.GraphicsItemChange
# Changes after which every group is drawn again (rare: tiles made, layers added or restacked).
_STRUCTURE_CHANGES = {
    _Change.ItemPositionHasChanged, _Change.ItemTransformHasChanged, _Change.ItemZValueHasChanged,
    _Change.ItemParentHasChanged, _Change.ItemSceneHasChanged, _Change.ItemParentChange,
    _Change.ItemSceneChange,
}
# Changes of how an item is shown that leave its image alone.
_STYLE_CHANGES = {_Change.ItemOpacityHasChanged, _Change.ItemVisibleHasChanged}
PREFETCH_MS = 300  # a shown layer's image unchanged this long: render its display pyramid's levels


class ChangeSink(Protocol):
    """What a LayerItem reports to (the canvas's compositor, found as ``view.compositor``)."""

    painting: bool

    def layer_changed(self, item: LayerItem, scene_rect: QRectF, content: bool) -> None: ...

    def restructured(self) -> None: ...


def _sink_of(item: QGraphicsItem) -> ChangeSink | None:
    scene = item.scene()
    if scene is None:
        return None
    for view in scene.views():
        sink = getattr(view, "compositor", None)
        if sink is not None:
            return sink  # type: ignore[no-any-return]
    return None


class _LevelRelay(Relay):
    """What the display pyramid's thread says a requested level is done on: ``level_ready(generation,
    factors)``, queued to the item's ``_on_level_ready``. The thread holds the relay, never the item: it
    was handed the item's bound method, so a layer let go while its level was rendered (its pyramid
    dropped by a new image) was freed on that thread with its QTimer (a segmentation fault), and it
    emitted on an item the GUI thread could be deleting. Qt drops the queued call once the item is gone."""

    level_ready = Signal(int, object)


def _notice(relay: _LevelRelay) -> Callable[[int, Factors], None]:
    """The pyramid's `notify` for an item: emits on its relay (holds the relay only, not the item)."""

    def notify(generation: int, factors: Factors) -> None:
        relay.level_ready.emit(generation, factors)

    return notify


class LayerItem(pg.ImageItem):
    """A pyqtgraph ImageItem the canvas composes; use it as an ImageItem.

    While the canvas paints its viewport the item draws nothing itself: the compositor has drawn
    it. Its changes are reported to the compositor so that only what changed is drawn again; a
    change of the view is not one (the compositor sees the view itself).

    With ``autoDownsample`` the QImage shown at each downsample factor is kept in :attr:`pyramid`
    (:mod:`app.display_pyramid`), and the factors a zoom will need are rendered on a background
    thread once the image has been shown unchanged for :data:`PREFETCH_MS`. Drawn by the compositor,
    an image over :data:`~app.display_pyramid.GUI_RENDER_PIXELS` never has a level rendered on the
    GUI thread nor waits for one: the item shows the nearest level ready, else the picture it showed
    (of the same image), else a preview, and is drawn again when the background thread has the level
    (:attr:`defer_large` False: rendered or waited for at once, as before). Drawn directly (a
    ``QGraphicsScene.render``, an export) it renders the exact level at once.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        self._only_rect: QRectF | None = None
        self._view_change = False
        self.pyramid = DisplayPyramid()
        self._prefetch_timer: QTimer | None = None
        self._deferring = False  # inside draw(): the compositor's paint
        self.defer_large = True
        self.standing_in = False  # what the item shows is not the level its view wants (yet)
        self._shown_generation = -1  # the pyramid generation of the QImage shown
        super().__init__(*args, **kwargs)
        # the background thread tells this relay, never the item (see _LevelRelay)
        self._relay = _LevelRelay()
        self._relay.level_ready.connect(self._on_level_ready, Qt.ConnectionType.QueuedConnection)

    @contextmanager
    def updating_only(self, rect: QRectF) -> Iterator[None]:
        """Within the block, updates of the item (``setImage``...) and showing or hiding it repaint
        only `rect` (item coordinates): the caller knows the rest of the image is unchanged, and
        transparent if it shows or hides the item (a brush segment in a mask tile)."""
        self._only_rect = rect
        try:
            yield
        finally:
            self._only_rect = None

    # --- drawing -------------------------------------------------------------------------------
    def paint(self, painter: QPainter, *args: object) -> None:
        sink = _sink_of(self)
        if sink is not None and sink.painting:
            return  # in the composite already
        if self.standing_in:
            self._renderRequired = True  # drawn directly (an export): the exact level, now
        super().paint(painter, *args)

    def draw(self, painter: QPainter) -> None:
        """Draw the image as the scene would (the compositor calls this); a large image's level not
        rendered yet is stood in for (see class doc)."""
        self._deferring = True
        try:
            pg.ImageItem.paint(self, painter)
        finally:
            self._deferring = False

    def render(self) -> None:
        """pyqtgraph's render; with ``autoDownsample``, the level of :attr:`pyramid` at the view's
        factors (the same QImage, kept; in :meth:`draw`, a large image's level from the background
        thread, a stand-in meanwhile), else :meth:`render_now`."""
        if self.autoDownsample and self.image is not None and self.pyramid.enabled:
            factors = self._computeDownsampleFactors()
            if factors[0] is not None and factors[1] is not None:
                height, width = self.image.shape[:2]
                if self._deferring and self.defer_large and height * width > display_pyramid.GUI_RENDER_PIXELS:
                    if self._render_deferred(factors):
                        return
                else:
                    qimage = self.pyramid.level(factors, self.image, self.levels, self.lut)
                    if qimage is not None:
                        self._show(qimage, factors, exact=True)
                        return
        self.render_now()
        self.standing_in, self._shown_generation = False, self.pyramid.generation

    def _show(self, qimage: object, factors: Factors, exact: bool) -> None:
        self.qimage, self._lastDownsample = qimage, factors
        self._renderRequired = self._unrenderable = False
        self._processingBuffer = self._displayBuffer = None
        self.standing_in, self._shown_generation = not exact, self.pyramid.generation

    def _render_deferred(self, factors: Factors) -> bool:
        """Show the level at `factors` if rendered, else ask the background thread for it and show
        a stand-in; False: pyqtgraph's own road (the level renders as None: NaNs, odd tables)."""
        pyramid = self.pyramid
        future = pyramid.ready(factors)
        if future is not None:
            qimage = future.result() if future.exception() is None else None
            if qimage is None:
                return False
            self._show(qimage, factors, exact=True)
            return True
        pyramid.request(factors, self.image, self.levels, self.lut, _notice(self._relay))
        stand_in = pyramid.nearest_ready(factors)
        if stand_in is None:
            if (self.qimage is not None and self._shown_generation == pyramid.generation
                    and self.qimage.width() * self.qimage.height() * factors[0] * factors[1]
                    <= display_pyramid.STAND_IN_FINER * self.image.shape[0] * self.image.shape[1]):
                stand_in = self.qimage  # the picture shown, of this image at other factors (not much finer)
            else:
                stand_in = display_pyramid.preview_level(self.image, self.levels, self.lut, factors)
        if stand_in is None:  # nothing to show until the level comes
            self._lastDownsample = factors
            self._renderRequired = self._unrenderable = True
            self.standing_in = True
            return True
        self._show(stand_in, factors, exact=False)
        return True

    def _on_level_ready(self, generation: int, factors: Factors) -> None:
        if generation != self.pyramid.generation or not self.standing_in or self.image is None:
            return
        self._renderRequired = True
        self.update()  # the compositor draws the item again, with the level

    def render_now(self) -> None:
        """pyqtgraph's render, with its ``autoDownsample`` of a uint8/bool image through a 256-entry
        lookup table at levels (0, 255) (binary and error layers) done by
        :func:`~app.display_downsample.block_mean_indices`: the same indices, 5-10x faster. Uses
        pyqtgraph's ``_computeDownsampleFactors`` and ``_lastDownsample`` (0.13-0.14);
        ``tests/gui/test_canvas_paint.py`` compares the QImage with pyqtgraph's own."""
        image, lut = self.image, self.lut
        fast = (self.autoDownsample and image is not None and image.ndim == 2 and image.dtype.itemsize == 1
                and image.dtype.kind in "bu" and isinstance(lut, np.ndarray) and lut.shape[0] == 256
                and lut.dtype == np.uint8 and self.levels is not None
                and np.array_equal(np.asarray(self.levels, np.float64), (0.0, 255.0)))
        xds, yds = self._computeDownsampleFactors() if fast else (None, None)
        if (image is None or xds is None or yds is None or xds * yds == 1
                or image.shape[0] < yds or image.shape[1] < xds):
            super().render()
            return
        levels = self.levels
        self.image, self.levels, self.autoDownsample = block_mean_indices(image, xds, yds), None, False
        try:
            super().render()  # uint8 indices, no levels: an Indexed8 QImage with the table as colours
        finally:
            self.image, self.levels, self.autoDownsample = image, levels, True
        self._lastDownsample = (xds, yds)

    # --- the display pyramid -------------------------------------------------------------------
    def setImage(self, image: np.ndarray | None = None, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        self._drop_pyramid()
        super().setImage(image, *args, **kwargs)

    def setLevels(self, levels: object, update: bool = True) -> None:  # type: ignore[override]
        old = getattr(self, "levels", None)
        if levels is None or old is None or not np.array_equal(np.asarray(levels), np.asarray(old)):
            self._drop_pyramid()
        super().setLevels(levels, update)

    def setLookupTable(self, lut: object, update: bool = True) -> None:  # type: ignore[override]
        if lut is not getattr(self, "lut", None):
            self._drop_pyramid()
        super().setLookupTable(lut, update)

    def clear(self) -> None:
        self._drop_pyramid()
        super().clear()

    def _drop_pyramid(self) -> None:
        pyramid = getattr(self, "pyramid", None)  # pyqtgraph's __init__ sets its image before ours ran
        if pyramid is None:
            return
        pyramid.clear()
        if self.autoDownsample and pyramid.enabled:
            if self._prefetch_timer is None:
                self._prefetch_timer = QTimer(self, singleShot=True, interval=PREFETCH_MS, timeout=self.prefetch)
            self._prefetch_timer.start()

    def prefetch(self) -> None:
        """Render, on the background thread, the pyramid's levels a zoom from fit to 1:1 meets
        (shown layers only: a hidden one's are made when it is shown)."""
        scene = self.scene()
        if (self.image is None or not self.autoDownsample or not self.pyramid.enabled
                or not self.isVisible() or scene is None or not scene.views()):
            return
        viewport = scene.views()[0].viewport()
        current = self._computeDownsampleFactors()
        fit = fit_factors(self.image.shape[:2], (viewport.width(), viewport.height()))
        self.pyramid.prefetch(wanted_factors(current, fit), self.image, self.levels, self.lut)

    def viewTransformChanged(self) -> None:
        self._view_change = True  # a new downsample factor is the view's change, not the image's
        try:
            super().viewTransformChanged()
        finally:
            self._view_change = False

    # --- change reports ------------------------------------------------------------------------
    def update(self, *args: object) -> None:  # type: ignore[override]
        if getattr(self, "_view_change", False):
            super().update(*args)
            return
        only = getattr(self, "_only_rect", None)
        if not args and only is not None:
            args = (only,)
        if args:
            rect = args[0] if isinstance(args[0], QRectF) else QRectF(*args)  # type: ignore[arg-type]
            self._report(self.mapRectToScene(rect), content=True)
        else:
            self._report(None, content=True)
        super().update(*args)

    def prepareGeometryChange(self) -> None:
        self._report(None, content=True)  # the old bounds
        super().prepareGeometryChange()

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        result = super().itemChange(change, value)
        if change == _Change.ItemVisibleHasChanged and hasattr(self, "pyramid"):
            timer = self._prefetch_timer
            if not value:
                self.pyramid.keep_only(self._lastDownsample)  # hidden: its other levels are memory
            elif timer is not None:
                timer.start()  # shown: its pyramid is wanted again
        if change in _STYLE_CHANGES:
            only = getattr(self, "_only_rect", None)
            self._report(None if only is None else self.mapRectToScene(only),
                         content=isinstance(self.parentItem(), LayerItem))
        elif change in _STRUCTURE_CHANGES:
            sink = _sink_of(self)
            if sink is not None:
                sink.restructured()
        return result

    def scene_area(self) -> QRectF:
        """The scene rectangle the item and its children cover."""
        return self.mapRectToScene(self.boundingRect() | self.childrenBoundingRect())

    def _report(self, scene_rect: QRectF | None, content: bool) -> None:
        if not hasattr(self, "_only_rect"):  # pyqtgraph's __init__ calls update() before ours ran
            return
        sink = _sink_of(self)
        if sink is not None:
            sink.layer_changed(self, self.scene_area() if scene_rect is None else scene_rect, content)


def group_root(item: QGraphicsItem) -> QGraphicsItem:
    """The outermost LayerItem of `item`'s chain of LayerItem parents (its group's root)."""
    while isinstance(item.parentItem(), LayerItem):
        item = item.parentItem()
    return item


def paint_order(item: QGraphicsItem) -> Iterator[QGraphicsItem]:
    """`item` and its descendants in the order the scene paints them."""
    children = item.childItems()  # stacking order
    behind = QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent
    for child in children:
        if child.flags() & behind:
            yield from paint_order(child)
    yield item
    for child in children:
        if not child.flags() & behind:
            yield from paint_order(child)
