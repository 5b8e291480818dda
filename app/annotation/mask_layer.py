"""The editable mask drawn over the canvas, repainting only what changed.

The overlay called "annotation mask" (`Canvas.add_overlay`) is an empty ImageItem acting as the
layer's root: visibility and opacity set on it apply to the whole mask. Under it the mask is cut
into TILE x TILE child ImageItems; each shows a slice of a uint8 display buffer (mask values, or
only their outline) through a 256-entry RGBA lookup table. A change of ``mask[y0:y1, x0:x1]``
rewrites that rectangle of the buffer and hands only the touched tiles back to pyqtgraph, so a
brush segment on a 4000x3000 image costs a few small tiles, never the whole image
(`bench/bench_annotation_gui.py` measures it). Each touched tile reports only the rectangle that
changed to the canvas's compositor (``LayerItem.updating_only``), so the repaint covers the
segment's rows of the screen, not the tile's; a tile with nothing to show (all 0) is hidden, so an
empty or sparse mask costs nothing to draw.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF

from app.canvas import OVERLAY_Z, Canvas
from app.layer_item import LayerItem
from fosp_core.analysis.layers import ANNOTATION_IGNORE, ANNOTATION_SMOKE
from fosp_core.annotation.history import Rect

__all__ = ["LAYER_NAME", "TILE", "MaskLayer", "mask_lut"]

LAYER_NAME = "annotation mask"
TILE = 512
SMOKE_RGBA = (*ANNOTATION_SMOKE, 255)  # apart from every analysis layer's colour (fosp_core.analysis.layers)
IGNORE_RGBA = (*ANNOTATION_IGNORE, 255)


def mask_lut() -> np.ndarray:
    """uint8 (256, 4) RGBA lookup table: 0 transparent, 1 smoke (red), 255 ignore (cream)."""
    lut = np.zeros((256, 4), np.uint8)
    lut[1] = SMOKE_RGBA
    lut[255] = IGNORE_RGBA
    return lut


def outline_of(mask: np.ndarray) -> np.ndarray:
    """bool array of `mask`'s shape: non-zero pixels with a 4-neighbour of another value (edges
    of the array count as the same value, so a crop's border adds no false outline)."""
    padded = np.pad(mask, 1, mode="edge")
    centre = padded[1:-1, 1:-1]
    edge = (padded[:-2, 1:-1] != centre) | (padded[2:, 1:-1] != centre)
    edge |= (padded[1:-1, :-2] != centre) | (padded[1:-1, 2:] != centre)
    return edge & (centre != 0)


class MaskLayer:
    """Shows one uint8 (H, W) 0/1/255 mask over the canvas; call `update_rect` after edits."""

    def __init__(self, canvas: Canvas, name: str = LAYER_NAME, z: float = OVERLAY_Z + 5.0) -> None:
        self.canvas = canvas
        self.root: LayerItem = canvas.add_overlay(name, z)
        self._lut = mask_lut()
        self._tiles: dict[tuple[int, int], LayerItem] = {}
        self._mask: np.ndarray | None = None
        self._display: np.ndarray | None = None
        self._outline = False

    # --- state ---------------------------------------------------------------------------------
    @property
    def mask(self) -> np.ndarray | None:
        return self._mask

    @property
    def outline(self) -> bool:
        return self._outline

    def set_opacity(self, opacity: float) -> None:
        self.root.setOpacity(float(opacity))

    def set_visible(self, visible: bool) -> None:
        self.root.setVisible(visible)

    def set_outline(self, outline: bool) -> None:
        """Draw only the outline of each region (True) or filled regions (False)."""
        if outline != self._outline:
            self._outline = outline
            if self._mask is not None:
                self.update_rect((0, self._mask.shape[0], 0, self._mask.shape[1]))

    def set_mask(self, mask: np.ndarray | None) -> None:
        """Show `mask` (kept by reference: the document's live array) or nothing (None).

        A mask of the shape already shown reuses the tiles (stepping video frames stays cheap)."""
        old = self._mask
        if mask is not None and old is not None and self._display is not None and mask.shape == old.shape:
            self._mask = mask
            if mask.any() or self._display.any():
                self.update_rect((0, mask.shape[0], 0, mask.shape[1]))
            return
        for tile in self._tiles.values():
            tile.setParentItem(None)
            scene = tile.scene()
            if scene is not None:
                scene.removeItem(tile)
        self._tiles = {}
        self._mask = mask
        if mask is None:
            self._display = None
            return
        self._display = np.zeros(mask.shape, np.uint8)
        height, width = mask.shape
        for ty in range(0, (height + TILE - 1) // TILE):
            for tx in range(0, (width + TILE - 1) // TILE):
                tile = LayerItem(axisOrder="row-major")
                tile.setVisible(False)  # until it has something to show
                tile.setParentItem(self.root)
                tile.setPos(tx * TILE, ty * TILE)
                self._tiles[(ty, tx)] = tile
        self.update_rect((0, height, 0, width))

    # --- repaint -------------------------------------------------------------------------------
    def update_rect(self, rect: Rect) -> list[tuple[int, int]]:
        """Redraw ``mask[y0:y1, x0:x1]``; returns the (row, column) indices of the tiles touched."""
        if self._mask is None or self._display is None:
            return []
        height, width = self._mask.shape
        y0, y1, x0, x1 = (int(v) for v in rect)
        if self._outline:  # a pixel's outline state depends on its neighbours
            y0, y1, x0, x1 = y0 - 1, y1 + 1, x0 - 1, x1 + 1
        y0, x0, y1, x1 = max(y0, 0), max(x0, 0), min(y1, height), min(x1, width)
        if y0 >= y1 or x0 >= x1:
            return []
        if self._outline:
            cy0, cx0 = max(y0 - 1, 0), max(x0 - 1, 0)
            crop = self._mask[cy0:min(y1 + 1, height), cx0:min(x1 + 1, width)]
            edge = outline_of(crop)[y0 - cy0:y1 - cy0, x0 - cx0:x1 - cx0]
            self._display[y0:y1, x0:x1] = np.where(edge, self._mask[y0:y1, x0:x1], 0)
        else:
            self._display[y0:y1, x0:x1] = self._mask[y0:y1, x0:x1]
        touched = [(ty, tx) for ty in range(y0 // TILE, (y1 - 1) // TILE + 1)
                   for tx in range(x0 // TILE, (x1 - 1) // TILE + 1)]
        for ty, tx in touched:
            top, left = ty * TILE, tx * TILE
            view = self._display[top:top + TILE, left:left + TILE]
            tile = self._tiles[(ty, tx)]
            changed = QRectF(max(x0 - left, 0), max(y0 - top, 0), min(x1 - left, TILE) - max(x0 - left, 0),
                             min(y1 - top, TILE) - max(y0 - top, 0))
            with tile.updating_only(changed):  # the rest of the tile is as it was (all 0 if hidden)
                tile.setImage(view, autoLevels=False, levels=(0, 255), lut=self._lut)
                shown = bool(view.any())
                if shown != tile.isVisibleTo(self.root):
                    tile.setVisible(shown)
        return touched

    def pixel_rgba(self, x: int, y: int) -> tuple[int, int, int, int]:
        """The RGBA the layer shows at image pixel (x, y) before opacity (for tests)."""
        if self._display is None:
            return (0, 0, 0, 0)
        return tuple(int(v) for v in self._lut[self._display[y, x]])  # type: ignore[return-value]
