"""The editable mask drawn over the canvas, repainting only what changed.

The overlay called "annotation mask" (`Canvas.add_overlay`) is an empty ImageItem acting as the
layer's root: visibility set on it applies to the whole mask. Under it the mask is cut into
TILE x TILE child ImageItems of two kinds:

* fill tiles, each a slice of a uint8 display buffer (the mask's values, or nothing in "Outline
  only") through a 256-entry RGBA lookup table whose alpha is the user's opacity;
* edge tiles over them (:mod:`app.annotation.mask_edge`), each a slice of an edge buffer drawn
  opaque: a band along the inside of each region, in its colour, that stands out from sky, smoke
  and terrain with every colour vision where the translucent fill does not.

The opacity lives in the fill's table, not on the root, so the edge stays opaque (the canvas's
compositor blends a group with its root's opacity). A change of ``mask[y0:y1, x0:x1]`` rewrites
that rectangle of the display buffer and the edge band around it, and hands back to pyqtgraph only
the tiles where a pixel shown changed, so a brush segment on a 4000x3000 image costs a few small
tiles, never the whole image (`bench/bench_annotation_gui.py` measures it). Each of those tiles
reports only the rectangle of pixels that changed to the compositor (``LayerItem.updating_only``),
so the repaint covers the segment's rows of the screen, not the tile's; a tile with nothing to
show (all 0) is hidden, so an empty or sparse mask costs nothing to draw.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF

from app.annotation.mask_edge import EdgeTile, edge_codes, edge_lut
from app.canvas import OVERLAY_Z, Canvas
from app.layer_item import LayerItem
from fosp_core.analysis.layers import ANNOTATION_EDGE_WIDTH, ANNOTATION_IGNORE, ANNOTATION_SMOKE
from fosp_core.annotation.history import Rect

__all__ = ["LAYER_NAME", "TILE", "MaskLayer", "mask_lut"]

LAYER_NAME = "annotation mask"
TILE = 512
SMOKE_RGBA = (*ANNOTATION_SMOKE, 255)  # apart from every analysis layer's colour (fosp_core.analysis.layers)
IGNORE_RGBA = (*ANNOTATION_IGNORE, 255)
_Box = tuple[int, int, int, int]  # y0, y1, x0, x1


def mask_lut(opacity: float = 1.0) -> np.ndarray:
    """uint8 (256, 4) RGBA lookup table of the fill: 0 transparent, 1 smoke (red), 255 ignore
    (cream), both with alpha `opacity` (0..1)."""
    alpha = round(255 * min(1.0, max(0.0, float(opacity))))
    lut = np.zeros((256, 4), np.uint8)
    lut[1] = (*ANNOTATION_SMOKE, alpha)
    lut[255] = (*ANNOTATION_IGNORE, alpha)
    return lut


def _changed(old: np.ndarray, new: np.ndarray, top: int, left: int) -> _Box | None:
    """The bounding box (image coordinates) of the pixels where `new` differs from `old` (two
    arrays of one shape whose [0, 0] is image pixel (left, top)), or None."""
    diff = old != new
    rows = np.flatnonzero(diff.any(axis=1))
    if not len(rows):
        return None
    cols = np.flatnonzero(diff[rows[0]:rows[-1] + 1].any(axis=0))
    return top + int(rows[0]), top + int(rows[-1]) + 1, left + int(cols[0]), left + int(cols[-1]) + 1


class MaskLayer:
    """Shows one uint8 (H, W) 0/1/255 mask over the canvas; call `update_rect` after edits."""

    def __init__(self, canvas: Canvas, name: str = LAYER_NAME, z: float = OVERLAY_Z + 5.0) -> None:
        self.canvas = canvas
        self.root: LayerItem = canvas.add_overlay(name, z)
        self._opacity = 1.0
        self._lut = mask_lut(self._opacity)
        self._edge_lut = edge_lut()
        self._tiles: dict[tuple[int, int], LayerItem] = {}
        self._edge_tiles: dict[tuple[int, int], EdgeTile] = {}
        self._mask: np.ndarray | None = None
        self._display: np.ndarray | None = None
        self._edge: np.ndarray | None = None
        self._outline = False

    # --- state ---------------------------------------------------------------------------------
    @property
    def mask(self) -> np.ndarray | None:
        return self._mask

    @property
    def outline(self) -> bool:
        return self._outline

    @property
    def edge(self) -> np.ndarray | None:
        """The edge codes shown (:func:`~app.annotation.mask_edge.edge_codes` of the mask; read only)."""
        return self._edge

    @property
    def opacity(self) -> float:
        """The fill's opacity (the edge is opaque)."""
        return self._opacity

    def set_opacity(self, opacity: float) -> None:
        """Draw the fill at `opacity` (0..1); the edge stays opaque."""
        opacity = min(1.0, max(0.0, float(opacity)))
        if opacity == self._opacity:
            return
        self._opacity = opacity
        self._lut = mask_lut(opacity)
        for tile in self._tiles.values():  # a hidden tile takes the table with its next image
            tile.setLookupTable(self._lut, update=tile.isVisibleTo(self.root))

    def set_visible(self, visible: bool) -> None:
        self.root.setVisible(visible)

    def set_outline(self, outline: bool) -> None:
        """Draw only the edge of each region (True) or the edge over the fill (False)."""
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
            if mask.any() or self._display.any() or (self._edge is not None and self._edge.any()):
                self.update_rect((0, mask.shape[0], 0, mask.shape[1]))
            return
        for tile in [*self._tiles.values(), *self._edge_tiles.values()]:
            tile.setParentItem(None)
            scene = tile.scene()
            if scene is not None:
                scene.removeItem(tile)
        self._tiles, self._edge_tiles = {}, {}
        self._mask = mask
        if mask is None:
            self._display = self._edge = None
            return
        self._display = np.zeros(mask.shape, np.uint8)
        self._edge = np.zeros(mask.shape, np.uint8)
        height, width = mask.shape
        for ty in range(0, (height + TILE - 1) // TILE):
            for tx in range(0, (width + TILE - 1) // TILE):
                for tiles, tile in ((self._tiles, LayerItem(axisOrder="row-major")), (self._edge_tiles, EdgeTile())):
                    tile.setVisible(False)  # until it has something to show
                    tile.setParentItem(self.root)
                    tile.setPos(tx * TILE, ty * TILE)
                    tiles[(ty, tx)] = tile
                self._edge_tiles[(ty, tx)].setZValue(1.0)  # over every fill tile
        self.update_rect((0, height, 0, width))

    # --- repaint -------------------------------------------------------------------------------
    def update_rect(self, rect: Rect) -> list[tuple[int, int]]:
        """Redraw mask[y0:y1, x0:x1] (and the edge band around it); returns the (ty, tx) tiles
        handed back to pyqtgraph."""
        if self._mask is None or self._display is None or self._edge is None:
            return []
        height, width = self._mask.shape
        y0, y1, x0, x1 = (int(v) for v in rect)
        y0, x0, y1, x1 = max(y0, 0), max(x0, 0), min(y1, height), min(x1, width)
        if y0 >= y1 or x0 >= x1:
            return []
        fill = np.zeros((y1 - y0, x1 - x0), np.uint8) if self._outline else self._mask[y0:y1, x0:x1]
        fill_box = _changed(self._display[y0:y1, x0:x1], fill, y0, x0)
        if fill_box is not None:
            self._display[y0:y1, x0:x1] = fill
        # A pixel's edge code depends on the pixels within the band's width: recompute the band
        # around the rectangle from a crop twice that far out.
        w = ANNOTATION_EDGE_WIDTH
        ey0, ey1, ex0, ex1 = max(y0 - w, 0), min(y1 + w, height), max(x0 - w, 0), min(x1 + w, width)
        cy0, cx0 = max(y0 - 2 * w, 0), max(x0 - 2 * w, 0)
        codes = edge_codes(self._mask[cy0:min(y1 + 2 * w, height), cx0:min(x1 + 2 * w, width)])
        codes = codes[ey0 - cy0:ey1 - cy0, ex0 - cx0:ex1 - cx0]
        edge_box = _changed(self._edge[ey0:ey1, ex0:ex1], codes, ey0, ex0)
        if edge_box is not None:
            self._edge[ey0:ey1, ex0:ex1] = codes
        touched = self._hand_back(self._tiles, self._display, self._lut, fill_box)
        touched += self._hand_back(self._edge_tiles, self._edge, self._edge_lut, edge_box)
        return sorted(set(touched))

    def _hand_back(self, tiles: dict[tuple[int, int], LayerItem] | dict[tuple[int, int], EdgeTile],
                   buffer: np.ndarray, lut: np.ndarray, box: _Box | None) -> list[tuple[int, int]]:
        """Give the tiles of `tiles` that `box` touches their slice of `buffer` again, each repainting
        only its part of `box`; returns their keys."""
        if box is None:
            return []
        y0, y1, x0, x1 = box
        touched = [(ty, tx) for ty in range(y0 // TILE, (y1 - 1) // TILE + 1)
                   for tx in range(x0 // TILE, (x1 - 1) // TILE + 1)]
        for ty, tx in touched:
            top, left = ty * TILE, tx * TILE
            view = buffer[top:top + TILE, left:left + TILE]
            tile = tiles[(ty, tx)]
            changed = QRectF(max(x0 - left, 0), max(y0 - top, 0), min(x1 - left, TILE) - max(x0 - left, 0),
                             min(y1 - top, TILE) - max(y0 - top, 0))
            with tile.updating_only(changed):  # the rest of the tile is as it was (all 0 if hidden)
                tile.setImage(view, autoLevels=False, levels=(0, 255), lut=lut)
                shown = bool(view.any())
                if shown != tile.isVisibleTo(self.root):
                    tile.setVisible(shown)
        return touched

    def pixel_rgba(self, x: int, y: int) -> tuple[int, int, int, int]:
        """The RGBA the layer shows at image pixel (x, y), the fill's before its opacity (for tests):
        the edge's colour on the edge, else the fill's (alpha 0 where "Outline only" hides it)."""
        if self._display is None or self._edge is None:
            return (0, 0, 0, 0)
        if self._edge[y, x]:
            return tuple(int(v) for v in self._edge_lut[self._edge[y, x]])  # type: ignore[return-value]
        return tuple(int(v) for v in mask_lut()[self._display[y, x]])  # type: ignore[return-value]
