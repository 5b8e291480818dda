"""The analysis layers on the canvas: one overlay ImageItem per layer of the stack, named
``analysis:<layer name>``, below the annotation layers (z < 10).

:class:`LayerOverlays` holds the arrays of the shown prediction (:func:`fosp_core.analysis.layers.
layer_arrays`) and draws a layer only while it is visible: a hidden layer's new array waits until it
is turned on (it is "dirty"), so a threshold move or a new image costs only the layers on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from app.analysis.render import draw_layer, lookup_table, style_layer
from fosp_core.analysis.layers import LayerStack, threshold_dependent

if TYPE_CHECKING:
    from app.canvas import Canvas

__all__ = ["OVERLAY_PREFIX", "LayerOverlays"]

OVERLAY_PREFIX = "analysis:"
_Z0 = 5.0  # analysis overlays at 5.0 .. 6.x, under the annotation overlays (10+)


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
            item.setLookupTable(lookup_table(layer.kind, layer.colormap))
        elif layer.visible and name in self._dirty:
            self._draw(name)
        style_layer(item, layer)

    def _draw(self, name: str) -> None:
        item = self.canvas.add_overlay(OVERLAY_PREFIX + name)
        draw_layer(item, self.layers[name], self.arrays[name])
        self._dirty.discard(name)
