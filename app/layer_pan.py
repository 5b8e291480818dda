"""Pans of the canvas drawn from the composite shifted: only what the shift cannot give is drawn.

Why: a pan moves every layer, and drawing them again (:mod:`app.layer_compositor`) took 78-91 ms a
step at 12 megapixels with every analysis layer shown (``bench/bench_zoom.py --pan``).

How: at the same scale, the last exact composite shifted by the pan shows, at each device pixel,
what every layer showed where that pixel came from. That is exact only where Qt would pick the same
source pixel again, and Qt does not always: it draws a scaled image nearest-neighbour in 16.16 fixed
point stepping from where each row's span starts (the viewport's edge where a layer runs past it),
so after a horizontal pan a column here and there comes out one source column off. Sampling is
separable (a device column shows one source column of a layer in every row, a device row one source
row in every column), so Qt itself is asked which (:mod:`app.pan_probe`). Comparing a layer's maps
before and after the pan says which device columns and rows no longer show the same source pixels.

Then: device rows newly exposed or whose source row changed in some layer are drawn as a full draw
draws them (whole rows of the viewport: spans start where a full draw's do); device columns newly
exposed or whose source column changed get the background and, per layer, its pixels gathered
through its maps (the source pixel Qt's full draw shows at each device pixel) blended 1:1 with the
layer's opacity: the same source pixels and the same blend as the scaled drawing, without its
per-row cost for a narrow strip. Everything else is the shifted composite. A pan
that leaves too much to draw (a jump, a sub-pixel drag at a fractional scale) returns None: the
compositor draws everything.

The probes' assumptions (:func:`~app.pan_probe.probe_ready`; no smooth scaling or antialiasing, a
solid background, ancestors' clips outside the viewport) are checked on each pan; anything else
returns None. ``tests/gui/test_canvas_pan.py`` compares pans both ways, pixel for pixel.

The pan painter sees its compositor through :class:`PanHost` only (its view, the layers' transform,
a group's clipping ancestors), so this module does not import :mod:`app.layer_compositor`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from PySide6.QtCore import QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView

from app.layer_item import LayerItem, paint_order
from app.pan_probe import SamplingProbe, bytes_per_pixel, probe_ready, scale_only
from app.zoom_preview import is_zoom

__all__ = ["PanHost", "PanPainter", "PanPlan", "pan_shift"]

_MAX_SHARE = 0.5  # more than this share of the viewport to draw: draw it all
_MERGE_GAP = 2  # device columns drawn anyway between two runs (fewer drawImage calls)
_VIEWPORT_LIMIT = 9000  # device pixels: offsets in Qt's fixed-point range (see app.pan_probe)


def pan_shift(old: QTransform, new: QTransform, dpr: float) -> tuple[int, int] | None:
    """The shift in whole device pixels from `old` to `new` (layer transforms in logical
    viewport pixels, rounded), or None when the scale or shape changed."""
    if not (scale_only(old) and scale_only(new)) or is_zoom(old, new):  # rounding of the range aside
        return None
    return round((new.dx() - old.dx()) * dpr), round((new.dy() - old.dy()) * dpr)


class PanHost(Protocol):
    """What the pan painter needs of the canvas's compositor (:class:`~app.layer_compositor.LayerCompositor`)."""

    view: QGraphicsView

    def layer_transform(self, view_transform: QTransform) -> QTransform:
        """From the layers' parent (image coordinates) to the viewport (logical pixels) at `view_transform`."""
        ...

    def clippers(self, root: QGraphicsItem) -> list[QGraphicsItem]:
        """`root`'s ancestors that clip their children, outermost first."""
        ...


@dataclass
class _Layer:
    item: LayerItem
    transform: QTransform  # item -> viewport (logical)
    columns: np.ndarray  # source column of the item's QImage per device column, -1 where not drawn
    rows: np.ndarray  # source row per device row, -1 where not drawn


@dataclass
class PanPlan:
    """What a pan step draws: the shift (device pixels) and the device columns and rows to draw."""

    shift: tuple[int, int]
    columns: list[tuple[int, int]]  # runs [start, end) of device columns
    rows: list[tuple[int, int]]  # runs [start, end) of device rows
    layers: list[_Layer]


def _runs(marked: np.ndarray, gap: int = 0) -> list[tuple[int, int]]:
    """Runs [start, end) of True in `marked`, merging runs `gap` or fewer apart."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], marked.view(np.int8), [0]))))
    runs: list[tuple[int, int]] = []
    for start, end in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        if runs and start - runs[-1][1] <= gap:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs


def _mark(marked: np.ndarray, old: np.ndarray, new: np.ndarray, shift: int) -> None:
    """Mark the device positions whose source position differs from the one shifted there."""
    lo, hi = max(0, shift), len(marked) + min(0, shift)
    marked[lo:hi] |= new[lo:hi] != old[lo - shift:hi - shift]


def _gathered(image: QImage, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """The bytes of `image` (Indexed8 or RGB888) at `rows` x `columns` (ascending source indices,
    repeats where the layer is magnified), a contiguous (rows, bytes) array."""
    bpp = bytes_per_pixel(image) or 1
    pixels = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes()).reshape(
        image.height(), image.bytesPerLine())
    top, left = int(rows[0]), int(columns[0])
    block = pixels[top:int(rows[-1]) + 1, left * bpp:(int(columns[-1]) + 1) * bpp]  # the few source pixels
    offsets = (columns - left)[:, None] * bpp + np.arange(bpp) if bpp > 1 else columns - left
    return block.take(rows - top, axis=0).take(np.ravel(offsets), axis=1)


class PanPainter:
    """Plans and draws pan steps for a compositor (`host`, see :class:`PanHost`)."""

    def __init__(self, host: PanHost) -> None:
        self.host = host
        self.probe = SamplingProbe()
        self._spare: QImage | None = None
        self._layer_transform: QTransform | None = None  # of the composite, when exact
        self._transforms: dict[int, QTransform] = {}  # each item's, then

    def forget(self) -> None:
        """Forget the composite's view (the next pan draws everything) and the probes' answers."""
        self.probe.forget()
        self._spare = None
        self._layer_transform = None
        self._transforms = {}

    def remember(self, roots: list[LayerItem], view_transform: QTransform) -> None:
        """The composite is exact at `view_transform`: keep the transforms it was drawn with."""
        self._layer_transform = self.host.layer_transform(view_transform)
        self._transforms = {id(item): item.deviceTransform(view_transform) for root in roots
                            for item in paint_order(root) if isinstance(item, LayerItem) and item.isVisible()}

    # --- planning ------------------------------------------------------------------------------
    def plan(self, roots: list[LayerItem], new_view: QTransform) -> PanPlan | None:
        """What to draw to pan the composite from the view it was exact at (:meth:`remember`) to
        `new_view`, or None (draw everything)."""
        view = self.host.view
        viewport = view.viewport()
        dpr = viewport.devicePixelRatioF()
        width, height = round(viewport.width() * dpr), round(viewport.height() * dpr)
        new_layers = self.host.layer_transform(new_view)
        old_layers = self._layer_transform
        if old_layers is None or old_layers == new_layers:
            return None
        shift = pan_shift(old_layers, new_layers, dpr)
        hints = view.renderHints()
        if (shift is None or abs(shift[0]) >= width or abs(shift[1]) >= height or max(width, height) > _VIEWPORT_LIMIT
                or hints & QPainter.RenderHint.SmoothPixmapTransform or hints & QPainter.RenderHint.Antialiasing
                or view.backgroundBrush().style() not in (Qt.BrushStyle.SolidPattern, Qt.BrushStyle.NoBrush)):
            return None
        old_jobs, new_jobs = [], []
        clips_checked: set[tuple[int, ...]] = set()
        for root in roots:
            clippers = self.host.clippers(root)
            chain = tuple(id(clipper) for clipper in clippers)
            if chain not in clips_checked:
                if not self._clips_cover(clippers, new_view, width, height, dpr):
                    return None
                clips_checked.add(chain)
            for item in paint_order(root):
                if (not isinstance(item, LayerItem) or not item.isVisible() or item.effectiveOpacity() <= 0.0
                        or item.image is None):
                    continue  # what _draw_items and ImageItem.paint leave out
                before, now = self._transforms.get(id(item)), item.deviceTransform(new_view)
                if before is None or not probe_ready(item, before, dpr) or not probe_ready(item, now, dpr):
                    return None
                old_jobs.append((item, before))
                new_jobs.append((item, now))
        self.probe.hints = hints
        old = self.probe.maps(old_jobs, dpr, width, height)
        new = self.probe.maps(new_jobs, dpr, width, height)
        if old is None or new is None:
            return None
        (old_maps, _), (new_maps, new_keys) = old, new
        dx, dy = shift
        columns, rows = np.zeros(width, bool), np.zeros(height, bool)
        columns[: max(0, dx)] = columns[width + min(0, dx):] = True  # exposed
        rows[: max(0, dy)] = rows[height + min(0, dy):] = True
        layers = []
        for (item, transform), (old_columns, old_rows), (new_columns, new_rows) in zip(
                new_jobs, old_maps, new_maps, strict=True):
            _mark(columns, old_columns, new_columns, dx)
            _mark(rows, old_rows, new_rows, dy)
            layers.append(_Layer(item, transform, new_columns, new_rows))
        self.probe.keep_only(new_keys)
        if columns.sum() * height + rows.sum() * width > _MAX_SHARE * width * height:
            return None
        return PanPlan(shift, _runs(columns, _MERGE_GAP), _runs(rows), layers)

    @staticmethod
    def _clips_cover(clippers: list[QGraphicsItem], view_transform: QTransform, width: int, height: int,
                     dpr: float) -> bool:
        """Whether a group's clipping ancestors leave the whole viewport (spans start at its edge)."""
        for clipper in clippers:
            rect = clipper.deviceTransform(view_transform).mapRect(clipper.shape().boundingRect())
            if not QRectF(rect.x() * dpr, rect.y() * dpr, rect.width() * dpr, rect.height() * dpr).contains(
                    QRectF(0, 0, width, height)):
                return False
        return True

    # --- drawing -------------------------------------------------------------------------------
    def shift(self, composite: QImage, plan: PanPlan) -> QImage:
        """A composite moved by the plan's shift (a spare image; the exposed parts are stale)."""
        spare = self._spare
        if (spare is None or spare is composite or spare.size() != composite.size()
                or spare.devicePixelRatio() != composite.devicePixelRatio()):
            spare = QImage(composite.size(), composite.format())
            spare.setDevicePixelRatio(composite.devicePixelRatio())
        height, width = composite.height(), composite.width()
        source = np.frombuffer(composite.constBits(), np.uint32, count=width * height).reshape(height, width)
        target = np.frombuffer(spare.bits(), np.uint32, count=width * height).reshape(height, width)
        dx, dy = plan.shift
        target[max(0, dy):height + min(0, dy), max(0, dx):width + min(0, dx)] = \
            source[max(0, -dy):height + min(0, -dy), max(0, -dx):width + min(0, -dx)]
        self._spare = composite
        return spare

    def draw_columns(self, composite: QImage, plan: PanPlan, opaque: bool) -> None:
        """Draw the plan's columns of `composite`: the background, then each layer's pixels there,
        gathered from its QImage through its maps and blended 1:1 in device pixels (the same
        arithmetic as its scaled drawing: ``tests/gui/test_canvas_pan.py``)."""
        if not plan.columns:
            return
        view = self.host.view
        bits = composite.bits()  # device pixels: the composite's memory seen at a pixel ratio of 1
        device = QImage(bits, composite.width(), composite.height(), composite.bytesPerLine(), composite.format())
        painter = QPainter(device)
        brush = view.backgroundBrush()
        for start, end in plan.columns:
            rect = QRect(start, 0, end - start, composite.height())
            if not opaque:
                painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
                painter.fillRect(rect, Qt.GlobalColor.transparent)
                painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
            if brush.style() != Qt.BrushStyle.NoBrush:
                painter.fillRect(rect, brush.color())
        for layer in plan.layers:  # in paint order; ancestors' clips leave the viewport whole (plan)
            image = layer.item.qimage
            assert image is not None
            shown = np.flatnonzero(layer.rows >= 0)
            if shown.size == 0:
                continue
            top, bottom = int(shown[0]), int(shown[-1]) + 1  # a layer covers its rows contiguously
            painter.setOpacity(min(1.0, layer.item.effectiveOpacity()))
            colors = image.colorTable() if image.format() == QImage.Format.Format_Indexed8 else None
            for start, end in plan.columns:
                drawn = np.flatnonzero(layer.columns[start:end] >= 0)
                if drawn.size == 0:
                    continue
                left, right = start + int(drawn[0]), start + int(drawn[-1]) + 1
                gathered = _gathered(image, layer.rows[top:bottom], layer.columns[left:right])
                qimage = QImage(gathered.data, right - left, bottom - top, gathered.strides[0], image.format())
                if colors is not None:
                    qimage.setColorTable(colors)
                painter.drawImage(QPoint(left, top), qimage)
        painter.end()
        del bits
