"""labelme (and X-AnyLabeling) JSON files as foreign labels (`fosp_core.annotation.foreign_shapes`).

One ``<stem>.json`` per image, named like it: ``shapes`` (each ``label``, ``points`` [[x, y], ...],
``shape_type``), ``imagePath``, ``imageHeight``, ``imageWidth``. Shape types read:
``polygon`` (also when null, as older labelme wrote it; X-AnyLabeling's ``rotation`` and
``oriented_rectangle`` too), ``rectangle`` (the box over its points: two corners in labelme, four in
X-AnyLabeling), ``circle`` (centre, then a point on the circle) and ``mask`` (newer labelme: a
base64 PNG in ``mask`` whose top-left pixel is the first point, the second point its bottom-right
pixel). Points, lines and line strips are no area: left out, counted.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from fosp_core.annotation.foreign_read import load_json
from fosp_core.annotation.foreign_shapes import (
    MAX_COORDINATE,
    Bitmap,
    Ellipse,
    ForeignImage,
    ForeignLabelError,
    ForeignLabels,
    Polygon,
    Shape,
    count_left_out,
    is_coordinate,
)

__all__ = ["is_labelme", "labelme_files", "read_labelme"]

_POLYGONS = (None, "polygon", "rotation", "oriented_rectangle")
_NO_AREA = ("point", "points", "line", "linestrip", "polyline")


def is_labelme(data: object) -> bool:
    """Whether parsed JSON `data` looks like a labelme file (an object with a ``shapes`` list)."""
    return isinstance(data, dict) and isinstance(data.get("shapes"), list)


def labelme_files(folder: Path) -> list[Path]:
    """The ``.json`` files directly in `folder` (any case of the extension), sorted by name."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() == ".json" and p.is_file()
                  and not p.name.startswith("."))


def read_labelme(source: Path, files: list[Path] | None = None,
                 parsed: dict[Path, Any] | None = None) -> ForeignLabels:
    """The images and shapes of a labelme file, or of every ``.json`` of a folder `source` (`files`:
    those, when listed already; `parsed`: JSON already read, by path).

    Raises ForeignLabelError naming the file and the shape for any file that is no labelme file or
    does not follow the format, before anything is imported."""
    if files is None:
        files = labelme_files(source) if source.is_dir() else [source]
    parsed = parsed or {}
    images: list[ForeignImage] = []
    labels: dict[str, None] = {}
    left_out: dict[tuple[str, str], int] = {}
    for path in files:
        data = parsed[path] if path in parsed else _load(path)
        if not is_labelme(data):
            raise ForeignLabelError(path, "not a labelme file (no 'shapes' list)")
        size = _size(path, data)
        shapes: list[Shape] = []
        for i, raw in enumerate(data["shapes"]):
            shape = _shape(path, i, raw, left_out)
            labels.setdefault(raw["label"])
            if shape is not None:
                shapes.append(shape)
        image_path = data.get("imagePath")
        images.append(ForeignImage(path.name, size, shapes, str(path),
                                   also=image_path if isinstance(image_path, str) and image_path else None))
    return ForeignLabels("labelme", str(source), images, list(labels), left_out)


def _load(path: Path) -> Any:
    try:
        return load_json(path)  # nested too deeply: JSONDecodeError, as any JSON that does not parse
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ForeignLabelError(path, f"not readable as JSON: {exc}") from exc


def _size(path: Path, data: dict) -> tuple[int, int] | None:
    h, w = data.get("imageHeight"), data.get("imageWidth")
    if h is None and w is None:
        return None
    if not (isinstance(h, int) and isinstance(w, int) and not isinstance(h, bool) and h > 0 and w > 0):
        raise ForeignLabelError(path, f"imageHeight/imageWidth must be positive integers, got {h!r}/{w!r}")
    return h, w


def _points(path: Path, where: str, raw: Any) -> list[tuple[float, float]]:
    if not isinstance(raw, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(is_coordinate(v) for v in p) for p in raw):
        raise ForeignLabelError(path, f"{where}: points must be a list of [x, y] numbers (finite, within "
                                      f"{MAX_COORDINATE:.0f})")
    return [(float(x), float(y)) for x, y in raw]


def _shape(path: Path, i: int, raw: Any, left_out: dict[tuple[str, str], int]) -> Shape | None:
    where = f"shapes[{i}]"
    if not isinstance(raw, dict) or not isinstance(raw.get("label"), str):
        raise ForeignLabelError(path, f"{where} needs a 'label'")
    label, kind = raw["label"], raw.get("shape_type")
    where = f"{where} ({label!r}, {kind or 'polygon'})"
    points = _points(path, where, raw.get("points"))
    if kind in _POLYGONS:
        if len(points) < 3:  # no area (a click too few): left out, as COCO's
            count_left_out(left_out, label, "polygon of fewer than 3 points")
            return None
        return Polygon(label, tuple(points))
    if kind == "rectangle":
        if len(points) < 2:
            raise ForeignLabelError(path, f"{where}: a rectangle needs 2 corners")
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        return Polygon(label, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)))
    if kind == "circle":
        if len(points) != 2:
            raise ForeignLabelError(path, f"{where}: a circle needs its centre and a point on it")
        (cx, cy), (px, py) = points
        radius = math.hypot(px - cx, py - cy)
        return Ellipse(label, cx, cy, radius, radius)
    if kind == "mask":
        return _mask(path, where, label, points, raw.get("mask"))
    if kind in _NO_AREA:
        count_left_out(left_out, label, str(kind))
        return None
    raise ForeignLabelError(path, f"{where}: unknown shape_type {kind!r}")


def _mask(path: Path, where: str, label: str, points: list[tuple[float, float]], data: Any) -> Bitmap:
    if len(points) != 2 or not isinstance(data, str):
        raise ForeignLabelError(path, f"{where}: a mask needs 2 points and a base64 PNG in 'mask'")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ForeignLabelError(path, f"{where}: 'mask' is not base64 ({exc})") from exc
    pixels = cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_UNCHANGED) if raw else None
    if pixels is None:
        raise ForeignLabelError(path, f"{where}: 'mask' is not an image")
    if pixels.ndim == 3:  # labelme writes 1-bit PNGs; any channel set counts (alpha left out)
        pixels = pixels[..., :3].any(axis=2) if pixels.shape[2] >= 3 else pixels[..., 0]
    (x0, y0), (x1, y1) = points
    left, top = round(min(x0, x1)), round(min(y0, y1))
    h, w = round(abs(y1 - y0)) + 1, round(abs(x1 - x0)) + 1
    if pixels.shape[:2] != (h, w):
        raise ForeignLabelError(path, f"{where}: the mask image is {pixels.shape[1]}x{pixels.shape[0]}, "
                                      f"its points span {w}x{h}")
    return Bitmap(label, left, top, np.asarray(pixels) != 0)
