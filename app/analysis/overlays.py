"""The analysis layers on the canvas: one overlay ImageItem per layer of the stack, named
``analysis:<layer name>``, below the annotation layers (z < 10).

:class:`LayerOverlays` holds the arrays of the shown prediction (:func:`fosp_core.analysis.layers.
layer_arrays`) and draws a layer only while it is visible: a hidden layer's new array waits until it
is turned on (it is "dirty"), so a threshold move or a new image costs only the layers on screen.

A binary layer with an :class:`~fosp_core.analysis.layers.Outline` (the ground truth) also gets a
PlotCurveItem child of its ImageItem, ``outline``, tracing its mask's edges with a cosmetic dashed
pen (a few screen pixels wide at any zoom); as a child it follows the layer's visibility and opacity,
and the canvas's compositor leaves it to the scene, which draws it over the composed layers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg

from app.analysis.render import draw_layer, layer_table, outline_path, outline_pen, style_layer
from fosp_core.analysis.layers import SOLID_COLORS, Layer, LayerStack, threshold_dependent

if TYPE_CHECKING:
    from app.canvas import Canvas

__all__ = ["OUTLINE_NAME", "OVERLAY_PREFIX", "LayerOverlays", "outline_item"]

OVERLAY_PREFIX = "analysis:"
_Z0 = 5.0  # analysis overlays at 5.0 .. 6.x, under the annotation overlays (10+)
OUTLINE_NAME = "outline"  # objectName of a layer's outline curve (a child of its ImageItem)


def outline_item(item: pg.ImageItem) -> pg.PlotCurveItem | None:
    """The outline curve drawn with layer ImageItem `item`, or None."""
    for child in item.childItems():
        if isinstance(child, pg.PlotCurveItem) and child.objectName() == OUTLINE_NAME:
            return child
    return None


def _draw_outline(item: pg.ImageItem, layer: Layer, array: np.ndarray | None) -> None:
    """Trace `array`'s edges (None: nothing) with `layer`'s outline, as a child of `item`."""
    curve = outline_item(item)
    if layer.outline is None or layer.kind != "binary":
        if curve is not None:
            curve.setData([], [])
        return
    if curve is None:
        curve = pg.PlotCurveItem(antialias=False)  # crisp dashes, as the τ contour's pixels
        curve.setObjectName(OUTLINE_NAME)
        curve.setParentItem(item)
    curve.setPen(outline_pen(SOLID_COLORS[layer.colormap], layer.outline))
    if array is None:
        curve.setData([], [])
    else:
        x, y, connect = outline_path(array.astype(bool))
        curve.setData(x, y, connect=connect)


class LayerOverlays:
    """Draws `layers` on `canvas` (see module doc); `arrays` is what the layers show now (name →
    array at the image's size; empty without a prediction)."""

    def __init__(self, canvas: Canvas, layers: LayerStack) -> None:
        self.canvas = canvas
        self.layers = layers
        self.arrays: dict[str, np.ndarray] = {}
        self._dirty: set[str] = set()  # layers whose ImageItem lacks the current array (hidden ones)

    def show(self, arrays: dict[str, np.ndarray]) -> None:
        """Show a new set of layer arrays (another prediction or image); layers absent from
        `arrays` are cleared and hidden."""
        self.arrays = arrays
        self._dirty = set(arrays)
        for i, layer in enumerate(self.layers):
            item = self.canvas.add_overlay(OVERLAY_PREFIX + layer.name, _Z0 + i * 0.1)
            item.setAutoDownsample(True)  # LUT + paint at screen resolution, not 1920×1080
            if layer.name not in arrays:
                item.clear()
                _draw_outline(item, layer, None)
                item.setVisible(False)
                continue
            if layer.visible:
                self._draw(layer.name)
            style_layer(item, layer)

    def refresh_thresholded(self, fresh: dict[str, np.ndarray]) -> None:
        """Take the threshold-dependent arrays of `fresh` (the threshold or region rule moved)."""
        for name in [n for n in fresh if threshold_dependent(n)]:
            self.arrays[name] = fresh[name]
            if self.layers[name].visible:
                self._draw(name)
            else:
                self._dirty.add(name)

    def on_layer_changed(self, name: str, what: str) -> None:
        """Layer `name`'s `what` (visible, opacity, colormap) changed in the stack."""
        layer = self.layers[name]
        item = self.canvas.overlay(OVERLAY_PREFIX + name)
        if item is None or name not in self.arrays:
            return
        if what == "colormap":
            item.setLookupTable(layer_table(layer))
            curve = outline_item(item)
            if curve is not None and layer.outline is not None:
                curve.setPen(outline_pen(SOLID_COLORS[layer.colormap], layer.outline))
        elif layer.visible and name in self._dirty:
            self._draw(name)
        style_layer(item, layer)

    def _draw(self, name: str) -> None:
        item = self.canvas.add_overlay(OVERLAY_PREFIX + name)
        draw_layer(item, self.layers[name], self.arrays[name])
        _draw_outline(item, self.layers[name], self.arrays[name])
        self._dirty.discard(name)
