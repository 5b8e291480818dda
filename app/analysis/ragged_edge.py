"""The edge of a speckled mask, drawn at the display's resolution.

A binary layer's outline is a traced curve (:func:`app.analysis.render.outline_path`), skipped for a
mask whose boundary is longer than :data:`~app.analysis.render.OUTLINE_EDGE_BUDGET` pixels (a noisy
probability map at the threshold: tracing 1920x1080 of speckle took 0.9 s and its 1.4 M points
140 ms a repaint). Its 45 % fill alone does not show such a mask: at zoom to fit the canvas shows a
mask as block means and a block's fill is drawn only where every pixel of it is in the mask, so
speckle vanished; at 1:1 the rose fill was 3.9 ΔE00 from grey smoke to a protanope.

So a speckled mask's edge is an image instead of a curve: :func:`edge_pixels` marks, at the image's
size, the mask pixels with a 4-neighbour outside it (about 2 ms at 1920x1080, 8-25 ms at 4000x3000:
one erosion), and a child :class:`~app.layer_item.LayerItem` of the layer's ImageItem draws them
opaque in the outline's colour (:func:`edge_table`) with ``autoDownsample``: the display pyramid
shows a block as edge when any pixel of it is (255 on the edge, so a block mean of 255/N still maps
to a non-zero index of the table), so the repaint costs what the screen's pixels cost, and
the speckle stays visible at every zoom. As a child it is shown, hidden and faded with its layer and
composed with it by the canvas's compositor.
"""

from __future__ import annotations

import cv2
import numpy as np

from app.layer_item import LayerItem

__all__ = ["EDGE_NAME", "draw_ragged_edge", "edge_item", "edge_pixels", "edge_table", "recolour_ragged_edge"]

EDGE_NAME = "ragged edge"  # objectName of the child item
_CROSS = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))


def edge_pixels(mask: np.ndarray) -> np.ndarray:
    """uint8 (H, W): 255 on the pixels of bool (H, W) `mask` that have a 4-neighbour outside it (the
    image's border counting as outside, as for a traced contour), 0 elsewhere."""
    inside = np.ascontiguousarray(mask, dtype=bool).view(np.uint8)
    eroded = cv2.erode(inside, _CROSS, borderType=cv2.BORDER_CONSTANT, borderValue=0)
    edge = cv2.subtract(inside, eroded)
    np.multiply(edge, np.uint8(255), out=edge)
    return edge


def edge_table(rgb: tuple[int, int, int]) -> np.ndarray:
    """(256, 4) uint8 lookup table of an :func:`edge_pixels` image: index 0 transparent, every other
    index (a block holding any edge pixel, once downsampled) opaque `rgb`."""
    table = np.zeros((256, 4), np.uint8)
    table[1:] = (*rgb, 255)
    return table


def edge_item(item: LayerItem) -> LayerItem | None:
    """The speckled-edge child of layer ImageItem `item`, or None."""
    for child in item.childItems():
        if isinstance(child, LayerItem) and child.objectName() == EDGE_NAME:
            return child
    return None


def draw_ragged_edge(item: LayerItem, rgb: tuple[int, int, int] | None, mask: np.ndarray | None,
                     edge: np.ndarray | None = None) -> None:
    """Draw the edge of bool (H, W) `mask` in `rgb` over layer item `item` (see module doc); None
    (either) clears it. `edge`: the mask's :func:`edge_pixels` already made (off the GUI thread), in
    place of `mask`. The child is made on first use."""
    child = edge_item(item)
    if (mask is None and edge is None) or rgb is None:
        if child is not None and child.image is not None:
            child.clear()
            child.setVisible(False)
        return
    if child is None:
        child = LayerItem(axisOrder="row-major")
        child.setObjectName(EDGE_NAME)
        child.setAutoDownsample(True)
        child.setParentItem(item)
    child.setLookupTable(edge_table(rgb), update=False)
    child.setImage(edge_pixels(mask) if edge is None else edge, autoLevels=False, levels=(0, 255))
    child.setVisible(True)


def recolour_ragged_edge(item: LayerItem, rgb: tuple[int, int, int] | None) -> None:
    """Draw `item`'s speckled edge, if it has one, in `rgb` (the layer's colour changed)."""
    child = edge_item(item)
    if child is not None and rgb is not None:
        child.setLookupTable(edge_table(rgb))
