"""The annotation mask's edge: an opaque band along the inside of each region, seen at every zoom.

The mask's fill is drawn at the user's opacity (50 % by default), and at 50 % no colour stands out
from every demo background with every colour vision (tests/unit/test_layers_colours.py: the red
smoke fill was 7.7 ΔE00 from a demo image's dark terrain to a protanope, the cream ignore fill 6.0
from light smoke to a tritanope). So each region is also edged at full opacity in its own colour
(the red smoke edge is 16.4 ΔE00 from every demo background, the cream ignore edge 12.4).

The edge is :data:`~fosp_core.analysis.layers.ANNOTATION_EDGE_WIDTH` image pixels wide, inside the
region (:func:`edge_codes`: a mask pixel with a pixel of another value within that 4-distance).
A brush segment recomputes it in the segment's rectangle and that width around it, so its cost
follows the segment, not the image. Each 512² tile of the mask has an :class:`EdgeTile` over its
fill tile; below 100 % zoom the tile shows the *maximum* of each block of pixels the screen
pixel covers (:func:`block_max`), so a block holding any edge pixel is drawn as edge: the band stays
at least one screen pixel wide at zoom to fit of a 12 MP image (drawn scaled, a 2-pixel band at
30 % would mostly fall between the sampled pixels).
"""

from __future__ import annotations

import cv2
import numpy as np
import pyqtgraph as pg

from app.layer_item import LayerItem
from fosp_core.analysis.layers import ANNOTATION_EDGE_WIDTH, ANNOTATION_IGNORE, ANNOTATION_SMOKE

__all__ = ["EDGE_IGNORE", "EDGE_SMOKE", "EdgeTile", "block_max", "edge_codes", "edge_lut"]

EDGE_SMOKE = 1  # the edge buffer's code on a smoke region's edge
EDGE_IGNORE = 2  # ... on an ignore region's edge (a block holding both is drawn as ignore)
_DIAMOND = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))
_CODES = np.zeros(256, np.uint8)
_CODES[1], _CODES[255] = EDGE_SMOKE, EDGE_IGNORE


def edge_lut() -> np.ndarray:
    """uint8 (256, 4) RGBA lookup table of an edge buffer: 0 transparent, :data:`EDGE_SMOKE` the
    smoke colour and :data:`EDGE_IGNORE` the ignore colour, both opaque."""
    lut = np.zeros((256, 4), np.uint8)
    lut[EDGE_SMOKE] = (*ANNOTATION_SMOKE, 255)
    lut[EDGE_IGNORE] = (*ANNOTATION_IGNORE, 255)
    return lut


def edge_codes(mask: np.ndarray, width: int = ANNOTATION_EDGE_WIDTH) -> np.ndarray:
    """uint8 array of `mask`'s shape (0/1/255 values): :data:`EDGE_SMOKE` / :data:`EDGE_IGNORE` on
    the non-zero pixels with a pixel of another value within 4-distance `width`, 0 elsewhere. The
    array's border counts as more of the same value (a crop's border adds no false edge, and a region
    running off the image has none there)."""
    source = np.ascontiguousarray(mask, dtype=np.uint8)
    low = cv2.erode(source, _DIAMOND, iterations=width, borderType=cv2.BORDER_REPLICATE)
    high = cv2.dilate(source, _DIAMOND, iterations=width, borderType=cv2.BORDER_REPLICATE)
    on_edge = (low != source) | (high != source)
    return np.where(on_edge, _CODES[source], np.uint8(0))


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


class EdgeTile(LayerItem):
    """A tile of edge codes through :func:`edge_lut`, shown below 100 % zoom as :func:`block_max`
    of the screen pixels' blocks (no display pyramid: a tile is small, and changes per stroke)."""

    def __init__(self) -> None:
        super().__init__(axisOrder="row-major")
        self.pyramid.enabled = False
        self.setAutoDownsample(True)

    def render_now(self) -> None:
        """pyqtgraph's render of the block maxima at the view's downsample factors."""
        image = self.image
        xds, yds = self._computeDownsampleFactors() if image is not None else (None, None)
        if (image is None or xds is None or yds is None or xds * yds == 1
                or image.shape[0] < yds or image.shape[1] < xds):
            pg.ImageItem.render(self)
            return
        self.image, self.autoDownsample = block_max(image, xds, yds), False
        try:
            pg.ImageItem.render(self)  # uint8 codes at levels (0, 255): the table's entries
        finally:
            self.image, self.autoDownsample = image, True
        self._lastDownsample = (xds, yds)
