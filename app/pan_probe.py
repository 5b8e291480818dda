"""Which source column and row of a layer's image each device column and row shows, as Qt draws it.

Why: Qt draws a scaled image nearest-neighbour, stepping in 16.16 fixed point from where each row's
span starts (the viewport's edge where the image runs past it, else the image's edge), so which
source column a device column shows depends on more than the transform: a composite shifted by a
pan can be a source column off here and there (``tests/gui/test_canvas_pan.py``). Sampling is
separable for a scale-and-translate transform: a device column shows one source column in every row,
a device row one source row in every column.

How: a *probe* is an image of the layer's width (height) and format whose pixels number their own
columns (rows): Indexed8 the number mod 256 through an opaque table, RGB888 the number in 24 bits.
It is drawn with the layer's transform along the probed axis (the same scale and offset, the same
``drawImage`` rectangle, so the same fixed-point steps from the same span start: the viewport's
edge or the image's) into one device row (column) of a scratch image, and the numbers read back.
All layers are probed in one painter pass per axis, each in its own band of the scratch image. Maps
are cached by what they depend on (the axis's scale and offset, the image, the viewport), so a
horizontal pan probes no rows.

:func:`probe_ready` says whether an item is drawn the way the probes assume (one ``drawImage`` of
its QImage through Qt's fixed-point fetch: no border, no paint mode, a scale-and-translate transform
within the fixed-point range, a format the probe can number).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QTransform

from app.layer_item import LayerItem

__all__ = ["SamplingProbe", "probe_ready", "scale_only"]

_FORMATS = {QImage.Format.Format_Indexed8: 1, QImage.Format.Format_RGB888: 3}
_FAST = 0.9e4  # Qt's fixed-point fetch: |offsets| < 1e4 source pixels (margin kept)
_MIN_SCALE, _MAX_SCALE = 0.0105, 250.0  # and device pixels per source pixel within 0.01-256
_PRECISION = 0.9 * 0x7FFF  # and targets within +-32767 device pixels
_BAND = 4  # device pixels between two probes in the scratch image
_CODES = [0xFF000000 | i for i in range(256)]


def bytes_per_pixel(image: QImage) -> int | None:
    return _FORMATS.get(image.format())


def scale_only(transform: QTransform) -> bool:
    return transform.type().value <= QTransform.TransformationType.TxScale.value


def probe_ready(item: LayerItem, transform: QTransform, dpr: float) -> bool:
    """Whether `item` at `transform` (item -> viewport, logical) is drawn as the probes assume."""
    image = item.qimage
    if (image is None or item.image is None or item._renderRequired or item.paintMode is not None
            or item.border is not None or image.format() not in _FORMATS or not scale_only(transform)
            or transform.m11() <= 0 or transform.m22() <= 0):
        return False
    rows, cols = item.image.shape[:2]
    scale_x = transform.m11() * dpr * cols / image.width()  # device pixels per source pixel
    scale_y = transform.m22() * dpr * rows / image.height()
    left, top = transform.dx() * dpr, transform.dy() * dpr
    right, bottom = left + cols * transform.m11() * dpr, top + rows * transform.m22() * dpr
    return (_MIN_SCALE < scale_x < _MAX_SCALE and _MIN_SCALE < scale_y < _MAX_SCALE
            and abs(left / scale_x) < _FAST and abs(top / scale_y) < _FAST and transform.m11() * dpr < 500
            and transform.m22() * dpr < 500 and max(abs(left), abs(top), abs(right), abs(bottom)) < _PRECISION)


def _numbered(fmt: QImage.Format, count: int, along_rows: bool, repeat: int) -> tuple[np.ndarray, QImage]:
    """`count` columns (rows if `along_rows`) numbering themselves, `repeat` deep, in `fmt`."""
    numbers = np.arange(count, dtype=np.uint32)
    if fmt == QImage.Format.Format_Indexed8:
        line = (numbers & 0xFF).astype(np.uint8)
    else:
        line = np.stack([(numbers >> 16) & 0xFF, (numbers >> 8) & 0xFF, numbers & 0xFF], axis=-1).astype(np.uint8)
    array = np.ascontiguousarray(np.repeat(line[:, None] if along_rows else line[None, :], repeat,
                                           axis=1 if along_rows else 0))
    image = QImage(array.data, array.shape[1], array.shape[0], array.strides[0], fmt)
    if fmt == QImage.Format.Format_Indexed8:
        image.setColorTable(_CODES)
    return array, image


class SamplingProbe:
    """Column and row maps of LayerItems (see module doc), cached until :meth:`keep_only`."""

    def __init__(self) -> None:
        self._probes: dict[tuple[object, ...], tuple[np.ndarray, QImage]] = {}
        self._maps: dict[tuple[object, ...], np.ndarray] = {}
        self.hints = QPainter.RenderHint(0)

    def forget(self) -> None:
        self._maps.clear()

    def keep_only(self, keys: set[tuple[object, ...]]) -> None:
        self._maps = {key: value for key, value in self._maps.items() if key in keys}

    @staticmethod
    def key(item: LayerItem, transform: QTransform, dpr: float, size: int, along_rows: bool) -> tuple[object, ...]:
        """What an item's map along one axis depends on: the geometry, not the pixels (layers of one
        size at one zoom share their maps)."""
        image, shape = item.qimage, item.image.shape  # type: ignore[union-attr]
        assert image is not None
        if along_rows:  # (the depth tells the two formats apart, cheaper than the format's enum)
            return (True, transform.m22(), transform.dy(), image.height(), shape[0], image.depth(), dpr, size)
        return (False, transform.m11(), transform.dx(), image.width(), shape[1], image.depth(), dpr, size)

    def maps(self, jobs: list[tuple[LayerItem, QTransform]], dpr: float, width: int,
             height: int) -> tuple[list[tuple[np.ndarray, np.ndarray]], set[tuple[object, ...]]] | None:
        """For each (item, transform) (all :func:`probe_ready`), its column map (source column per
        device column, -1 where nothing is drawn) and row map, and the maps' keys (for
        :meth:`keep_only`); None where the probes cannot tell."""
        keys: list[list[tuple[object, ...]]] = []
        for along_rows, size in ((False, width), (True, height)):
            axis = [self.key(item, transform, dpr, size, along_rows) for item, transform in jobs]
            missing = {key: job for key, job in zip(axis, jobs, strict=True) if key not in self._maps}
            if missing:
                found = self._probe(list(missing.values()), dpr, size, along_rows)
                if found is None:
                    return None
                self._maps.update(zip(missing, found, strict=True))
            keys.append(axis)
        return ([(self._maps[columns], self._maps[rows]) for columns, rows in zip(*keys, strict=True)],
                set(keys[0]) | set(keys[1]))

    def _probe(self, jobs: list[tuple[LayerItem, QTransform]], dpr: float, size: int,
               along_rows: bool) -> list[np.ndarray] | None:
        across = _BAND * len(jobs)
        target = (QImage(across, size, QImage.Format.Format_ARGB32_Premultiplied) if along_rows
                  else QImage(size, across, QImage.Format.Format_ARGB32_Premultiplied))
        target.setDevicePixelRatio(dpr)
        target.fill(Qt.GlobalColor.transparent)
        painter = QPainter(target)
        painter.setRenderHints(self.hints)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        spans = []
        for index, (item, transform) in enumerate(jobs):
            image, shape = item.qimage, item.image.shape[:2]  # type: ignore[union-attr]
            assert image is not None
            rows, cols = float(shape[0]), float(shape[1])
            count = image.height() if along_rows else image.width()
            spans.append((rows if along_rows else cols) / count)  # item units per source pixel, along
            other_span = cols / image.width() if along_rows else rows / image.height()
            other_scale = (transform.m11() if along_rows else transform.m22()) * dpr
            repeat = 1
            while other_span * repeat * other_scale < 2.0 and repeat < 1 << 16:
                repeat *= 2  # across, two device pixels or more (powers of 2 keep the scale exact)
            offset = _BAND * index / dpr  # this probe's band, logical
            if offset * dpr / (other_span * other_scale) >= _FAST:
                painter.end()
                return None
            probe_key = (image.format(), count, along_rows, repeat)
            if probe_key not in self._probes:
                self._probes[probe_key] = _numbered(image.format(), count, along_rows, repeat)
            probe = self._probes[probe_key][1]
            # along the probed axis the item's own scale, offset and drawImage rectangle
            if along_rows:
                painter.setWorldTransform(QTransform(transform.m11(), 0.0, 0.0, transform.m22(), offset, transform.dy()))
                painter.drawImage(QRectF(0.0, 0.0, other_span * repeat, rows), probe)
            else:
                painter.setWorldTransform(QTransform(transform.m11(), 0.0, 0.0, transform.m22(), transform.dx(), offset))
                painter.drawImage(QRectF(0.0, 0.0, cols, other_span * repeat), probe)
        painter.end()
        pixels = np.frombuffer(target.constBits(), np.uint32, count=target.width() * target.height()).reshape(
            target.height(), target.width())
        found = []
        for index, (item, transform) in enumerate(jobs):
            line = pixels[:, _BAND * index] if along_rows else pixels[_BAND * index]
            decoded = self._decode(line, item.qimage, transform, dpr, spans[index], along_rows)  # type: ignore[arg-type]
            if decoded is None:
                return None
            found.append(decoded)
        return found

    @staticmethod
    def _decode(line: np.ndarray, image: QImage, transform: QTransform, dpr: float, span: float,
                along_rows: bool) -> np.ndarray | None:
        alpha = line >> 24
        if np.any((alpha != 0) & (alpha != 255)):
            return None  # blended edges: not the drawing the probe assumes
        if image.format() == QImage.Format.Format_Indexed8:  # the number mod 256: the nearest to the centre
            offset, scale = (transform.dy(), transform.m22()) if along_rows else (transform.dx(), transform.m11())
            estimate = np.floor(((np.arange(len(line)) + 0.5) / dpr - offset) / scale / span).astype(np.int64)
            code = estimate + ((line & 0xFF).astype(np.int64) - estimate + 128) % 256 - 128
        else:
            code = (line & 0xFFFFFF).astype(np.int64)
        return np.where(alpha == 255, code, -1)
