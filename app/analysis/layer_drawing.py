"""What drawing a layer on the canvas makes of its array, as numpy work that any thread can do.

Drawing an analysis layer (:mod:`app.analysis.overlays`) hands its ImageItem the array of
:func:`~app.analysis.render.display_array` with its levels, and an outlined layer (the prediction
mask, the ground truth, the τ contour) also traces its mask: :func:`trace_outline`, the curve's
points or, for a mask too ragged to trace, its edge pixels (:func:`~app.analysis.ragged_edge.
edge_pixels`). At 48 MP that work held the GUI thread 370-741 ms a switch under load (session 28,
C: mostly the τ contour's edge pixels). :class:`LayerDrawing` is a request for the canvas's worker
(:class:`~app.analysis.upsampler.LayerUpsampler`: its ``full()``): the map's full array and that
work, made with the very calls the GUI thread made, so the pictures are the same, byte for byte;
the GUI thread then only hands them over (:class:`DrawnLayer`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from app.analysis.ragged_edge import edge_pixels
from app.analysis.render import (
    contour_path,
    display_array,
    outline_path,
    retrace_contours,
    too_ragged,
    trace_contours,
)
from app.analysis.upsampler import deferred, upsample
from fosp_core.analysis.layers import Layer, Outline

__all__ = ["DrawnLayer", "LayerDrawing", "TracedOutline", "outlined_layers", "trace_outline", "trace_outlines"]

Path = tuple[np.ndarray, np.ndarray, np.ndarray]  # x, y, connect (render.outline_path)
Traced = tuple[list[np.ndarray], np.ndarray, tuple[int, ...]]  # contours, boxes, the mask's shape


def _empty() -> Path:
    return np.zeros(0), np.zeros(0), np.zeros(0, bool)


@dataclass(frozen=True)
class TracedOutline:
    """A layer's outline made of its mask: `path` the curve's (x, y, connect) (empty: none, or the
    mask is ragged); `edge` the ragged mask's edge pixels (uint8 (H, W), else None); `traced` the
    contours, boxes and mask shape of a traced (not line) outline, for a later redraw of a rectangle
    (:func:`~app.analysis.render.retrace_contours`), else None."""

    path: Path
    edge: np.ndarray | None = None
    traced: Traced | None = None


def trace_outline(outline: Outline | None, array: np.ndarray | None, retrace: Traced | None = None,
                  rect: tuple[int, int, int, int] | None = None) -> TracedOutline:
    """The outline `outline` (None: none) of layer array `array` (None: nothing), as
    ``overlays._draw_outline`` draws it; `rect` (y0, y1, x0, x1) with `retrace` (what was traced of
    the array before it changed there only): traced again around it only. Any thread."""
    if outline is None or array is None:
        return TracedOutline(_empty())
    mask = array if array.dtype == bool else array.astype(bool)
    if too_ragged(mask):  # speckle: its edge drawn as an image instead
        return TracedOutline(_empty(), edge_pixels(mask))
    if outline.line:
        return TracedOutline(outline_path(mask, line=True))
    if rect is not None and retrace is not None and retrace[2] == mask.shape:
        contours, boxes = retrace_contours(retrace[0], retrace[1], mask, rect)
    else:
        contours, boxes = trace_contours(mask)
    return TracedOutline(contour_path(contours), None, (contours, boxes, mask.shape))


def outlined_layers(layers: Iterable[Layer]) -> tuple[tuple[str, Outline], ...]:
    """(name, outline) of the shown layers of `layers` that have an outline: those whose outline is
    traced with their array (:func:`trace_outlines`). Read on the GUI thread, handed to a worker."""
    return tuple((layer.name, layer.outline) for layer in layers if layer.visible and layer.outline is not None)


def trace_outlines(arrays: Mapping[str, np.ndarray],
                   outlined: Iterable[tuple[str, Outline]]) -> dict[str, TracedOutline]:
    """The outlines `outlined` (name, its outline: :func:`outlined_layers`) of the layer arrays
    `arrays` that are at the image's size already (the masks, the τ contour; a map held at the grid is
    traced with its drawing, :class:`LayerDrawing`), by name. Any thread."""
    return {name: trace_outline(outline, arrays[name]) for name, outline in outlined
            if name in arrays and not deferred(arrays[name])}


@dataclass(frozen=True)
class DrawnLayer:
    """What the worker made of a layer held at the network's grid: `full` its full array (what
    :attr:`~app.analysis.deferred_overlays.DeferredOverlays.drawn` holds), `data` and `levels` for
    its ImageItem (:func:`~app.analysis.render.display_array`), `outline` (None: the layer has none)."""

    full: np.ndarray
    data: np.ndarray
    levels: tuple[float, float]
    outline: TracedOutline | None


class LayerDrawing:
    """A request for the canvas's worker: layer `layer`'s (a copy taken now: its kind, levels and
    outline are read there) drawing of map `source` (``full()``: :class:`DrawnLayer`)."""

    def __init__(self, source: object, layer: Layer) -> None:
        self.source = source
        self.layer = replace(layer)

    def full(self) -> DrawnLayer:
        """The drawing (any thread: the worker's)."""
        full = upsample(self.source) if deferred(self.source) else self.source  # type: ignore[arg-type]
        assert isinstance(full, np.ndarray)
        data, levels = display_array(self.layer, full)
        outline = None if self.layer.outline is None else trace_outline(self.layer.outline, full)
        return DrawnLayer(full, data, levels, outline)
