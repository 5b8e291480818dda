"""Painting tools as functions over an `AnnotationDocument`, in image coordinates, no Qt.

Coordinates: a point is (x, y) = (column, row) in image pixels; integer (x, y) is the centre of
``mask[y, x]``; a float point belongs to the pixel whose area [x - 0.5, x + 0.5) holds it
(`pixel_xy`). Rectangles are (y0, y1, x0, x1), end exclusive. Values: 0 background, 1 smoke, 255 ignore.

Each call of a tool function below is one undo step. Strokes that follow the mouse use a
`BrushStroke`: the canvas creates it on press, calls ``add_point(x, y)`` on each move (each call
draws one segment and touches only that segment's rectangle, which it returns for repainting) and
``finish()`` on release, which closes the undo step and triggers the document's ``committed``
(autosave).

Tools: `brush`, `erase`, `ignore_brush` (value 255), `BrushStroke` (threshold-aware with
``only_where_prob_above``), `polygon_fill` / `polygon_cut` (`lasso_fill` / `lasso_cut` are the same
with dense points), `flood_fill` (4-connected region of equal mask value), `wand_region` / `wand`
(region grown over the probability map from a click, within ``tolerance`` of the clicked value).
Threshold, prediction and clean-up tools are in `fosp_core.annotation.cleanup`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from fosp_core.annotation.document import AnnotationDocument, clip_rect
from fosp_core.annotation.history import Rect
from fosp_core.data.types import BACKGROUND, IGNORE, SMOKE

__all__ = [
    "BrushStroke",
    "Region",
    "brush",
    "erase",
    "flood_fill",
    "ignore_brush",
    "lasso_cut",
    "lasso_fill",
    "pixel_xy",
    "polygon_cut",
    "polygon_fill",
    "polygon_region",
    "wand",
    "wand_region",
]

Point = tuple[float, float]  # (x, y) = (column, row)


@dataclass(frozen=True)
class Region:
    """A set of pixels: `pixels` is bool (y1-y0, x1-x0) over `rect` = (y0, y1, x0, x1)."""

    rect: Rect
    pixels: np.ndarray

    @property
    def area(self) -> int:
        return int(np.count_nonzero(self.pixels))

    def full(self, shape: tuple[int, int]) -> np.ndarray:
        """The region as a bool (H, W) array over an image of `shape`."""
        out = np.zeros(shape, bool)
        y0, y1, x0, x1 = self.rect
        out[y0:y1, x0:x1] = self.pixels
        return out


def pixel_xy(point: Sequence[float]) -> tuple[int, int]:
    """The pixel (column, row) holding `point` (x, y): the nearest pixel centre, halves rounded up (a
    point on the edge between two pixels belongs to the right/lower one: pixel i is [i - 0.5, i + 0.5))."""
    return math.floor(float(point[0]) + 0.5), math.floor(float(point[1]) + 0.5)


def _between(a: np.ndarray, b: np.ndarray, c: int) -> tuple[np.ndarray, np.ndarray]:
    """Integer interval [lo, hi] of u with a <= u * c <= b, per element (int64; empty: lo > hi)."""
    if c < 0:
        a, b, c = -b, -a, -c
    if c == 0:
        empty = (a > 0) | (b < 0)
        big = np.int64(1) << 62
        return np.where(empty, big, -big), np.where(empty, -big, big)
    return -((-a) // c), b // c


def _capsule(p0: tuple[int, int], p1: tuple[int, int], r: int, rect: Rect) -> np.ndarray:
    """uint8 footprint over `rect` (y0, y1, x0, x1) of the brush swept from pixel p0 to pixel p1:
    the pixels whose centre lies within `r` of the segment (exact integer arithmetic; for r = 0 the
    8-connected line). Each row of the capsule is one run of pixels, so the cost is one run per row.
    """
    y0, y1, x0, x1 = rect
    if r == 0:
        footprint = np.zeros((y1 - y0, x1 - x0), np.uint8)
        cv2.line(footprint, (p0[0] - x0, p0[1] - y0), (p1[0] - x0, p1[1] - y0), 1, 1)
        return footprint
    if p0[1] > p1[1]:
        p0, p1 = p1, p0  # the capsule is symmetric; dy >= 0 below
    rows = np.arange(y0, y1, dtype=np.int64)
    big = np.int64(1) << 62
    lo, hi = np.full(rows.shape, big), np.full(rows.shape, -big)
    for cx, cy in {p0, p1}:  # the two end discs: (x - cx)^2 + (y - cy)^2 <= r^2
        v = r * r - (rows - cy) ** 2
        inside = v >= 0
        s = np.sqrt(np.maximum(v, 0)).astype(np.int64)
        s -= s * s > v
        s += (s + 1) ** 2 <= v
        lo = np.where(inside, np.minimum(lo, cx - s), lo)
        hi = np.where(inside, np.maximum(hi, cx + s), hi)
    dx, dy = p1[0] - p0[0], p1[1] - p0[1]
    if dx or dy:  # the band between them: 0 <= (P - p0).d <= |d|^2 and |(P - p0) x d| <= r |d|
        length2 = dx * dx + dy * dy
        m = math.isqrt(r * r * length2)
        k = rows - p0[1]
        alo, ahi = _between(k * dx - m, k * dx + m, dy)
        blo, bhi = _between(-k * dy, length2 - k * dy, dx)
        slo, shi = np.maximum(alo, blo) + p0[0], np.minimum(ahi, bhi) + p0[0]
        band = slo <= shi
        lo = np.where(band, np.minimum(lo, slo), lo)
        hi = np.where(band, np.maximum(hi, shi), hi)
    cols = np.arange(x0, x1, dtype=np.int64)
    return ((cols >= lo[:, None]) & (cols <= hi[:, None])).astype(np.uint8)


def _check_value(value: int) -> int:
    if value not in (BACKGROUND, SMOKE, IGNORE):
        raise ValueError(f"mask value must be 0, 1 or 255, got {value}")
    return int(value)


def _paint(doc: AnnotationDocument, rect: Rect, footprint: np.ndarray, value: int,
           only_where_prob_above: float | None, label: str) -> Rect | None:
    """Write `value` where the uint8 `footprint` (shape of `rect`, before clipping offsets) is set;
    returns the clipped rectangle, or None when no pixel changed."""
    clipped = clip_rect(rect, doc.shape)
    if clipped is None:
        return None
    oy, ox = clipped[0] - rect[0], clipped[2] - rect[2]
    fp = footprint[oy:oy + clipped[1] - clipped[0], ox:ox + clipped[3] - clipped[2]].astype(bool)
    if only_where_prob_above is not None:
        prob = doc.probability
        if prob is None:
            raise ValueError("a threshold-aware brush needs the document's probability map")
        fp &= prob[clipped[0]:clipped[1], clipped[2]:clipped[3]] > only_where_prob_above
    fp &= doc.mask[clipped[0]:clipped[1], clipped[2]:clipped[3]] != value  # only what changes
    if not fp.any():
        return None
    with doc.modify(clipped, label=label) as view:
        assert view is not None
        view[fp] = value
    return clipped


class BrushStroke:
    """A round binary brush stroke drawn segment by segment; one undo step from creation to `finish`.

    doc: the document; radius: brush radius in pixels (0 paints single pixels);
    value: 1 smoke (brush), 0 background (eraser) or 255 ignore (ignore brush);
    only_where_prob_above: paint only pixels whose probability is > this threshold (None: all).
    """

    def __init__(self, doc: AnnotationDocument, radius: float, value: int = SMOKE, *,
                 only_where_prob_above: float | None = None, label: str | None = None) -> None:
        if radius < 0:
            raise ValueError(f"radius must be >= 0, got {radius}")
        if only_where_prob_above is not None and doc.probability is None:
            raise ValueError("a threshold-aware brush needs the document's probability map")
        self.doc = doc
        self.radius = int(round(radius))
        self.value = _check_value(value)
        self.threshold = only_where_prob_above
        self.label = label or {SMOKE: "brush", BACKGROUND: "eraser", IGNORE: "ignore brush"}[self.value]
        self._last: tuple[int, int] | None = None
        self._open = True
        doc.begin_step(self.label)

    @property
    def is_open(self) -> bool:
        return self._open

    def add_point(self, x: float, y: float) -> Rect | None:
        """Paint from the previous point to (x, y) (a dot for the first point).

        Returns the dirty rectangle (y0, y1, x0, x1) actually changed, or None.
        """
        if not self._open:
            raise RuntimeError("the stroke is finished")
        p1 = pixel_xy((x, y))
        p0 = self._last or p1
        self._last = p1
        r = self.radius
        rect = clip_rect((min(p0[1], p1[1]) - r, max(p0[1], p1[1]) + r + 1,
                          min(p0[0], p1[0]) - r, max(p0[0], p1[0]) + r + 1), self.doc.shape)
        if rect is None:
            return None
        return _paint(self.doc, rect, _capsule(p0, p1, r, rect), self.value, self.threshold, self.label)

    def finish(self) -> bool:
        """Close the undo step (commit). Returns True when the stroke changed something."""
        if not self._open:
            return False
        self._open = False
        return self.doc.end_step()

    def cancel(self) -> None:
        """Abandon the stroke: every pixel it painted is restored, nothing is recorded."""
        if self._open:
            self._open = False
            self.doc.cancel_step()


def brush(doc: AnnotationDocument, points: Iterable[Point], radius: float, value: int = SMOKE, *,
          only_where_prob_above: float | None = None, label: str | None = None) -> bool:
    """Paint a whole stroke through `points` [(x, y), ...] as one undo step; True when it changed pixels."""
    stroke = BrushStroke(doc, radius, value, only_where_prob_above=only_where_prob_above, label=label)
    try:
        for x, y in points:
            stroke.add_point(x, y)
    except BaseException:
        stroke.cancel()
        raise
    return stroke.finish()


def erase(doc: AnnotationDocument, points: Iterable[Point], radius: float) -> bool:
    """Eraser stroke: set pixels under the brush to background (0)."""
    return brush(doc, points, radius, BACKGROUND)


def ignore_brush(doc: AnnotationDocument, points: Iterable[Point], radius: float) -> bool:
    """Ignore-band stroke: set pixels under the brush to ignore (255), e.g. uncertain soft edges."""
    return brush(doc, points, radius, IGNORE)


def polygon_region(points: Sequence[Point], shape: tuple[int, int]) -> Region | None:
    """The pixels of an image of `shape` (H, W) that `polygon_fill` fills for the closed polygon
    through `points` [(x, y), ...] (>= 3), clipped to the image; None when none lies in it.
    Importers of outlines drawn elsewhere use it, so that an imported polygon equals a drawn one."""
    if len(points) < 3:
        raise ValueError(f"a polygon needs at least 3 points, got {len(points)}")
    pts = np.array([pixel_xy(p) for p in points], np.int64)
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0) + 1
    rect = clip_rect((y0, y1, x0, x1), shape)
    if rect is None:
        return None
    if (y1 - y0) * (x1 - x0) <= max(4 * shape[0] * shape[1], 1 << 24):
        rect = (int(y0), int(y1), int(x0), int(x1))
    # else a lasso run far outside the image (zoomed out): draw only the image part, not a box of
    # gigabytes; OpenCV's clipping may then move the outline's pixels on edges crossing the border by one
    footprint = np.zeros((rect[1] - rect[0], rect[3] - rect[2]), np.uint8)
    cv2.fillPoly(footprint, [(pts - np.array([rect[2], rect[0]])).astype(np.int32)], 1)
    clipped = clip_rect(rect, shape)
    if clipped is None:
        return None
    oy, ox = clipped[0] - rect[0], clipped[2] - rect[2]
    pixels = footprint[oy:oy + clipped[1] - clipped[0], ox:ox + clipped[3] - clipped[2]].astype(bool)
    return Region(clipped, pixels)


def polygon_fill(doc: AnnotationDocument, points: Sequence[Point], value: int = SMOKE, *,
                 label: str = "polygon fill") -> bool:
    """Fill the closed polygon through `points` [(x, y), ...] (>= 3) with `value`; boundary included.
    Returns True when pixels changed.

    Rule (OpenCV's fillPoly): vertices go to their pixel (`pixel_xy`), the outline's 8-connected
    pixels and the pixels inside it are filled; a self-intersecting outline is filled even-odd (the
    centre of a pentagram, or a region circled twice, stays as it was). `polygon_region` gives the pixels.
    """
    value = _check_value(value)
    region = polygon_region(points, doc.shape)
    if region is None:
        return False
    with doc.history_block(label):
        painted = _paint(doc, region.rect, region.pixels.view(np.uint8), value, None, label)
    return painted is not None


def polygon_cut(doc: AnnotationDocument, points: Sequence[Point]) -> bool:
    """Set the inside of the polygon to background (0)."""
    return polygon_fill(doc, points, BACKGROUND, label="polygon cut")


def lasso_fill(doc: AnnotationDocument, points: Sequence[Point], value: int = SMOKE) -> bool:
    """Freehand lasso: a polygon through the dense mouse path."""
    return polygon_fill(doc, points, value, label="lasso fill")


def lasso_cut(doc: AnnotationDocument, points: Sequence[Point]) -> bool:
    return polygon_fill(doc, points, BACKGROUND, label="lasso cut")


def _flood_region(image: np.ndarray, x: int, y: int, diff: float, fixed: bool, connectivity: int) -> Region:
    h, w = image.shape
    ff = np.zeros((h + 2, w + 2), np.uint8)
    flags = connectivity | cv2.FLOODFILL_MASK_ONLY | (1 << 8)
    if fixed:
        flags |= cv2.FLOODFILL_FIXED_RANGE
    _, _, _, (rx, ry, rw, rh) = cv2.floodFill(image, ff, (x, y), 0, diff, diff, flags)
    rect = (ry, ry + rh, rx, rx + rw)
    return Region(rect, ff[1 + ry:1 + ry + rh, 1 + rx:1 + rx + rw].astype(bool))


def _seed(doc: AnnotationDocument, x: float, y: float) -> tuple[int, int]:
    xi, yi = pixel_xy((x, y))
    if not (0 <= xi < doc.width and 0 <= yi < doc.height):
        raise ValueError(f"point ({x}, {y}) is outside the {doc.width}x{doc.height} image")
    return xi, yi


def flood_fill(doc: AnnotationDocument, x: float, y: float, value: int = SMOKE, *,
               connectivity: int = 4) -> Region:
    """Set the `connectivity`-connected region of pixels equal to ``mask[y, x]`` to `value`.

    Returns the region that was filled (its pixels had the clicked value).
    """
    value = _check_value(value)
    xi, yi = _seed(doc, x, y)
    region = _flood_region(np.array(doc.mask), xi, yi, 0, False, connectivity)
    if doc.mask[yi, xi] != value:
        doc.apply_patch(region.rect, value, region.pixels, label="flood fill")
    return region


def wand_region(doc: AnnotationDocument, x: float, y: float, tolerance: float, *,
                connectivity: int = 4) -> Region:
    """Region grown from (x, y) over the probability map: connected pixels whose probability is
    within `tolerance` (0..1) of the clicked pixel's. Nothing is changed (use it for a preview)."""
    if doc.probability is None:
        raise ValueError("the wand needs the document's probability map")
    xi, yi = _seed(doc, x, y)
    prob = np.ascontiguousarray(doc.probability, dtype=np.float32)
    if not prob.flags.writeable:  # OpenCV wants a writable image even when it only fills the mask
        prob = prob.copy()
    return _flood_region(prob, xi, yi, float(tolerance), True, connectivity)


def wand(doc: AnnotationDocument, x: float, y: float, tolerance: float, value: int = SMOKE, *,
         connectivity: int = 4) -> Region:
    """Grow the `wand_region` from (x, y) and set it to `value` (one undo step); returns the region."""
    value = _check_value(value)
    region = wand_region(doc, x, y, tolerance, connectivity=connectivity)
    doc.apply_patch(region.rect, value, region.pixels, label="wand")
    return region
