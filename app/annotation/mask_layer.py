"""The editable mask drawn over the canvas, repainting only what changed.

The overlay called "annotation mask" (`Canvas.add_overlay`) is an empty ImageItem acting as the
layer's root: visibility set on it applies to the whole mask. Under it the mask is cut into
TILE x TILE child ImageItems (:class:`~app.annotation.mask_edge.MaskTile`); each shows a slice of a
uint8 display buffer through a 256-entry RGBA lookup table: the codes of its fill (none in
"Outline only"), at the user's opacity, and over them the codes of its edge
(:mod:`app.annotation.mask_edge`), opaque: a band along the inside of each region, in its colour,
that stands out from sky, smoke and terrain with every colour vision where the translucent fill
does not. The opacity lives in the table, not on the root, so the edge stays opaque (the canvas's
compositor blends a group with its root's opacity).

A change of ``mask[y0:y1, x0:x1]`` rewrites that rectangle of the buffer and the edge band around
it, and hands back to pyqtgraph only the tiles where a code changed, so a brush segment on a
4000x3000 image costs a few small tiles, never the whole image (`bench/bench_annotation_gui.py`
measures it). Each of those tiles reports only the rectangle of codes that changed to the
compositor (``LayerItem.updating_only``), so the repaint covers the segment's rows of the screen,
not the tile's; a tile with nothing to show (all 0) is hidden, so an empty or sparse mask costs
nothing to draw.
"""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtCore import QRectF

from app.annotation.mask_edge import (
    EDGE_IGNORE,
    EDGE_SMOKE,
    FILL_IGNORE,
    FILL_SMOKE,
    MaskTile,
    display_codes,
    edge_codes,
    is_edge,
)
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
_BIG = 1 << 20  # pixels: an update this large is first cut to the bounding box of what is there


def mask_lut(opacity: float = 1.0) -> np.ndarray:
    """uint8 (256, 4) RGBA lookup table of the display codes (:mod:`app.annotation.mask_edge`): 0
    transparent, the fill's smoke (red) and ignore (cream) with alpha `opacity` (0..1), their edges
    opaque. (Entries 1 and 255, the mask's own values, are the fill's too.)"""
    alpha = round(255 * min(1.0, max(0.0, float(opacity))))
    lut = np.zeros((256, 4), np.uint8)
    lut[[FILL_SMOKE, 1]] = (*ANNOTATION_SMOKE, alpha)
    lut[[FILL_IGNORE, 255]] = (*ANNOTATION_IGNORE, alpha)
    lut[EDGE_SMOKE] = SMOKE_RGBA
    lut[EDGE_IGNORE] = IGNORE_RGBA
    return lut


def _content_box(mask: np.ndarray, display: np.ndarray, box: _Box) -> _Box | None:
    """The bounding box, within `box`, of the non-zero pixels of `mask` and of `display`, or None."""
    y0, y1, x0, x1 = box
    found = [cv2.boundingRect(np.ascontiguousarray(a[y0:y1, x0:x1])) for a in (mask, display)]
    found = [(x, y, w, h) for x, y, w, h in found if w and h]
    if not found:
        return None
    top, left = min(f[1] for f in found), min(f[0] for f in found)
    bottom, right = max(f[1] + f[3] for f in found), max(f[0] + f[2] for f in found)
    return y0 + top, y0 + bottom, x0 + left, x0 + right


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
        self._tiles: dict[tuple[int, int], MaskTile] = {}
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

    @property
    def edge(self) -> np.ndarray | None:
        """The edge codes shown (:func:`~app.annotation.mask_edge.edge_codes` of the mask), 0 elsewhere."""
        if self._display is None:
            return None
        return np.where(is_edge(self._display), self._display, np.uint8(0))

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
                tile = MaskTile()
                tile.setVisible(False)  # until it has something to show
                tile.setParentItem(self.root)
                tile.setPos(tx * TILE, ty * TILE)
                self._tiles[(ty, tx)] = tile
        self.update_rect((0, height, 0, width))

    # --- repaint -------------------------------------------------------------------------------
    def update_rect(self, rect: Rect) -> list[tuple[int, int]]:
        """Redraw mask[y0:y1, x0:x1] and the edge band around it; returns the (ty, tx) tiles handed
        back to pyqtgraph (those where a code shown changed)."""
        if self._mask is None or self._display is None:
            return []
        height, width = self._mask.shape
        y0, y1, x0, x1 = (int(v) for v in rect)
        y0, x0, y1, x1 = max(y0, 0), max(x0, 0), min(y1, height), min(x1, width)
        if y0 >= y1 or x0 >= x1:
            return []
        if (y1 - y0) * (x1 - x0) > _BIG:  # a whole mask: only where it or what is shown has something
            content = _content_box(self._mask, self._display, (y0, y1, x0, x1))
            if content is None:
                return []
            y0, y1, x0, x1 = content
        # A pixel's edge code depends on the pixels within the band's width: the codes can change
        # that far around the rectangle, computed from a crop twice that far out.
        w = ANNOTATION_EDGE_WIDTH
        ey0, ey1, ex0, ex1 = max(y0 - w, 0), min(y1 + w, height), max(x0 - w, 0), min(x1 + w, width)
        cy0, cx0 = max(y0 - 2 * w, 0), max(x0 - 2 * w, 0)
        edges = edge_codes(self._mask[cy0:min(y1 + 2 * w, height), cx0:min(x1 + 2 * w, width)])
        edges = np.ascontiguousarray(edges[ey0 - cy0:ey1 - cy0, ex0 - cx0:ex1 - cx0])
        codes = display_codes(self._mask[ey0:ey1, ex0:ex1], edges, self._outline)
        box = _changed(self._display[ey0:ey1, ex0:ex1], codes, ey0, ex0)
        if box is None:
            return []
        self._display[ey0:ey1, ex0:ex1] = codes
        by0, by1, bx0, bx1 = box
        touched = [(ty, tx) for ty in range(by0 // TILE, (by1 - 1) // TILE + 1)
                   for tx in range(bx0 // TILE, (bx1 - 1) // TILE + 1)]
        for ty, tx in touched:
            top, left = ty * TILE, tx * TILE
            view = self._display[top:top + TILE, left:left + TILE]
            tile = self._tiles[(ty, tx)]
            changed = QRectF(max(bx0 - left, 0), max(by0 - top, 0), min(bx1 - left, TILE) - max(bx0 - left, 0),
                             min(by1 - top, TILE) - max(by0 - top, 0))
            with tile.updating_only(changed):  # the rest of the tile is as it was (all 0 if hidden)
                tile.setImage(view, autoLevels=False, levels=(0, 255), lut=self._lut)
                shown = bool(view.any())
                if shown != tile.isVisibleTo(self.root):
                    tile.setVisible(shown)
        return touched

    def pixel_rgba(self, x: int, y: int) -> tuple[int, int, int, int]:
        """The RGBA the layer shows at image pixel (x, y), the fill's before its opacity (for tests):
        the edge's colour on the edge, else the fill's (alpha 0 where "Outline only" hides it)."""
        if self._display is None:
            return (0, 0, 0, 0)
        return tuple(int(v) for v in mask_lut()[self._display[y, x]])  # type: ignore[return-value]
