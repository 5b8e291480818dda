"""The annotation mask's edge: an opaque band along the inside of each region, seen at every zoom.

The mask's fill is drawn at the user's opacity (50 % by default), and at 50 % no colour stands out
from every demo background with every colour vision (tests/unit/test_layers_colours.py: the red
smoke fill was 7.7 ΔE00 from a demo image's dark terrain to a protanope, the cream ignore fill 6.0
from light smoke to a tritanope). So each region is also edged at full opacity in its own colour
(the red smoke edge is 16.4 ΔE00 from every demo background, the cream ignore edge 12.4) at that
default and above; below it the edge fades with the fill, to nothing at 0 %
(:func:`app.annotation.mask_layer.edge_alpha`: the opacity slider governs the whole mask).

The edge is :data:`~fosp_core.analysis.layers.ANNOTATION_EDGE_WIDTH` image pixels wide, inside the
region (:func:`edge_codes`: a mask pixel with a pixel of another value within that 4-distance). It
shares the mask's display buffer and tiles (:mod:`app.annotation.mask_layer`): the buffer holds the
fill's codes (:data:`FILL_SMOKE`, :data:`FILL_IGNORE`) and, over them, the edge's (:data:`EDGE_SMOKE`,
:data:`EDGE_IGNORE`), drawn through one lookup table, so a brush segment adds no item to draw and an
opacity change only recolours the tiles' pictures. It is recomputed in the segment's rectangle and
that width around it: its cost follows the segment, not the image. A whole-mask change (a video
frame, another image) computes fill and edge together (:func:`display_codes`: seven cv2 passes, no
table) in strips into reused :class:`Scratch` buffers. Below 100 % zoom a :class:`MaskTile` shows,
for each block of pixels a screen pixel covers, the code of highest rank in it (:func:`block_max`: an
edge over a fill over nothing),
so the band stays at least one screen pixel wide at zoom to fit of a 12 MP image (drawn scaled, a
2-pixel band at 30 % would mostly fall between the sampled pixels).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import cv2
import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QImage

from app.layer_item import LayerItem
from fosp_core.analysis.layers import ANNOTATION_EDGE_WIDTH

__all__ = ["EDGE_IGNORE", "EDGE_SMOKE", "FILL_IGNORE", "FILL_SMOKE", "MaskTile", "Scratch", "block_max",
           "changed_codes", "display_codes", "edge_codes", "is_edge"]

#: The display buffer's codes, in rank order (a block of them downsampled shows its largest: an edge
#: over a fill, ignore over smoke, anything over nothing).
#: display_codes counts on them: a fill's code is min(mask value, 2), an edge's its fill's + 2.
FILL_SMOKE, FILL_IGNORE, EDGE_SMOKE, EDGE_IGNORE = 1, 2, 3, 4
_CODE_ARRAYS = 3  # the Scratch buffers display_codes takes; one more is the caller's (Scratch.spare)


def _diamond(radius: int) -> np.ndarray:
    """uint8 structuring element: the pixels within 4-distance `radius` of the centre."""
    y, x = np.mgrid[-radius:radius + 1, -radius:radius + 1]
    return (np.abs(y) + np.abs(x) <= radius).astype(np.uint8)


_DIAMONDS: dict[int, np.ndarray] = {}


class Scratch:
    """Reusable uint8 buffers for :func:`display_codes` and its caller (each pass of a 12 MP
    whole-mask change wrote a new 5-MB array; these are written again at the next call). Not
    thread-safe: one per GUI-thread user."""

    def __init__(self) -> None:
        self._buffers: list[np.ndarray] = [np.empty(0, np.uint8) for _ in range(_CODE_ARRAYS + 1)]

    def arrays(self, shape: tuple[int, int]) -> list[np.ndarray]:
        """:data:`_CODE_ARRAYS` contiguous uint8 arrays of `shape` (contents undefined), valid until
        the next call (:func:`display_codes`'s)."""
        size = shape[0] * shape[1]
        for i in range(_CODE_ARRAYS):
            if self._buffers[i].size < size:
                self._buffers[i] = np.empty(size, np.uint8)
        return [buffer[:size].reshape(shape) for buffer in self._buffers[:_CODE_ARRAYS]]

    def spare(self, shape: tuple[int, int]) -> np.ndarray:
        """A contiguous uint8 array of `shape` in the buffer :func:`display_codes` leaves alone (its
        result stays valid)."""
        size = shape[0] * shape[1]
        if self._buffers[-1].size < size:
            self._buffers[-1] = np.empty(size, np.uint8)
        return self._buffers[-1][:size].reshape(shape)


def display_codes(mask: np.ndarray, outline: bool = False, width: int = ANNOTATION_EDGE_WIDTH,
                  scratch: Scratch | None = None) -> np.ndarray:
    """The display codes of a 0/1/255 uint8 `mask` (any strides; a crop of the document's mask):
    :data:`EDGE_SMOKE` / :data:`EDGE_IGNORE` on the non-zero pixels with a pixel of another value
    within 4-distance `width`, else the fill's :data:`FILL_SMOKE` / :data:`FILL_IGNORE` (0 with
    `outline`), 0 on 0. The array's border counts as more of the same value (a crop's border adds no
    false edge, and a region running off the image has none there).

    Seven cv2 passes over the crop, written into `scratch`'s buffers (the result is its first one,
    valid until its next use; a fresh one without `scratch`): no LUT (cv2's took 1-9 ms per 5 MP
    here) and no temporary."""
    if scratch is None:
        scratch = Scratch()
    source = mask if mask.dtype == np.uint8 else mask.astype(np.uint8)
    codes, low, high = scratch.arrays(source.shape)
    cv2.min(source, 2, dst=codes)  # the fill: 0, FILL_SMOKE (1), FILL_IGNORE (2, from 255)
    diamond = _DIAMONDS.get(width)
    if diamond is None:
        diamond = _DIAMONDS.setdefault(width, _diamond(width))
    cv2.erode(codes, diamond, dst=low, borderType=cv2.BORDER_REPLICATE)
    cv2.dilate(codes, diamond, dst=high, borderType=cv2.BORDER_REPLICATE)
    cv2.compare(low, high, cv2.CMP_NE, dst=low)  # low <= value <= high: another value near (255)
    cv2.bitwise_and(low, EDGE_SMOKE - FILL_SMOKE, dst=high)
    cv2.add(codes, high, dst=codes, mask=codes)  # an edge is its fill's code + 2, on non-zero pixels
    if outline:
        cv2.bitwise_and(codes, low, dst=codes)  # the edge alone
    return codes


def changed_codes(mask: np.ndarray, display: np.ndarray, box: tuple[int, int, int, int], outline: bool,
                  scratch: Scratch, strip: int, codes_of: Callable[..., np.ndarray] | None = None,
                  ) -> Iterator[tuple[tuple[int, int, int, int], np.ndarray]]:
    """The display codes of `mask` in `box` (y0, y1, x0, x1) where they differ from `display`'s: for each
    strip of about `strip` pixels that holds a change, (the bounding box of its changes, their codes),
    the codes a view of `scratch` valid until the next strip (copy them to keep them). Each strip is
    computed from its crop and the band's width around it, so the scratch stays in the cache and a
    12 MP mask allocates nothing. Reads `mask` and `display` only: a worker thread may call it.
    `codes_of`: the function computing a crop's codes (:func:`display_codes`, the caller's name for it)."""
    codes_of = display_codes if codes_of is None else codes_of
    height, width = mask.shape
    w = ANNOTATION_EDGE_WIDTH
    ey0, ey1, ex0, ex1 = box
    cx0, cx1 = max(ex0 - w, 0), min(ex1 + w, width)
    rows = max(strip // (cx1 - cx0), 4 * w)
    for sy0 in range(ey0, ey1, rows):
        sy1 = min(sy0 + rows, ey1)
        cy0 = max(sy0 - w, 0)
        codes = codes_of(mask[cy0:min(sy1 + w, height), cx0:cx1], outline, scratch=scratch)
        codes = codes[sy0 - cy0:sy1 - cy0, ex0 - cx0:ex1 - cx0]
        shown = display[sy0:sy1, ex0:ex1]
        x, y, bw, bh = cv2.boundingRect(cv2.compare(shown, codes, cv2.CMP_NE, dst=scratch.spare(codes.shape)))
        if bw:
            yield (sy0 + y, sy0 + y + bh, ex0 + x, ex0 + x + bw), codes[y:y + bh, x:x + bw]


def edge_codes(mask: np.ndarray, width: int = ANNOTATION_EDGE_WIDTH) -> np.ndarray:
    """uint8 array of `mask`'s shape (0/1/255 values): :data:`EDGE_SMOKE` / :data:`EDGE_IGNORE` on
    the non-zero pixels with a pixel of another value within 4-distance `width`, 0 elsewhere (the
    :func:`display_codes` of "Outline only", computed from scratch)."""
    return display_codes(mask, outline=True, width=width)


def is_edge(codes: np.ndarray) -> np.ndarray:
    """bool: where display codes `codes` are an edge's."""
    return codes >= EDGE_SMOKE


def block_max(image: np.ndarray, xds: int, yds: int) -> np.ndarray:
    """uint8 (H // yds, W // xds): the largest value of each (xds x yds) block of 2-D uint8 `image`
    (the partial blocks at the right and bottom are dropped, as pyqtgraph's downsample drops them)."""
    height, width = image.shape[0] // yds, image.shape[1] // xds
    block = image[: height * yds, : width * xds]
    rows = block[0::yds].copy()
    for k in range(1, yds):
        np.maximum(rows, block[k::yds], out=rows)
    out = rows[:, 0::xds].copy()
    for k in range(1, xds):
        np.maximum(out, rows[:, k::xds], out=out)
    return out


class MaskTile(LayerItem):
    """A tile of display codes, shown below 100 % zoom as the :func:`block_max` of each block (no
    display pyramid: a tile is small and changes with every stroke), as an Indexed8 QImage whose
    colour table is the layer's (:meth:`set_table`)."""

    def __init__(self, lut: np.ndarray | None = None, colours: list[int] | None = None) -> None:
        super().__init__(axisOrder="row-major")
        self.pyramid.enabled = False
        self.setAutoDownsample(True)
        self.lut, self.colours = lut, colours

    def set_table(self, lut: np.ndarray, colours: list[int]) -> None:
        """Show the codes through `lut` (256 x RGBA), `colours` its Qt colour table. The picture
        already rendered is recoloured, not rendered again: an opacity change downsamples nothing."""
        self.lut, self.colours = lut, colours  # pyqtgraph's setLookupTable, without its render
        qimage = self.qimage
        if qimage is not None and not self._renderRequired and qimage.format() == QImage.Format.Format_Indexed8:
            qimage.setColorTable(colours)
        else:
            self._renderRequired = True
        if self.isVisible():
            self.update()

    def render_now(self) -> None:
        """The codes (their :func:`block_max` at the view's downsample factors) as an Indexed8
        QImage with :attr:`colours` as its table (pyqtgraph's render without a table: its own)."""
        image = self.image
        xds, yds = self._computeDownsampleFactors() if image is not None else (None, None)
        if (image is None or xds is None or yds is None or self.colours is None or image.ndim != 2
                or image.dtype != np.uint8 or image.shape[0] < yds or image.shape[1] < xds):
            pg.ImageItem.render(self)
            return
        codes = block_max(image, xds, yds) if xds * yds > 1 else np.ascontiguousarray(image)
        qimage = pg.functions.ndarray_to_qimage(codes, QImage.Format.Format_Indexed8)  # keeps `codes`
        qimage.setColorTable(self.colours)
        self.qimage, self._lastDownsample = qimage, (xds, yds)
        self._processingBuffer = self._displayBuffer = None
        self._renderRequired = self._unrenderable = False
