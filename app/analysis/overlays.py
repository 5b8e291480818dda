"""The analysis layers on the canvas: one overlay ImageItem per layer of the stack, named
``analysis:<layer name>``, below the annotation layers (z < 10).

:class:`LayerOverlays` holds the arrays of the shown prediction (:func:`fosp_core.analysis.layers.
layer_arrays`) and draws a layer only while it is visible: a hidden layer's new array waits until it
is turned on (it is "dirty"), so a threshold move or a new image costs only the layers on screen.

A binary layer with an :class:`~fosp_core.analysis.layers.Outline` (the prediction mask, the ground
truth, the τ contour) also gets a PlotCurveItem, ``outline``, tracing its mask's edges with a cosmetic
pen (a few screen pixels wide at any zoom: solid dark rose, dashed lime, thin yellow), drawn again
with the layer's array (a threshold move, a new result). It follows its layer's ImageItem: shown,
hidden and faded with it, whoever sets them (the layer list, video mode). It is not the ImageItem's
child but an item of the view above every image layer (:data:`OUTLINE_Z`, in the layers' order: the
ground truth's over the prediction's, the τ contour's on top): the canvas's compositor draws the
image layers into one picture and the scene draws other items over it, so a child would be drawn
over the layers above its own on screen but under them in a direct render (a screenshot, an
export of the canvas); over all of them, both agree.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg

from app.analysis.layer_drawing import TracedOutline, trace_outline
from app.analysis.ragged_edge import draw_ragged_edge, recolour_ragged_edge
from app.analysis.render import draw_layer, layer_table, outline_pen, style_layer
from fosp_core.analysis.layers import Layer, LayerStack, threshold_dependent

if TYPE_CHECKING:
    from app.canvas import Canvas

__all__ = ["OUTLINE_NAME", "OUTLINE_Z", "OVERLAY_PREFIX", "LayerOverlays", "outline_item"]

OVERLAY_PREFIX = "analysis:"
_Z0 = 5.0  # analysis overlays at 5.0 .. 6.x, under the annotation overlays (10+)
OUTLINE_NAME = "outline"  # objectName of a layer's outline curve
#: The outlines' z: over every image layer of the canvas (analysis 5-6.x, video 12, annotation 15),
#: under the brush cursor (50).
OUTLINE_Z = 40.0
_OUTLINES: weakref.WeakKeyDictionary[pg.ImageItem, pg.PlotCurveItem] = weakref.WeakKeyDictionary()
#: A traced outline's contours and boxes (render.trace_contours) and its mask's shape, for a redraw of a
#: changed rectangle only (:func:`_draw_outline`'s `rect`).
_TRACED: weakref.WeakKeyDictionary[pg.PlotCurveItem, tuple[list[np.ndarray], np.ndarray, tuple[int, ...]]] = \
    weakref.WeakKeyDictionary()


def outline_item(item: pg.ImageItem) -> pg.PlotCurveItem | None:
    """The outline curve drawn with layer ImageItem `item`, or None."""
    return _OUTLINES.get(item)


def _follow(curve: pg.PlotCurveItem, item: pg.ImageItem) -> None:
    curve.setVisible(item.isVisible())
    curve.setOpacity(item.opacity())


def _new_outline(item: pg.ImageItem, z: float) -> pg.PlotCurveItem:
    """A curve for `item`'s outline in the same view, at `z`, shown, hidden and faded with `item`."""
    curve = pg.PlotCurveItem(antialias=False)  # crisp dashes, as the τ contour's pixels
    curve.setObjectName(OUTLINE_NAME)
    curve.setZValue(z)
    curve.setParentItem(item.parentItem())  # the view's item group, as the layers' own
    ref = weakref.ref(curve)
    item_ref = weakref.ref(item)

    def follow() -> None:
        c, i = ref(), item_ref()
        if c is not None and i is not None:
            _follow(c, i)

    item.visibleChanged.connect(follow)
    item.opacityChanged.connect(follow)
    _follow(curve, item)
    _OUTLINES[item] = curve
    return curve


def _draw_outline(item: pg.ImageItem, layer: Layer, array: np.ndarray | None, z: float,
                  rect: tuple[int, int, int, int] | None = None, made: TracedOutline | None = None) -> None:
    """Trace `array`'s edges (None: nothing) with `layer`'s outline, over the image layers. `rect`
    (y0, y1, x0, x1): `array` changed there only since the outline was last drawn from it: traced again
    around it only (render.retrace_contours: the same points as tracing it whole). `made`: the outline
    already traced of `array` (:func:`~app.analysis.layer_drawing.trace_outline`, off the GUI thread)."""
    curve = outline_item(item)
    colour = layer.outline_rgb()
    if layer.outline is None or colour is None:
        if curve is not None:
            curve.setData([], [])
        draw_ragged_edge(item, None, None)
        return
    if curve is None:
        curve = _new_outline(item, z)
    pen = outline_pen(colour, layer.outline)
    if curve.opts["pen"] != pen:
        curve.setPen(pen)
    traced = _TRACED.pop(curve, None)
    if made is None:
        made = trace_outline(layer.outline, array, traced, rect)
    draw_ragged_edge(item, colour, None, edge=made.edge)  # speckle: its edge drawn as an image instead
    if made.traced is not None:
        _TRACED[curve] = made.traced
    x, y, connect = made.path
    shown = curve.getData()[0]
    if len(x) or (shown is not None and len(shown)):  # an empty outline left empty: no repaint
        curve.setData(x, y, connect=connect)


class LayerOverlays:
    """Draws `layers` on `canvas` (see module doc); `arrays` is what the layers show now (name →
    array at the image's size; empty without a prediction)."""

    def __init__(self, canvas: Canvas, layers: LayerStack) -> None:
        self.canvas = canvas
        self.layers = layers
        self.arrays: dict[str, np.ndarray] = {}
        self._dirty: set[str] = set()  # layers whose ImageItem lacks the current array (hidden ones)
        self._outlines: dict[str, TracedOutline] = {}  # outlines of `arrays` traced already, not drawn yet

    def show(self, arrays: dict[str, np.ndarray], outlines: Mapping[str, TracedOutline] | None = None) -> None:
        """Show a new set of layer arrays (another prediction or image); layers absent from
        `arrays` are cleared and hidden. `outlines`: the outlines of some of them already traced
        (off the GUI thread: :func:`~app.analysis.layer_drawing.trace_outline`), drawn as they are."""
        self.arrays = arrays
        self._outlines = dict(outlines or {})
        self._dirty = set(arrays)
        for i, layer in enumerate(self.layers):
            item = self.canvas.add_overlay(OVERLAY_PREFIX + layer.name, _Z0 + i * 0.1)
            item.setAutoDownsample(True)  # LUT + paint at screen resolution, not 1920×1080
            if layer.name not in arrays:
                item.clear()
                _draw_outline(item, layer, None, OUTLINE_Z + i * 0.01)
                item.setVisible(False)
                continue
            if layer.visible:
                self._draw(layer.name)
            style_layer(item, layer)

    def refresh_thresholded(self, fresh: dict[str, np.ndarray],
                            outlines: Mapping[str, TracedOutline] | None = None) -> None:
        """Take the threshold-dependent arrays of `fresh` (the threshold or region rule moved);
        `outlines`: the outlines of some of them already traced (off the GUI thread), drawn as they are."""
        for name in [n for n in fresh if threshold_dependent(n)]:
            self.arrays[name] = fresh[name]
            made = (outlines or {}).get(name)
            if made is None:
                self._outlines.pop(name, None)
            else:
                self._outlines[name] = made
            if self.layers[name].visible:
                self._draw(name)
            else:
                self._dirty.add(name)

    def put_layer(self, name: str, array: np.ndarray | None,
                  rect: tuple[int, int, int, int] | None = None) -> None:
        """Put layer `name`'s new `array` in, the other layers left as drawn: drawn now when visible, else
        when shown; None takes the layer away (cleared, hidden). `rect` (y0, y1, x0, x1): `array` is the
        array shown (the same object), changed in place there only since it was drawn: its outline is
        traced again around that rectangle only (the same picture as a whole redraw)."""
        layer = self.layers[name]
        item = self.canvas.add_overlay(OVERLAY_PREFIX + name)
        self._outlines.pop(name, None)
        if array is None:
            if self.arrays.pop(name, None) is not None:
                item.clear()
                _draw_outline(item, layer, None, OUTLINE_Z + self.layers.names.index(name) * 0.01)
                item.setVisible(False)
                self._dirty.discard(name)
            return
        in_place = (rect is not None and self.arrays.get(name) is array and name not in self._dirty
                    and type(array) is np.ndarray)  # a map made on demand (DeferredOverlays) drawn whole
        self.arrays[name] = array
        if layer.visible and in_place:
            assert rect is not None
            draw_layer(item, layer, array)
            _draw_outline(item, layer, array, OUTLINE_Z + self.layers.names.index(name) * 0.01, rect)
        elif layer.visible:
            self._draw(name)
        else:
            self._dirty.add(name)
        style_layer(item, layer)

    def on_layer_changed(self, name: str, what: str) -> None:
        """Layer `name`'s `what` (visible, opacity, colormap) changed in the stack."""
        layer = self.layers[name]
        item = self.canvas.overlay(OVERLAY_PREFIX + name)
        if item is None or name not in self.arrays:
            return
        if what == "colormap":
            item.setLookupTable(layer_table(layer))
            curve, colour = outline_item(item), layer.outline_rgb()
            if curve is not None and layer.outline is not None and colour is not None:
                curve.setPen(outline_pen(colour, layer.outline))
            recolour_ragged_edge(item, colour)
        elif layer.visible and name in self._dirty:
            self._draw(name)
        style_layer(item, layer)

    def _draw(self, name: str) -> None:
        item = self.canvas.add_overlay(OVERLAY_PREFIX + name)
        draw_layer(item, self.layers[name], self.arrays[name])
        z = OUTLINE_Z + self.layers.names.index(name) * 0.01
        _draw_outline(item, self.layers[name], self.arrays[name], z, made=self._outlines.pop(name, None))
        self._dirty.discard(name)
