"""The analysis layers on the canvas, with the maps held at the network's grid drawn off the GUI thread.

:class:`DeferredOverlays` is :class:`~app.analysis.overlays.LayerOverlays` where a layer's array is a
map made on demand (a :class:`~fosp_core.infer.gridmap.GridMap`: :func:`~app.analysis.upsampler.
deferred`): its full-size array is never made on the GUI thread. A result comes with the full
arrays of the layers shown when it was prepared (`drawn`: made on the inference thread,
:func:`app.analysis.prepared.prepare_result`); any other shown one (a result from the cache, a layer
turned on later) is asked of a :class:`~app.analysis.upsampler.LayerUpsampler`, its item cleared
meanwhile (not the last image's map over this one) and `drawing(name, True)` said (the layer list's
row says so). The worker makes the whole drawing (:class:`~app.analysis.layer_drawing.LayerDrawing`:
the full array, what its ImageItem is handed, and its outline traced or, for a speckled mask such
as a τ contour, its edge pixels), so the GUI thread only hands it over when it comes, unless the
view moved on (another result shown, the layer hidden: dropped).

Memory: the full arrays are held only for the layers shown (:attr:`DeferredOverlays.drawn`, the same
arrays their ImageItems draw); hiding such a layer clears its item and lets its array go, so a
hidden layer costs its grid alone, as in the result cache.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import numpy as np

from app.analysis.layer_drawing import DrawnLayer, LayerDrawing, TracedOutline
from app.analysis.overlays import OUTLINE_Z, OVERLAY_PREFIX, LayerOverlays, _draw_outline
from app.analysis.render import draw_layer
from app.analysis.upsampler import LayerUpsampler, deferred

if TYPE_CHECKING:
    from app.canvas import Canvas
    from fosp_core.analysis.layers import LayerStack

__all__ = ["DeferredOverlays"]


class DeferredOverlays(LayerOverlays):
    """See the module docstring. `drawing(name, busy)`: layer `name`'s map is being made (True) or
    drawn, dropped or no longer asked for (False)."""

    def __init__(self, canvas: Canvas, layers: LayerStack,
                 drawing: Callable[[str, bool], None] | None = None) -> None:
        super().__init__(canvas, layers)
        self.upsampler = LayerUpsampler(canvas)
        self.upsampler.ready.connect(self._ready)
        canvas.destroyed.connect(lambda _obj=None, lane=self.upsampler.lane: lane.close())  # nothing drawn after close
        self.drawn: dict[str, np.ndarray] = {}  # full arrays of the shown deferred layers (what their items draw)
        self.pending: set[str] = set()  # deferred layers asked of the upsampler, not come back yet
        self._drawing = drawing or (lambda _name, _busy: None)
        self._token = 0

    def show(self, arrays: dict[str, np.ndarray], drawn: Mapping[str, np.ndarray] | None = None,
             outlines: Mapping[str, TracedOutline] | None = None) -> None:
        """Show a new set of layer arrays (:meth:`LayerOverlays.show`, its `outlines`); `drawn`: full
        arrays already made of some of them (name -> the full array of ``arrays[name]``)."""
        self._token += 1
        self.upsampler.set_current(self._token)
        self._set_pending(set())
        self.drawn = {name: full for name, full in (drawn or {}).items()
                      if name in arrays and deferred(arrays[name]) and self.layers[name].visible}
        for name in self.layers.names:  # a hidden item keeps no map of the last image
            if name in arrays and deferred(arrays[name]) and not self.layers[name].visible:
                item = self.canvas.overlay(OVERLAY_PREFIX + name)
                if item is not None and item.image is not None:
                    item.clear()
        super().show(arrays, outlines)

    def made(self, source: object) -> np.ndarray | None:
        """The full array drawn of map `source` (one of :attr:`arrays`, that very object), else None."""
        for name, full in self.drawn.items():
            if self.arrays.get(name) is source:
                return full
        return None

    def on_layer_changed(self, name: str, what: str) -> None:
        """As :meth:`LayerOverlays.on_layer_changed`; a deferred layer hidden lets its full array go."""
        if what == "visible" and not self.layers[name].visible and deferred(self.arrays.get(name)):
            self.drawn.pop(name, None)
            self._set_pending(self.pending - {name})
            item = self.canvas.overlay(OVERLAY_PREFIX + name)
            if item is not None:
                item.clear()
            self._dirty.add(name)
        super().on_layer_changed(name, what)

    def _draw(self, name: str, drawing: DrawnLayer | None = None) -> None:
        array = self.arrays[name]
        if not deferred(array):
            super()._draw(name)
            return
        full = self.drawn.get(name)
        item = self.canvas.add_overlay(OVERLAY_PREFIX + name)
        layer, z = self.layers[name], OUTLINE_Z + self.layers.names.index(name) * 0.01
        if full is None:  # asked of the worker; nothing of the last image meanwhile
            if name not in self.pending:
                item.clear()
                self._set_pending(self.pending | {name})
                self.upsampler.request(self._token, name, LayerDrawing(array, layer))  # type: ignore[arg-type]
            return
        if drawing is None:  # (made on the inference thread: prepare_result's `drawn`)
            draw_layer(item, layer, full)
            _draw_outline(item, layer, full, z)
        else:  # made on the worker: handed over
            draw_layer(item, layer, full, (drawing.data, drawing.levels))
            _draw_outline(item, layer, full, z, made=drawing.outline)
        self._dirty.discard(name)

    def _ready(self, token: int, name: str, asked: LayerDrawing, drawing: DrawnLayer) -> None:
        """The worker's answer to `asked` (every request is a :class:`LayerDrawing`): drawn when it is
        still wanted (this result, the same map, shown)."""
        if token != self._token or self.arrays.get(name) is not asked.source or name not in self.pending:
            return  # stale: another result shown, or the layer hidden meanwhile
        self._set_pending(self.pending - {name})
        if not self.layers[name].visible:
            return
        self.drawn[name] = drawing.full
        self._draw(name, drawing)
        item = self.canvas.overlay(OVERLAY_PREFIX + name)
        if item is not None:  # its opacity; shown or hidden as it is: a video opened meanwhile put the image's
            item.setOpacity(self.layers[name].opacity)  # layers away (app.video.chrome), they stay so over the frame

    def _set_pending(self, names: set[str]) -> None:
        for name in self.pending - names:
            self._drawing(name, False)
        for name in names - self.pending:
            self._drawing(name, True)
        self.pending = names

    def close(self) -> None:
        """Stop the upsampler (the window closes)."""
        self.upsampler.close()
