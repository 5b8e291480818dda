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
(`bench/bench_annotation_mask_edge.py` times these). From :data:`WORKER_PIXELS` (a 48-96 MP photo's mask,
reopened: 77-640 ms of the GUI thread under load) those codes are computed on a worker
(:class:`~app.analysis.worker_lane.WorkerLane`, as the analysis layers of huge photos are) and shown when
they come (`bench/bench_mask_edge.py`).
"""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtCore import QObject, QRectF, Signal
from PySide6.QtGui import qRgba

from app.analysis.grid_maps import wait_settled
from app.analysis.worker_lane import WorkerLane
from app.annotation.mask_edge import (
    EDGE_IGNORE,
    EDGE_SMOKE,
    FILL_IGNORE,
    FILL_SMOKE,
    MaskTile,
    Scratch,
    changed_codes,
    display_codes,
    is_edge,
)
from app.canvas import OVERLAY_Z, Canvas
from app.layer_item import LayerItem
from app.relay import Relay
from fosp_core.analysis.layers import ANNOTATION_EDGE_WIDTH, ANNOTATION_IGNORE, ANNOTATION_SMOKE
from fosp_core.annotation.history import Rect

__all__ = ["EDGE_OPAQUE_FROM", "LAYER_NAME", "TILE", "WORKER_PIXELS", "MaskLayer", "colour_table", "edge_alpha",
           "mask_lut"]

LAYER_NAME = "annotation mask"
TILE = 512
SMOKE_RGBA = (*ANNOTATION_SMOKE, 255)  # apart from every analysis layer's colour (fosp_core.analysis.layers)
IGNORE_RGBA = (*ANNOTATION_IGNORE, 255)
_Box = tuple[int, int, int, int]  # y0, y1, x0, x1
_BIG = 1 << 20  # pixels: an update this large is first cut to the bounding box of what is there
STRIP = 1 << 18  # pixels: the codes are computed in strips of about this many (scratch kept in cache)
#: A mask set whole (another image's, a reopened one) of this many pixels (16 MP) or more has its codes computed on
#: a worker: 86-190 ms of the GUI thread at 48-96 MP under load (bench/bench_mask_edge.py).
WORKER_PIXELS = 1 << 24


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


class _CodesRelay(Relay):
    """What the codes' worker answers on (:mod:`app.relay`): queued on to `_Answers.ready`."""

    ready = Signal(int, object)


class _Answers(QObject):
    """The GUI thread's end of the codes' worker: `ready` (token, the changed codes), `settled` once no
    answer is awaited any more. A child of the canvas: gone with it, and the answers with it."""

    ready = Signal(int, object)
    settled = Signal()


def _whole_codes(mask: np.ndarray, display: np.ndarray, outline: bool) -> list[tuple[_Box, np.ndarray]]:
    """(box, codes) of every change a whole `mask` makes to `display` (on the worker: its own scratch)."""
    height, width = mask.shape
    box = _content_box(mask, display, (0, height, 0, width))
    if box is None:
        return []
    w = ANNOTATION_EDGE_WIDTH
    y0, y1, x0, x1 = box
    box = (max(y0 - w, 0), min(y1 + w, height), max(x0 - w, 0), min(x1 + w, width))
    return [(found, codes.copy())
            for found, codes in changed_codes(mask, display, box, outline, Scratch(), STRIP, display_codes)]


class MaskLayer:
    """Shows one uint8 (H, W) 0/1/255 mask over the canvas; call `update_rect` after edits. A mask of
    :data:`WORKER_PIXELS` or more set whole has its codes computed on a worker and shows when they come
    (the tiles of the mask shown before, for one of the same shape, until then); an edit meanwhile is
    drawn at once and again over the answer. Reading :attr:`edge` or :meth:`pixel_rgba` waits for it."""

    def __init__(self, canvas: Canvas, name: str = LAYER_NAME, z: float = OVERLAY_Z + 5.0) -> None:
        self.canvas = canvas
        self._lane = WorkerLane("fosp-mask-codes")
        self._answers = _Answers(canvas)
        self._answers.ready.connect(self._take)
        self._relay = _CodesRelay()  # what the worker emits on: its jobs hold the relay, never the canvas's child
        self._relay.forward_to(self._answers, "ready")
        self._answers.destroyed.connect(lambda *_: self._lane.close())
        self._edited: list[Rect] | None = None  # while an answer is awaited: the rects edited meanwhile
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
        self.wait()
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
        self._lane.current += 1  # an answer for the mask shown before is stale
        self._settle()
        old = self._mask
        if mask is not None and old is not None and self._display is not None and mask.shape == old.shape:
            self._mask = mask
            self._set_whole()  # cut to what either holds
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
        self._set_whole()

    def _set_whole(self) -> None:
        """Draw the whole mask: here when small, else on the worker (`_take` shows its answer)."""
        assert self._mask is not None and self._display is not None
        height, width = self._mask.shape
        if height * width < WORKER_PIXELS or not self._lane.alive:
            self.update_rect((0, height, 0, width))
            return
        mask, display, outline, relay = self._mask, self._display, self._outline, self._relay
        if self._lane.submit(self._lane.current, lambda: _whole_codes(mask, display, outline), relay.ready.emit):
            self._edited = []
        else:  # the worker is stopped (the window closes)
            self.update_rect((0, height, 0, width))

    def _take(self, token: int, found: list[tuple[_Box, np.ndarray]]) -> None:
        """The worker's codes of the whole mask: written and handed back, then the edits made meanwhile
        drawn again over them (the worker may have read the mask before them)."""
        if token != self._lane.current or self._edited is None or self._display is None:
            return  # stale: another mask was set meanwhile
        edited, self._edited = self._edited, None
        for (y0, y1, x0, x1), codes in found:
            self._display[y0:y1, x0:x1] = codes
        self._hand_back([box for box, _codes in found])
        for rect in edited:
            self.update_rect(rect)
        self._answers.settled.emit()

    def _settle(self) -> None:
        """No answer awaited any more."""
        if self._edited is not None:
            self._edited = None
            self._answers.settled.emit()

    @property
    def pending(self) -> bool:
        """Whether the worker's codes of a mask set whole are awaited."""
        return self._edited is not None

    def wait(self) -> None:
        """Return once the codes awaited are shown (at once when none are; the GUI thread's events run
        meanwhile)."""
        wait_settled(self._answers.settled, lambda: self.pending)

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
        if self._edited is not None:  # drawn now, and again over the worker's answer: the whole rect, as the
            self._edited.append((y0, y1, x0, x1))  # answer may show there what the edit removed (not cut here)
        if (y1 - y0) * (x1 - x0) > _BIG:  # a whole mask: only where it or what is shown has something
            content = _content_box(self._mask, self._display, (y0, y1, x0, x1))
            if content is None:
                return []
            y0, y1, x0, x1 = content
        # A pixel's code depends on the pixels within the band's width: the codes can change that
        # far around the rectangle.
        w = ANNOTATION_EDGE_WIDTH
        return self._hand_back(self._redraw_codes((max(y0 - w, 0), min(y1 + w, height), max(x0 - w, 0),
                                                   min(x1 + w, width))))

    def _hand_back(self, changed: list[_Box]) -> list[tuple[int, int]]:
        """Hand back to pyqtgraph the tiles of the `changed` boxes of codes; returns them (ty, tx)."""
        assert self._display is not None
        rects: dict[tuple[int, int], _Box] = {}  # tile -> the bounding box of its changed codes
        for by0, by1, bx0, bx1 in changed:
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
        those that changed (one per strip of about :data:`STRIP` pixels that changed:
        :func:`~app.annotation.mask_edge.changed_codes`)."""
        assert self._mask is not None and self._display is not None
        found: list[_Box] = []
        for (y0, y1, x0, x1), codes in changed_codes(self._mask, self._display, box, self._outline, self._scratch,
                                                     STRIP, display_codes):
            self._display[y0:y1, x0:x1] = codes
            found.append((y0, y1, x0, x1))
        return found

    def pixel_rgba(self, x: int, y: int) -> tuple[int, int, int, int]:
        """The RGBA the layer shows at image pixel (x, y), the fill's before its opacity (for tests):
        the edge's colour on the edge, else the fill's (alpha 0 where "Outline only" hides it)."""
        self.wait()
        if self._display is None:
            return (0, 0, 0, 0)
        return tuple(int(v) for v in mask_lut()[self._display[y, x]])  # type: ignore[return-value]
