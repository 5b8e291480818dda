"""Drawing analysis layers into pyqtgraph ImageItems: lookup tables and levels per layer kind, the
outline some binary layers also get (the ground truth's dashed line, the prediction mask's solid dark
one, the τ contour's thin one: :func:`outline_path`, :func:`outline_pen`); and the same layers
blended over the image in numpy (:func:`composite`, for Analysis ▸ Export View)."""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QPen

from app.analysis.ragged_edge import edge_pixels
from fosp_core.analysis.layers import ERROR_COLORS, SOLID_COLORS, Layer, LayerStack, Outline
from fosp_core.infer.gridmap import GridMap, full_size

SCALAR_FADE = 96  # LUT index at which scalar overlays become fully opaque
#: Masks whose boundary is longer than this many pixels (estimated: :func:`too_ragged`) get no traced
#: outline: a speckled mask (a noisy probability map at the threshold) is all edges, and tracing
#: 1920x1080 of speckle took 0.9 s and its 1.4 M points 140 ms a repaint. Their edge is drawn as an
#: image at the display's resolution instead (:mod:`app.analysis.ragged_edge`). A demo plume's
#: mask at 4000x3000 has 1-5 k boundary pixels (about 10 ms to trace).
OUTLINE_EDGE_BUDGET = 100_000
_EVERY = 4  # rows sampled by too_ragged


@lru_cache(maxsize=64)
def lookup_table(kind: str, colormap: str, translucent: bool = True, fill: float = 1.0) -> np.ndarray | None:
    """(256, 4) uint8 RGBA table for a layer kind and colormap name; None for RGB layers.

    Scalar layers use the pyqtgraph colormap, fading from transparent at 0 to opaque at
    SCALAR_FADE/255 of the range when `translucent`; binary layers draw index 1 in a solid colour
    (alpha `fill`: a light fill under an outline) and index 0 transparent; the error layer draws 1
    (false positive) and 2 (false negative).
    """
    if kind == "scalar":
        table = np.array(pg.colormap.get(colormap).getLookupTable(0.0, 1.0, 256, alpha=True), np.uint8)
        if translucent:  # low values fade out so the image shows through (napari's "translucent")
            table[:, 3] = np.clip(np.arange(256) * (255.0 / SCALAR_FADE), 0, 255).astype(np.uint8)
        return np.ascontiguousarray(table)
    table = np.zeros((256, 4), np.uint8)
    if kind == "binary":
        table[1] = (*SOLID_COLORS[colormap], round(255 * min(1.0, max(0.0, fill))))
        return table
    if kind == "error":
        fp, fn = ERROR_COLORS[colormap]
        table[1] = (*fp, 255)
        table[2] = (*fn, 255)
        return table
    return None


def layer_table(layer: Layer) -> np.ndarray | None:
    """:func:`lookup_table` of `layer` (its kind, colormap and fill)."""
    return lookup_table(layer.kind, layer.colormap, fill=layer.fill)


def outline_path(smoke: np.ndarray, line: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, connect) of the closed outlines of a bool (H, W) mask, through the centres of its edge
    pixels (image coordinates, as a row-major ImageItem draws pixel (r, c) over [c, c+1]×[r, r+1]), for
    a PlotCurveItem: drawn with a cosmetic pen, the outline stays visible at any zoom or export size.
    `line`: the mask is a thin line (a one-pixel ring): only the outer border of each piece, which
    already passes through its pixels (its inner border would trace them a second time). No points
    for a mask :func:`too_ragged` to outline."""
    if too_ragged(smoke):
        return np.zeros(0), np.zeros(0), np.zeros(0, bool)
    if not line:
        return contour_path(trace_contours(smoke)[0])
    contours, hierarchy = cv2.findContours(smoke.astype(np.uint8), cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if contours:
        contours = [c for c, parent in zip(contours, hierarchy[0, :, 3], strict=True) if parent < 0]
    return contour_path([c[:, 0] for c in contours])


def contour_path(contours: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, connect) of :func:`outline_path` from closed contours (each int (n, 2) x, y of edge pixels)."""
    closed = [np.concatenate([c, c[:1]]).astype(np.float64) + 0.5 for c in contours]
    if not closed:
        return np.zeros(0), np.zeros(0), np.zeros(0, bool)
    points = np.concatenate(closed)
    connect = np.ones(len(points), bool)
    connect[np.cumsum([len(c) for c in closed]) - 1] = False  # no line from one outline to the next
    return points[:, 0], points[:, 1], connect


def _uint8(mask: np.ndarray) -> np.ndarray:
    """`mask` as contiguous uint8 0/1 without a copy when it is a contiguous bool array already."""
    if mask.dtype == bool and mask.flags.c_contiguous:
        return mask.view(np.uint8)
    return np.ascontiguousarray(mask != 0, dtype=bool).view(np.uint8)


def _sorted(contours: list[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
    """`contours` in a fixed order (their first point's row, column; then length and points: OpenCV's
    own order depends on what else it traced) and their boxes (N, 4: y0, y1, x0, x1, end exclusive)."""
    if not contours:
        return [], np.zeros((0, 4), np.int64)
    lengths = np.array([len(c) for c in contours])
    starts = np.array([c[0] for c in contours]).reshape(-1, 2)
    order = np.lexsort((lengths, starts[:, 0], starts[:, 1]))
    key = np.stack([starts[order, 1], starts[order, 0], lengths[order]], axis=1)
    if len(key) > 1 and (key[1:] == key[:-1]).all(axis=1).any():  # a tie: the points decide (rare)
        contours = sorted(contours, key=lambda c: (int(c[0, 1]), int(c[0, 0]), len(c), c.tobytes()))
    else:
        contours = [contours[i] for i in order]
    points = np.concatenate(contours)
    first = np.concatenate([[0], np.cumsum([len(c) for c in contours])[:-1]])
    boxes = np.stack([np.minimum.reduceat(points[:, 1], first), np.maximum.reduceat(points[:, 1], first) + 1,
                      np.minimum.reduceat(points[:, 0], first), np.maximum.reduceat(points[:, 0], first) + 1],
                     axis=1).astype(np.int64)
    return contours, boxes


def trace_contours(mask: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """The closed outlines of bool (H, W) `mask` (each int32 (n, 2): x, y of its edge pixels, OpenCV's
    simple chain) in a fixed order, and their boxes (:func:`_sorted`)."""
    found, _ = cv2.findContours(_uint8(mask), cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    return _sorted([c[:, 0] for c in found])


def retrace_contours(contours: list[np.ndarray], boxes: np.ndarray, mask: np.ndarray,
                     rect: tuple[int, int, int, int]) -> tuple[list[np.ndarray], np.ndarray]:
    """:func:`trace_contours` of `mask` after a change inside `rect` (y0, y1, x0, x1), given the
    `contours` and `boxes` traced before it: the same lists, tracing only a window around the change.
    An outline pixel's next step depends on its 3x3 neighbours only, so an outline is unchanged unless
    it comes within 2 pixels of `rect`, and a new one is made of the changed pixels' outlines and old
    outlines that came that close: the window is `rect` grown by 2, with the boxes of those outlines,
    grown by 1 (background or the image's border around them). Outlines lying inside the window are
    traced again; those crossing its edge (never near the change) are kept; traced ones touching its
    edge are pieces of those, cut by the window, and dropped."""
    height, width = mask.shape
    y0, y1, x0, x1 = rect
    g = np.array([max(0, y0 - 2), min(height, y1 + 2), max(0, x0 - 2), min(width, x1 + 2)])
    near = (boxes[:, 0] < g[1]) & (boxes[:, 1] > g[0]) & (boxes[:, 2] < g[3]) & (boxes[:, 3] > g[2])
    if near.any():
        b = boxes[near]
        g = np.array([min(g[0], b[:, 0].min()), max(g[1], b[:, 1].max()), min(g[2], b[:, 2].min()),
                      max(g[3], b[:, 3].max())])
    sy0, sy1, sx0, sx1 = max(0, g[0] - 1), min(height, g[1] + 1), max(0, g[2] - 1), min(width, g[3] + 1)
    # the window's inside: where an outline lies whole in the window (the image's border is no edge)
    iy0, iy1 = sy0 + (sy0 > 0), sy1 - (sy1 < height)
    ix0, ix1 = sx0 + (sx0 > 0), sx1 - (sx1 < width)

    def inside(b: np.ndarray) -> np.ndarray:
        return (b[:, 0] >= iy0) & (b[:, 1] <= iy1) & (b[:, 2] >= ix0) & (b[:, 3] <= ix1)

    kept = [c for c, within in zip(contours, inside(boxes), strict=True) if not within]
    found, _ = cv2.findContours(np.ascontiguousarray(_uint8(mask)[sy0:sy1, sx0:sx1]), cv2.RETR_LIST,
                                cv2.CHAIN_APPROX_SIMPLE, offset=(int(sx0), int(sy0)))
    traced = [c[:, 0] for c in found]
    if traced:
        traced, traced_boxes = _sorted(traced)
        traced = [c for c, within in zip(traced, inside(traced_boxes), strict=True) if within]
    return _sorted(kept + traced)


def too_ragged(mask: np.ndarray) -> bool:
    """Whether bool (H, W) `mask`'s boundary is longer than :data:`OUTLINE_EDGE_BUDGET` pixels, as
    estimated from every 4th row's changes between neighbours (x 4 rows, x 2 for the columns'; about
    1 ms at 4000x3000, where tracing a speckled mask takes seconds)."""
    rows = mask[::_EVERY]
    changes = np.count_nonzero(rows[:, 1:] != rows[:, :-1])
    return changes * _EVERY * 2 > OUTLINE_EDGE_BUDGET


def outline_pen(rgb: tuple[int, int, int], outline: Outline) -> QPen:
    """A cosmetic pen (as wide in screen pixels at any zoom: a one-pixel image outline vanishes when
    scaled down) drawing `outline` in colour `rgb`, flat-capped so its dashes stay crisp."""
    pen = QPen(QColor(*rgb))
    pen.setWidthF(outline.width)
    pen.setCosmetic(True)
    pen.setCapStyle(pg.QtCore.Qt.PenCapStyle.FlatCap)
    if outline.dash:
        pen.setDashPattern(list(outline.dash))
    return pen


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


def draw_layer(item: pg.ImageItem, layer: Layer, array: np.ndarray,
               shown: tuple[np.ndarray, tuple[float, float]] | None = None) -> None:
    """Set `item`'s image, levels and lookup table for `layer` (visibility and opacity apart);
    `shown`: :func:`display_array` of `array` already made (off the GUI thread)."""
    data, levels = display_array(layer, full_size(array)) if shown is None else shown  # a GridMap upsampled here, once
    item.setLookupTable(layer_table(layer), update=False)
    item.setImage(data, autoLevels=False, levels=levels)


def style_layer(item: pg.ImageItem, layer: Layer) -> None:
    """Apply `layer`'s visibility and opacity to `item` (cheap: no new image)."""
    item.setOpacity(layer.opacity)
    item.setVisible(layer.visible)


def _rgba(layer: Layer, data: np.ndarray, levels: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """(float32 (h, w, 3) colour, float32 (h, w) alpha 0..1) of `layer` drawn from `data` (rows of
    its :func:`display_array`, whose `levels` are the whole array's), as its ImageItem draws it:
    levels scaled onto the lookup table's 256 entries (pyqtgraph's rule)."""
    low, high = levels
    if layer.kind == "rgb":
        return data.astype(np.float32), np.ones(data.shape[:2], np.float32)
    table = layer_table(layer)
    assert table is not None
    scale = table.shape[0] / (high - low) if high > low else 0.0
    index = np.clip((data.astype(np.float32) - low) * scale, 0, table.shape[0] - 1).astype(np.intp)
    rgba = table[index]
    return rgba[..., :3].astype(np.float32), rgba[..., 3].astype(np.float32) / 255.0


#: Pixels blended at a time by :func:`composite` (whole rows, at least one): its float32 working
#: arrays are a band's, some 15 MB, not the image's (at 8000x6000 with every layer shown,
#: whole-image arrays peaked at 3.2 GB).
COMPOSITE_BAND_PIXELS = 1 << 18


def composite(rgb: np.ndarray, layers: LayerStack, arrays: dict[str, np.ndarray],
              band_rows: int | None = None) -> np.ndarray:
    """uint8 (H, W, 3): image `rgb` (uint8 (H, W, 3)) with every visible layer of `layers` that has an
    array in `arrays` (name -> array at the image's size) blended over it in drawing order, through
    its lookup table, levels and opacity - what the canvas shows of them, at the image's own size.
    Blended `band_rows` rows at a time (the same pixels as at once; None: COMPOSITE_BAND_PIXELS);
    outlines are traced on the whole mask first. A map held at the network's grid is read in bands
    (the energies) or, unless it allows that (``GridMap.banded``), upsampled whole for the export."""
    drawn: list[tuple[Layer, np.ndarray, tuple[float, float], np.ndarray | None]] = []
    for layer in layers:
        array = arrays.get(layer.name)
        if not layer.visible or array is None or array.shape[:2] != rgb.shape[:2] or layer.opacity <= 0:
            continue
        if isinstance(array, GridMap) and not array.banded:  # Focus Map, hole, background: bit-identical
            array = array.full()
        on = None
        if layer.outline_rgb() is not None and layer.outline is not None:  # the outline's pixels
            on = outline_pixels(array.astype(bool), layer.outline)
        drawn.append((layer, *display_array(layer, array), on))
    out = np.empty_like(rgb)
    step = max(1, band_rows if band_rows is not None else COMPOSITE_BAND_PIXELS // max(1, rgb.shape[1]))
    for top in range(0, rgb.shape[0], step):
        rows = slice(top, top + step)
        out[rows] = _blend(rgb[rows], drawn, rows)
    return out


def _blend(rgb: np.ndarray, drawn: list[tuple[Layer, np.ndarray, tuple[float, float], np.ndarray | None]],
           rows: slice) -> np.ndarray:
    """uint8 rows `rows` of :func:`composite`'s image: `rgb` (those rows) with the layers `drawn`."""
    out = rgb.astype(np.float32)
    for layer, data, levels, outline in drawn:
        colour, alpha = _rgba(layer, data[rows], levels)
        if layer.kind == "binary":  # one colour: index 1's, whatever the fill's alpha
            colour = np.broadcast_to(np.asarray(SOLID_COLORS[layer.colormap], np.float32), out.shape)
        line_rgb = layer.outline_rgb()
        if outline is not None and line_rgb is not None:  # the outline's pixels in its colour
            on = outline[rows].astype(np.float32)
            alpha = np.maximum(alpha, on)
            colour = np.where(on[..., None] > 0, np.asarray(line_rgb, np.float32), colour)
        alpha = (alpha * layer.opacity)[..., None]
        out = out * (1.0 - alpha) + colour * alpha
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


_CROSS = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))


def _thicken_inwards(on: np.ndarray, mask: np.ndarray, width: int) -> np.ndarray:
    """uint8 (H, W): outline pixels `on` (on the edge pixels of `mask`) thickened to `width` pixels,
    into the mask: each step adds the 4-neighbours of the last step's pixels that lie on the mask's
    next ring in, so a dash along an edge grows across it, not along it. (A width x width dilation
    grew the line down and right: a pixel past the mask on its right and bottom edges, inside it on
    the others, half a pixel off the mask where the canvas centres its line on the edge pixels.)"""
    inside = mask.view(np.uint8) if mask.dtype == bool else np.not_equal(mask, 0).view(np.uint8)
    out, last = on.copy(), on
    for _ in range(width - 1):
        inside = cv2.erode(inside, _CROSS, borderType=cv2.BORDER_CONSTANT, borderValue=0)
        ring = cv2.subtract(inside, cv2.erode(inside, _CROSS, borderType=cv2.BORDER_CONSTANT, borderValue=0))
        last = cv2.bitwise_and(cv2.dilate(last, _CROSS), ring)
        out |= last
    return out


def outline_pixels(mask: np.ndarray, outline: Outline) -> np.ndarray:
    """bool (H, W), True on the pixels `outline` covers along the edges of bool (H, W) `mask` at the
    image's own size (an exported view): its edge pixels, dashed like the canvas's pen (dash and gap
    lengths in line widths, counted along each edge), thickened inwards to int(width) pixels on every
    side (the canvas centres its line on the edge pixels; at the image's size a 2-pixel line cannot be
    centred, and inside the mask it never makes the mask look larger), False elsewhere;
    for a mask :func:`too_ragged` to trace, its edge pixels (solid, one pixel wide: what the canvas
    draws for it at 1:1, :mod:`app.analysis.ragged_edge`). One byte a pixel: Export View keeps one
    for each outlined layer of a huge image."""
    if too_ragged(mask):
        return edge_pixels(mask) > 0
    on = np.zeros(mask.shape, np.uint8)
    width = max(1, int(outline.width))
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    for contour in contours:
        points = contour[:, 0]
        if outline.dash:
            steps = np.linalg.norm(np.diff(points, axis=0, prepend=points[:1]), axis=1)
            points = points[np.cumsum(steps) % (sum(outline.dash) * width) < outline.dash[0] * width]
        on[points[:, 1], points[:, 0]] = 1
    if width > 1:
        on = _thicken_inwards(on, mask, width)
    return on.view(bool)  # 0/1
