"""Drawing analysis layers into pyqtgraph ImageItems: lookup tables and levels per layer kind; and
the same layers blended over the image in numpy (:func:`composite`, for Analysis ▸ Export View)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyqtgraph as pg

from fosp_core.analysis.layers import ERROR_COLORS, SOLID_COLORS, Layer, LayerStack

SCALAR_FADE = 96  # LUT index at which scalar overlays become fully opaque


@lru_cache(maxsize=64)
def lookup_table(kind: str, colormap: str, translucent: bool = True) -> np.ndarray | None:
    """(256, 4) uint8 RGBA table for a layer kind and colormap name; None for RGB layers.

    Scalar layers use the pyqtgraph colormap, fading from transparent at 0 to opaque at
    SCALAR_FADE/255 of the range when `translucent`; binary layers draw index 1 in a solid colour and
    index 0 transparent; the error layer draws 1 (false positive) and 2 (false negative).
    """
    if kind == "scalar":
        table = np.array(pg.colormap.get(colormap).getLookupTable(0.0, 1.0, 256, alpha=True), np.uint8)
        if translucent:  # low values fade out so the image shows through (napari's "translucent")
            table[:, 3] = np.clip(np.arange(256) * (255.0 / SCALAR_FADE), 0, 255).astype(np.uint8)
        return np.ascontiguousarray(table)
    table = np.zeros((256, 4), np.uint8)
    if kind == "binary":
        table[1] = (*SOLID_COLORS[colormap], 255)
        return table
    if kind == "error":
        fp, fn = ERROR_COLORS[colormap]
        table[1] = (*fp, 255)
        table[2] = (*fn, 255)
        return table
    return None


def display_array(layer: Layer, array: np.ndarray) -> tuple[np.ndarray, tuple[float, float]]:
    """The array handed to the ImageItem and its levels."""
    if layer.kind == "rgb":
        return array, (0.0, 255.0)
    if layer.kind in ("binary", "error"):
        data = array.view(np.uint8) if array.dtype == bool else array.astype(np.uint8, copy=False)
        return data, (0.0, 255.0)
    if layer.levels is not None:
        return array, layer.levels
    top = float(np.max(array)) if array.size else 1.0
    return array, (0.0, top if top > 0 else 1.0)


def draw_layer(item: pg.ImageItem, layer: Layer, array: np.ndarray) -> None:
    """Set `item`'s image, levels and lookup table for `layer` (visibility and opacity apart)."""
    data, levels = display_array(layer, array)
    item.setLookupTable(lookup_table(layer.kind, layer.colormap), update=False)
    item.setImage(data, autoLevels=False, levels=levels)


def style_layer(item: pg.ImageItem, layer: Layer) -> None:
    """Apply `layer`'s visibility and opacity to `item` (cheap: no new image)."""
    item.setOpacity(layer.opacity)
    item.setVisible(layer.visible)


def _rgba(layer: Layer, array: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(float32 (H, W, 3) colour, float32 (H, W) alpha 0..1) of `layer` drawn from `array`, as its
    ImageItem draws it: levels scaled onto the lookup table's 256 entries (pyqtgraph's rule)."""
    data, (low, high) = display_array(layer, array)
    if layer.kind == "rgb":
        return data.astype(np.float32), np.ones(data.shape[:2], np.float32)
    table = lookup_table(layer.kind, layer.colormap)
    assert table is not None
    scale = table.shape[0] / (high - low) if high > low else 0.0
    index = np.clip((data.astype(np.float32) - low) * scale, 0, table.shape[0] - 1).astype(np.intp)
    rgba = table[index]
    return rgba[..., :3].astype(np.float32), rgba[..., 3].astype(np.float32) / 255.0


def composite(rgb: np.ndarray, layers: LayerStack, arrays: dict[str, np.ndarray]) -> np.ndarray:
    """uint8 (H, W, 3): image `rgb` (uint8 (H, W, 3)) with every visible layer of `layers` that has an
    array in `arrays` (name -> array at the image's size) blended over it in drawing order, through
    its lookup table, levels and opacity - what the canvas shows of them, at the image's own size."""
    out = rgb.astype(np.float32)
    for layer in layers:
        array = arrays.get(layer.name)
        if not layer.visible or array is None or array.shape[:2] != rgb.shape[:2] or layer.opacity <= 0:
            continue
        colour, alpha = _rgba(layer, array)
        alpha = (alpha * layer.opacity)[..., None]
        out = out * (1.0 - alpha) + colour * alpha
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)
