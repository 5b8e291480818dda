"""The editable mask drawn over the canvas, repainting only what changed.

The overlay called "annotation mask" (`Canvas.add_overlay`) is an empty ImageItem acting as the
layer's root: visibility set on it applies to the whole mask. Under it the mask is cut into
TILE x TILE child ImageItems (:class:`~app.annotation.mask_edge.MaskTile`); each shows a slice of a
uint8 display buffer through a 256-entry RGBA lookup table: the codes of its fill (none in
"Outline only"), at the user's opacity, and over them the codes of its edge
(:mod:`app.annotation.mask_edge`): a band along the inside of each region, in its colour, opaque
from :data:`EDGE_OPAQUE_FROM` (the default 50 %) up, that stands out from sky, smoke and terrain
with every colour vision where the translucent fill does not. Below it the edge fades with the
fill (:func:`edge_alpha`), so at 0 % nothing of the mask is drawn: the opacity slider governs the
whole layer, outline included, as napari's layer opacity does, while the default keeps the edge
opaque. The opacity lives in the table, not on the root (the canvas's compositor blends a group
with its root's opacity: the edge could not be opaque over a 50 % fill); changing it recolours the
tiles' rendered pictures (Indexed8, the table as their colours), computing and downsampling nothing.

A change of ``mask[y0:y1, x0:x1]`` rewrites that rectangle of the buffer and the edge band around
it, and hands back to pyqtgraph only the tiles where a code changed, so a brush segment on a
4000x3000 image costs a few small tiles, never the whole image (`bench/bench_annotation_gui.py`
measures it). Each of those tiles reports only the rectangle of codes that changed to the
compositor (``LayerItem.updating_only``), so the repaint covers the segment's rows of the screen,
not the tile's; a tile with nothing to show (all 0) is hidden, so an empty or sparse mask costs
nothing to draw. A whole-mask change (a video frame, another image's mask) is cut to the bounding
box of what the mask and the buffer hold, computed in strips of :data:`STRIP` pixels into reused
buffers and handed back only where a strip changed; a mask of another shape moves the tiles it can
(`bench/bench_annotation_mask_edge.py` times these).
"""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import qRgba

from app.annotation.mask_edge import (
    EDGE_IGNORE,
    EDGE_SMOKE,
    FILL_IGNORE,
    FILL_SMOKE,
    MaskTile,
    Scratch,
    display_codes,
    is_edge,
)
from app.canvas import OVERLAY_Z, Canvas
from app.layer_item import LayerItem
from fosp_core.analysis.layers import ANNOTATION_EDGE_WIDTH, ANNOTATION_IGNORE, ANNOTATION_SMOKE
from fosp_core.annotation.history import Rect

__all__ = ["EDGE_OPAQUE_FROM", "LAYER_NAME", "TILE", "MaskLayer", "colour_table", "edge_alpha", "mask_lut"]

LAYER_NAME = "annotation mask"
TILE = 512
SMOKE_RGBA = (*ANNOTATION_SMOKE, 255)  # apart from every analysis layer's colour (fosp_core.analysis.layers)
IGNORE_RGBA = (*ANNOTATION_IGNORE, 255)
_Box = tuple[int, int, int, int]  # y0, y1, x0, x1
_BIG = 1 << 20  # pixels: an update this large is first cut to the bounding box of what is there
STRIP = 1 << 18  # pixels: the codes are computed in strips of about this many (scratch kept in cache)


#: The fill opacity from which the edge is opaque: the Annotate dock's default
#: (:class:`~fosp_core.annotation.tool_state.ToolState`'s 50 %), where the colour-vision figures
#: above were measured (tests/unit/test_layers_colours.py).
EDGE_OPAQUE_FROM = 0.5


def edge_alpha(opacity: float) -> float:
    """The edge's opacity (0..1) over a fill at `opacity` (0..1): 1 from :data:`EDGE_OPAQUE_FROM`
    up, below it fading linearly with the fill to 0 at 0 (a user who slides the mask to 0 % sees
    the image, not a 2-pixel outline; no step on the way down)."""
    opacity = min(1.0, max(0.0, float(opacity)))
    return min(1.0, opacity / EDGE_OPAQUE_FROM)


def mask_lut(opacity: float = 1.0) -> np.ndarray:
    """uint8 (256, 4) RGBA lookup table of the display codes (:mod:`app.annotation.mask_edge`): 0
    transparent, the fill's smoke (red) and ignore (cream) with alpha `opacity` (0..1), their edges
    with alpha :func:`edge_alpha` (opaque at the default 50 % and above, none at 0). (Entries 1 and
    255, the mask's own values, are the fill's too.)"""
    alpha = round(255 * min(1.0, max(0.0, float(opacity))))
    edge = round(255 * edge_alpha(opacity))
    lut = np.zeros((256, 4), np.uint8)
    lut[[FILL_SMOKE, 1]] = (*ANNOTATION_SMOKE, alpha)
    lut[[FILL_IGNORE, 255]] = (*ANNOTATION_IGNORE, alpha)
    lut[EDGE_SMOKE] = (*ANNOTATION_SMOKE, edge)
    lut[EDGE_IGNORE] = (*ANNOTATION_IGNORE, edge)
    return lut


def colour_table(lut: np.ndarray) -> list[int]:
    """The Qt colour table (ARGB ints) of a (256, 4) RGBA lookup table."""
    return [qRgba(*rgba) for rgba in lut.tolist()]


def _content_box(mask: np.ndarray, display: np.ndarray, box: _Box) -> _Box | None:
    """The bounding box, within `box`, of the non-zero pixels of `mask` and of `display`, or None."""
    y0, y1, x0, x1 = box
    found = [cv2.boundingRect(a[y0:y1, x0:x1]) for a in (mask, display)]
    found = [(x, y, w, h) for x, y, w, h in found if w and h]
    if not found:
        return None
    top, left = min(f[1] for f in found), min(f[0] for f in found)
    bottom, right = max(f[1] + f[3] for f in found), max(f[0] + f[2] for f in found)
    return y0 + top, y0 + bottom, x0 + left, x0 + right


class MaskLayer:
    """Shows one uint8 (H, W) 0/1/255 mask over the canvas; call `update_rect` after edits."""

    def __init__(self, canvas: Canvas, name: str = LAYER_NAME, z: float = OVERLAY_Z + 5.0) -> None:
        self.canvas = canvas
        self.root: LayerItem = canvas.add_overlay(name, z)
        self._opacity = 1.0
        self._lut = mask_lut(self._opacity)
        self._colours = colour_table(self._lut)
        self._scratch = Scratch()
        self._tiles: dict[tuple[int, int], MaskTile] = {}
        self._spare: list[MaskTile] = []  # tiles of an earlier grid, hidden, while no mask is shown
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
        """The fill's opacity (the edge's is :func:`edge_alpha` of it)."""
        return self._opacity

    def set_opacity(self, opacity: float) -> None:
        """Draw the fill at `opacity` (0..1) and the edge at :func:`edge_alpha` of it (opaque from the
        default 50 % up, nothing at 0): the tiles' pictures are recoloured, nothing is computed."""
        opacity = min(1.0, max(0.0, float(opacity)))
        if opacity == self._opacity:
            return
        self._opacity = opacity
        self._lut = mask_lut(opacity)
        self._colours = colour_table(self._lut)
        for tile in self._tiles.values():  # the pictures recoloured: no code computed, no tile downsampled
            tile.set_table(self._lut, self._colours)

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
            self.update_rect((0, mask.shape[0], 0, mask.shape[1]))  # cut to what either holds
            return
        spare = self._spare + list(self._tiles.values())  # hidden and emptied, for the next mask's grid
        for tile in self._tiles.values():
            if tile.image is not None:
                tile.setVisible(False)
                tile.clear()  # holds no view of the old buffer
        self._tiles = {}
        self._mask = mask
        if mask is None:
            self._display, self._spare = None, spare
            return
        self._display, self._spare = np.zeros(mask.shape, np.uint8), []
        height, width = mask.shape
        for ty in range(0, (height + TILE - 1) // TILE):
            for tx in range(0, (width + TILE - 1) // TILE):
                if spare:  # another image's tile: cheaper moved than made (and unmade) again
                    tile = spare.pop()
                else:
                    tile = MaskTile(self._lut, self._colours)
                    tile.setVisible(False)  # until it has something to show
                    tile.setParentItem(self.root)
                tile.setPos(tx * TILE, ty * TILE)
                self._tiles[(ty, tx)] = tile
        for tile in spare:  # more than this grid needs
            tile.setParentItem(None)
            scene = tile.scene()
            if scene is not None:
                scene.removeItem(tile)
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
        # A pixel's code depends on the pixels within the band's width: the codes can change that
        # far around the rectangle.
        w = ANNOTATION_EDGE_WIDTH
        rects: dict[tuple[int, int], _Box] = {}  # tile -> the bounding box of its changed codes
        for by0, by1, bx0, bx1 in self._redraw_codes((max(y0 - w, 0), min(y1 + w, height), max(x0 - w, 0),
                                                      min(x1 + w, width))):
            for ty in range(by0 // TILE, (by1 - 1) // TILE + 1):
                for tx in range(bx0 // TILE, (bx1 - 1) // TILE + 1):
                    top, left = ty * TILE, tx * TILE
                    part = (max(by0, top), min(by1, top + TILE), max(bx0, left), min(bx1, left + TILE))
                    had = rects.get((ty, tx), part)
                    rects[(ty, tx)] = (min(had[0], part[0]), max(had[1], part[1]), min(had[2], part[2]),
                                       max(had[3], part[3]))
        touched = sorted(rects)
        for ty, tx in touched:
            top, left = ty * TILE, tx * TILE
            view = self._display[top:top + TILE, left:left + TILE]
            tile = self._tiles[(ty, tx)]
            cy0, cy1, cx0, cx1 = rects[(ty, tx)]
            with tile.updating_only(QRectF(cx0 - left, cy0 - top, cx1 - cx0, cy1 - cy0)):  # the rest is as it was
                tile.setImage(view, autoLevels=False, levels=(0, 255))  # through the tile's table
                shown = bool(view.any())
                if shown != tile.isVisibleTo(self.root):
                    tile.setVisible(shown)
        return touched

    def _redraw_codes(self, box: _Box) -> list[_Box]:
        """Write the display codes of `box` (y0, y1, x0, x1) into the buffer; the bounding boxes of
        those that changed (one per strip that changed). Done in strips of about :data:`STRIP` pixels, each computed from
        its crop and the band's width around it: the scratch stays in the cache, and a 12 MP mask
        allocates nothing."""
        assert self._mask is not None and self._display is not None
        mask, display, scratch = self._mask, self._display, self._scratch
        height, width = mask.shape
        w = ANNOTATION_EDGE_WIDTH
        ey0, ey1, ex0, ex1 = box
        cx0, cx1 = max(ex0 - w, 0), min(ex1 + w, width)
        rows = max(STRIP // (cx1 - cx0), 4 * w)
        found: list[_Box] = []
        for sy0 in range(ey0, ey1, rows):
            sy1 = min(sy0 + rows, ey1)
            cy0 = max(sy0 - w, 0)
            codes = display_codes(mask[cy0:min(sy1 + w, height), cx0:cx1], self._outline, scratch=scratch)
            codes = codes[sy0 - cy0:sy1 - cy0, ex0 - cx0:ex1 - cx0]
            shown = display[sy0:sy1, ex0:ex1]
            x, y, bw, bh = cv2.boundingRect(cv2.compare(shown, codes, cv2.CMP_NE, dst=scratch.spare(codes.shape)))
            if bw:
                shown[y:y + bh, x:x + bw] = codes[y:y + bh, x:x + bw]
                found.append((sy0 + y, sy0 + y + bh, ex0 + x, ex0 + x + bw))
        return found

    def pixel_rgba(self, x: int, y: int) -> tuple[int, int, int, int]:
        """The RGBA the layer shows at image pixel (x, y), the fill's before its opacity (for tests):
        the edge's colour on the edge, else the fill's (alpha 0 where "Outline only" hides it)."""
        if self._display is None:
            return (0, 0, 0, 0)
        return tuple(int(v) for v in mask_lut()[self._display[y, x]])  # type: ignore[return-value]
