"""The image canvas: a pyqtgraph ViewBox with a base ImageItem and named overlay ImageItems.

Coordinates: image arrays are row-major (H, W[, C]); pixel (x, y) is column x, row y, and the
pixel covers the view rectangle [x, x+1) x [y, y+1) with y growing downwards. Qt mouse positions
are converted to image coordinates here, once; everything else talks in image coordinates.
"""

from __future__ import annotations

import logging
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent, QTransform
from PySide6.QtWidgets import QGraphicsView, QLabel, QWidget

from app.cursor_centre import scene_centre
from app.layer_compositor import LayerCompositor
from app.layer_item import LayerItem
from app.sliver import SliverLayerItem, sliver_index

# Arrays are (rows, columns): tell pyqtgraph once, for every ImageItem in the app.
pg.setConfigOptions(imageAxisOrder="row-major")

log = logging.getLogger(__name__)

ZOOM_STEP = 1.25
#: Zoom bounds, for keys, wheel and set_zoom alike: the view spans at least this many image pixels
#: (fewer only for an image that small; 8 over an 800 px canvas is 10 000 %) ...
MIN_VIEW_PIXELS = 8
#: ... and at most this many times the image's longer side (the image never shrinks to a lost dot:
#: 40 presses of - took a 512 px image to 0.017 %, "zoom 0%").
MAX_VIEW_FACTOR = 16
BASE_Z = 0.0
OVERLAY_Z = 10.0
_UNSAID = object()  # no pixel said for the image shown (`Canvas._said`)
EMPTY_HINT = ("Open images or a video (Ctrl+O) or a folder (Ctrl+Shift+O),\nor drop them here\n\n"
              "First time? Help ▸ Getting Started")


class Canvas(pg.GraphicsView):
    """Shows one RGB image with zoom-to-cursor (wheel), pan (drag), fit and 1:1.

    The image and its overlays are :class:`~app.layer_item.LayerItem`s, composed into a
    cached viewport-sized image (:attr:`compositor`): a repaint with nothing changed is one blit, a
    changed layer redraws only itself (``bench/bench_canvas_paint.py``).

    Signals:
        hovered(x, y): the cursor is over image pixel (x, y) (column, row; ints).
        left(): the cursor left the image (or the canvas).
        zoom_changed(percent): screen pixels per image pixel changed (100.0 = 1:1); only while an
            image is shown.
    """

    hovered = Signal(int, int)
    left = Signal()
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="default")
        self.setAcceptDrops(False)  # drops go to the main window
        self.setAccessibleName("Image canvas")
        self.setAccessibleDescription("The open image with its mask and the model's layers: the wheel zooms at "
                                      "the cursor, a drag pans, the annotation tools paint on it; F1 lists the keys")
        self.view_box = pg.ViewBox(lockAspect=True, invertY=True, enableMenu=False, defaultPadding=0.01)
        self.setCentralItem(self.view_box)
        self.compositor = LayerCompositor(self, self.view_box.childGroup)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)  # the compositor caches
        self.base = SliverLayerItem(axisOrder="row-major")  # a strip under a pixel across shows
        self.base.setZValue(BASE_Z)
        self.view_box.addItem(self.base)
        self._overlays: dict[str, LayerItem] = {}
        self._shape: tuple[int, int] | None = None
        self._last_zoom = math.nan
        self.placeholder = QLabel(EMPTY_HINT, self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: #8a8a8a; font-size: 15px;")
        self.placeholder.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._cursor: QPointF | None = None  # where the cursor is over the canvas (scene), None: not over it
        self._said: object = _UNSAID  # the pixel hovered() said last, None: left() (`_hover_again`)
        self.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.view_box.sigRangeChanged.connect(self._emit_zoom)
        self.view_box.sigRangeChanged.connect(self._hover_again)
        self.view_box.sigResized.connect(self._emit_zoom)

    # --- content -------------------------------------------------------------------------------
    @property
    def image_shape(self) -> tuple[int, int] | None:
        """(height, width) of the shown image, None when empty."""
        return self._shape

    def set_image(self, rgb: np.ndarray | None) -> None:
        """Show `rgb` (uint8 HxWx3, RGB order) unscaled: levels fixed to 0..255.

        uint8 goes to the QImage as it is (``levels=None``): pyqtgraph would otherwise rescale every
        pixel by 255/255 on each repaint (6-13 ms for 1920x1080 on our CPU).

        A new image of another size is fitted to the window; one of the same size keeps the
        current zoom and position (flipping through a dataset compares like with like).
        """
        self._said = _UNSAID  # other pixels under the cursor: read again, at the same (x, y) too
        if rgb is None:
            self.base.clear()
            self._shape = None
            self._last_zoom = math.nan
            self.left.emit()
            return
        self.placeholder.hide()
        shape = (int(rgb.shape[0]), int(rgb.shape[1]))
        self.base.setImage(rgb, autoLevels=False, levels=None if rgb.dtype == np.uint8 else (0, 255))
        if shape != self._shape:
            self._shape = shape
            self._limit_zoom(shape)
            self.fit()

    def _limit_zoom(self, shape: tuple[int, int]) -> None:
        """Bound the view's range for an image of `shape` (`MIN_VIEW_PIXELS`, `MAX_VIEW_FACTOR`)."""
        longer = max(shape)
        least = float(min(MIN_VIEW_PIXELS, longer))
        most = float(MAX_VIEW_FACTOR * longer)
        self.view_box.setLimits(minXRange=least, minYRange=least, maxXRange=most, maxYRange=most)

    def add_overlay(self, name: str, z: float = OVERLAY_Z) -> LayerItem:
        """Add (or return the existing) overlay ImageItem called `name`, drawn above the base.

        Callers set its image, lookup table (``setLookupTable``), levels and ``setOpacity``.
        """
        item = self._overlays.get(name)
        if item is None:
            item = SliverLayerItem(axisOrder="row-major")
            item.setZValue(z)
            self.view_box.addItem(item)
            self._overlays[name] = item
        return item

    def overlay(self, name: str) -> LayerItem | None:
        """The overlay called `name`, or None."""
        return self._overlays.get(name)

    def remove_overlay(self, name: str) -> None:
        """Remove the overlay called `name` if present."""
        item = self._overlays.pop(name, None)
        if item is not None:
            self.view_box.removeItem(item)

    # --- painting ------------------------------------------------------------------------------
    @property
    def composited(self) -> bool:
        """Whether layers are painted from the compositor's cache (True, the default) or drawn by
        the scene on every paint (False: the reference the tests and benchmarks compare with)."""
        return self.compositor.enabled

    def set_composited(self, enabled: bool) -> None:
        self.compositor.enabled = enabled
        self.compositor.invalidate()
        mode = QGraphicsView.CacheModeFlag.CacheNone if enabled else QGraphicsView.CacheModeFlag.CacheBackground
        self.setCacheMode(mode)
        self.resetCachedContent()
        self.viewport().update()

    @property
    def fast_zoom(self) -> bool:
        """Whether zoom steps are previewed from the screen and drawn exactly once they stop, and
        each layer's downsampled images kept (True, the default: :mod:`app.zoom_preview`,
        :mod:`app.display_pyramid`), or every step draws and renders every layer (False: for
        ``bench/bench_zoom.py --ab``)."""
        return self.compositor.fast_zoom

    def set_fast_zoom(self, enabled: bool) -> None:
        self.compositor.fast_zoom = enabled
        for item in self.scene().items():
            if isinstance(item, LayerItem):
                item.pyramid.enabled = enabled  # its levels stay (a new image drops them either way)
                if enabled:
                    item.prefetch()
        self.compositor.refine()

    @property
    def fast_pan(self) -> bool:
        """Whether a pan shifts the composite and draws only what it exposes (True, the default:
        :mod:`app.layer_pan`), or draws every layer (False: for ``bench/bench_zoom.py --pan --ab``)."""
        return self.compositor.fast_pan

    def set_fast_pan(self, enabled: bool) -> None:
        self.compositor.fast_pan = enabled

    def paintEvent(self, event: QPaintEvent) -> None:
        self.compositor.painting = self.compositor.enabled
        try:
            super().paintEvent(event)
        finally:
            self.compositor.painting = False

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        if self.compositor.painting:
            try:
                self.compositor.paint(painter)  # background and every layer
                return
            except Exception:  # an exception escaping a Qt virtual crashes PySide: draw directly from now on
                log.exception("canvas compositor failed; layers are drawn directly from now on")
                self.compositor.enabled = self.compositor.painting = False
                self.viewport().update()
        super().drawBackground(painter, rect)

    # --- view ----------------------------------------------------------------------------------
    def fit(self) -> None:
        """Fit the whole image in the window, and keep it fitted on resize until the user zooms
        or pans."""
        self.view_box.enableAutoRange(pg.ViewBox.XYAxes, True)

    def actual_size(self) -> None:
        """Zoom to 1:1 (one image pixel per screen pixel) around the centre of the view."""
        self.set_zoom(100.0)

    def zoom_by(self, factor: float) -> None:
        """Zoom in (factor > 1) or out around the centre of the view."""
        self.set_zoom(self.zoom_percent() * factor)

    def set_zoom(self, percent: float) -> None:
        """Set the zoom to `percent` (100 = 1:1) keeping the centre of the view in place. At a whole zoom
        (100, 200, 400 %...) the view starts on a whole image pixel: centred as it is, an image of odd width
        in a canvas of even width (or the reverse) put every screen pixel's centre on an image pixel's edge,
        where which pixel shows is Qt's rounding, not the same for the photo and the layers over it."""
        if any(self.view_box.autoRangeEnabled()):  # fitted: a fit still pending (a new image) is the view zoomed
            self.view_box.updateAutoRange()
        rect = self.view_box.viewRect()
        width_px = max(1.0, self.view_box.width())
        height_px = max(1.0, self.view_box.height())
        times = round(percent / 100.0)  # a step back to 100 % asks 99.99999999999997 (125 x 0.8)
        whole = times >= 1 and abs(percent / 100.0 - times) < 1e-9
        scale = 1.0 / times if whole else 100.0 / max(percent, 1e-3)  # image pixels per screen pixel
        center = rect.center()
        half_w, half_h = width_px * scale / 2.0, height_px * scale / 2.0
        left, top = center.x() - half_w, center.y() - half_h
        if whole:  # no screen pixel centre on a pixel edge; the same range each time it lands here
            left, top = float(round(left)), float(round(top))
        self.view_box.setRange(xRange=(left, left + 2.0 * half_w), yRange=(top, top + 2.0 * half_h), padding=0.0)
        if whole:
            self._snap_transform()

    def _snap_transform(self) -> None:
        """Clear the float noise of a whole zoom on the pixel grid from the view's transform: the aspect lock
        left it 2e-13 px off (-1003.0000000000002), and the compositor, which keeps each layer's pixels for the
        exact transform they were drawn at, drew every layer again on each return to a 100 % it had drawn
        (`tests/gui/test_w5_s32_zoom_return_cached.py`)."""
        box = self.view_box
        box.updateMatrix()
        m = box.childGroup.transform()
        now = [m.m11(), m.m22(), m.dx(), m.dy()]
        snapped = [float(round(v)) for v in now]
        if m.m12() or m.m21() or m.m13() or m.m23() or any(abs(a - b) > 1e-6 for a, b in zip(now, snapped, strict=True)):
            return  # not a whole zoom on the grid (an image under the limits, a canvas of no size)
        if now != snapped:
            box.childGroup.setTransform(QTransform(snapped[0], 0.0, 0.0, snapped[1], snapped[2], snapped[3]))

    def zoom_percent(self) -> float:
        """Screen pixels per image pixel, in percent (100 = 1:1)."""
        rect = self.view_box.viewRect()
        if rect.width() <= 0 or self.view_box.width() <= 0:
            return 100.0
        return 100.0 * self.view_box.width() / rect.width()

    # --- mouse -> image coordinates ------------------------------------------------------------
    def image_pixel_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        """The image pixel (x, y) under a scene position (a mouse position: read at its screen pixel's
        centre, the pixel drawn there, :mod:`app.cursor_centre`), None outside the image (the device
        pixel drawn for a side under a pixel across is on it: :mod:`app.sliver`)."""
        scene_pos = scene_centre(self, scene_pos)
        if self._shape is None or not self.view_box.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.view_box.mapSceneToView(scene_pos)
        x, y = math.floor(point.x()), math.floor(point.y())
        height, width = self._shape
        drawn = self.view_box.mapViewToScene(QRectF(0, 0, width, height)).boundingRect()
        if drawn.width() < 1 or drawn.height() < 1:  # a side under a pixel, drawn a pixel across (app.sliver)
            x = sliver_index(scene_pos.x(), drawn.left(), drawn.width(), x, width)
            y = sliver_index(scene_pos.y(), drawn.top(), drawn.height(), y, height)
        if 0 <= x < width and 0 <= y < height:
            return x, y
        return None

    def _on_scene_mouse_moved(self, scene_pos: QPointF) -> None:
        self._cursor = QPointF(scene_pos)
        self._say(self.image_pixel_at(scene_pos))

    def _say(self, pixel: tuple[int, int] | None) -> None:
        self._said = pixel
        if pixel is None:
            self.left.emit()
        else:
            self.hovered.emit(*pixel)

    def pointer_at(self, scene_pos: QPointF) -> None:
        """The cursor moved to `scene_pos` and the scene was not told (a tool took the move from the
        ViewBox, :class:`~app.annotation.canvas_input.CanvasInput`): say it as a move over the scene would."""
        self._on_scene_mouse_moved(scene_pos)

    def show_placeholder(self, visible: bool) -> None:
        """Show the "open something" hint (for an empty session) or hide it."""
        self.placeholder.setVisible(visible)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        placeholder = getattr(self, "placeholder", None)  # GraphicsView resizes during __init__
        if placeholder is not None:
            placeholder.setGeometry(self.rect())

    def _hover_again(self, *_args: object) -> None:
        """The view moved under a still cursor (a zoom or pan from the keys, Fit): hovered() with the
        pixel now under it, or left() when it is off the image, as a mouse move would say; nothing where that
        is what was said last (a wheel zooms around the cursor, a key zoom around the view's centre, the cursor
        often there: the readouts read every layer at the pixel, 1-4 ms on a 12-layer 4000x3000 result)."""
        if self._cursor is not None and (pixel := self.image_pixel_at(self._cursor)) != self._said:
            self._say(pixel)

    def leaveEvent(self, event: QEvent) -> None:
        self._cursor = None
        self._said = None
        self.left.emit()
        super().leaveEvent(event)

    def _emit_zoom(self, *_args: object) -> None:
        if self._shape is None:  # no image, no meaningful zoom
            return
        zoom = self.zoom_percent()
        if not math.isclose(zoom, self._last_zoom, rel_tol=1e-6):
            self._last_zoom = zoom
            self.zoom_changed.emit(zoom)
