"""CVAT for images 1.1 XML as foreign labels (`fosp_core.annotation.foreign_shapes`).

``<annotations>`` holds ``<meta>`` (the task's ``<labels>``) and one ``<image name= width= height=>``
per image, with its shapes: ``<polygon label= points="x1,y1;x2,y2;...">``, ``<box label= xtl= ytl=
xbr= ybr=>`` (turned by its ``rotation``: degrees clockwise about its centre) and ``<mask label=
rle="c1, c2, ..." left= top= width= height=>`` (run lengths over its box, row by row, background first). ``<ellipse cx= cy= rx= ry=>`` (not turned); turned ellipses and other
shapes (polyline, points, cuboid, skeleton, tag) are left out, counted. CVAT for video
(``<track>``) is refused: export the task as CVAT for images.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

from fosp_core.annotation.foreign_read import CancelCheck, check, xml_root
from fosp_core.annotation.foreign_shapes import (
    MAX_COORDINATE,
    Ellipse,
    ForeignImage,
    ForeignLabelError,
    ForeignLabels,
    Polygon,
    Rle,
    Shape,
    count_left_out,
    is_coordinate,
)

__all__ = ["is_cvat", "read_cvat"]


def is_cvat(path: Path) -> bool:
    """Whether `path` is an XML file whose root element is ``<annotations>`` (read up to it only)."""
    try:
        for _event, element in ET.iterparse(path, events=("start",)):
            return element.tag == "annotations"
    except (OSError, ET.ParseError):
        return False
    return False


def _float(path: Path, where: str, element: ET.Element, name: str) -> float:
    try:
        value = float(element.attrib[name])
    except (KeyError, ValueError) as exc:
        raise ForeignLabelError(path, f"{where}: attribute {name!r} must be a number") from exc
    if not is_coordinate(value):
        raise ForeignLabelError(path, f"{where}: attribute {name!r} must be finite, within {MAX_COORDINATE:.0f}")
    return value


def _int(path: Path, where: str, element: ET.Element, name: str, low: int = 0) -> int:
    value = _float(path, where, element, name)
    if value != int(value) or value < low:
        raise ForeignLabelError(path, f"{where}: attribute {name!r} must be an integer of at least {low}")
    return int(value)


def _rotation(path: Path, where: str, element: ET.Element) -> float:
    """The shape's ``rotation`` in degrees (0 when not given)."""
    if not element.attrib.get("rotation", "").strip():
        return 0.0
    value = _float(path, where, element, "rotation")
    return value % 360


def _turned(corners: tuple[tuple[float, float], ...], degrees: float) -> tuple[tuple[float, float], ...]:
    """`corners` turned by `degrees` about their centre, clockwise on the image (y down), as CVAT
    draws a box's ``rotation`` (SVG's ``rotate(degrees cx cy)``)."""
    if not degrees:
        return corners
    cx = sum(x for x, _ in corners) / len(corners)
    cy = sum(y for _, y in corners) / len(corners)
    cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return tuple((round(cx + (x - cx) * cos - (y - cy) * sin, 9), round(cy + (x - cx) * sin + (y - cy) * cos, 9))
                 for x, y in corners)


def read_cvat(path: Path, cancelled: CancelCheck | None = None) -> ForeignLabels:
    """The images and shapes of the CVAT for images XML file `path`.

    Raises ForeignLabelError naming the image and the shape for a file that does not follow the
    format (no ``<annotations>`` root, a missing or bad attribute, a mask whose runs overrun its box).
    cancelled(): asked between chunks of the file and every 256 images: True raises
    `foreign_read.ReadCancelled`."""
    try:
        root = xml_root(path, cancelled)
    except (OSError, ET.ParseError) as exc:
        raise ForeignLabelError(path, f"not readable as XML: {exc}") from exc
    if root.tag != "annotations":
        raise ForeignLabelError(path, f"not a CVAT XML file (root <{root.tag}>, not <annotations>)")
    if root.find("track") is not None:
        raise ForeignLabelError(path, "CVAT for video (<track>) is not read: export the task as 'CVAT for images 1.1'")
    labels: dict[str, None] = {}
    for name in root.iterfind("meta/*/labels/label/name"):
        if name.text:
            labels.setdefault(name.text.strip())
    images: list[ForeignImage] = []
    left_out: dict[tuple[str, str], int] = {}
    for i, element in enumerate(root.iterfind("image")):
        if not i & 255:
            check(cancelled)
        name = element.attrib.get("name")
        if not name:
            raise ForeignLabelError(path, f"<image> number {i + 1} has no 'name'")
        where = f"<image name={name!r}>"
        size = (_int(path, where, element, "height", 1), _int(path, where, element, "width", 1))
        shapes: list[Shape] = []
        for j, child in enumerate(element):
            label = child.attrib.get("label")
            if label is None:
                raise ForeignLabelError(path, f"{where}: <{child.tag}> number {j + 1} has no 'label'")
            labels.setdefault(label)
            try:
                shape = _shape(path, f"{where} <{child.tag} label={label!r}>", child, label, size)
            except _LeftOut as kind:
                count_left_out(left_out, label, str(kind))
                continue
            if shape is None:
                count_left_out(left_out, label, child.tag)
            else:
                shapes.append(shape)
        images.append(ForeignImage(name, size, shapes, str(path)))
    return ForeignLabels("cvat", str(path), images, list(labels), left_out)


class _LeftOut(Exception):  # noqa: N818 - not an error: a shape left out, counted under its kind
    """A shape that cannot be drawn, left out and counted (its kind: the message)."""


def _shape(path: Path, where: str, element: ET.Element, label: str, size: tuple[int, int]) -> Shape | None:
    """The shape `element` of an image of `size` (H, W), or None for a kind left out (counted)."""
    tag = element.tag
    if tag == "polygon":
        points = []
        for pair in element.attrib.get("points", "").split(";"):
            try:
                x, y = (float(v) for v in pair.split(","))
            except ValueError as exc:
                raise ForeignLabelError(path, f"{where}: points must be 'x1,y1;x2,y2;...', got {pair!r}") from exc
            if not (is_coordinate(x) and is_coordinate(y)):
                raise ForeignLabelError(path, f"{where}: point {pair!r} is not finite or beyond {MAX_COORDINATE:.0f}")
            points.append((x, y))
        if len(points) < 3:
            raise _LeftOut("polygon of fewer than 3 points")  # as labelme's and COCO's: one stray click
        return Polygon(label, tuple(points))
    if tag == "box":
        x0, y0, x1, y1 = (_float(path, where, element, a) for a in ("xtl", "ytl", "xbr", "ybr"))
        return Polygon(label, _turned(((x0, y0), (x1, y0), (x1, y1), (x0, y1)), _rotation(path, where, element)))
    if tag == "ellipse":
        if _rotation(path, where, element) % 180:  # turned: left out, counted
            return None
        cx, cy, rx, ry = (_float(path, where, element, a) for a in ("cx", "cy", "rx", "ry"))
        return Ellipse(label, cx, cy, rx, ry)
    if tag == "mask":
        left, top = _int(path, where, element, "left"), _int(path, where, element, "top")
        width, height = _int(path, where, element, "width", 1), _int(path, where, element, "height", 1)
        if left + width > size[1] or top + height > size[0]:  # CVAT writes a mask's box inside its image
            raise ForeignLabelError(path, f"{where}: its box ({left}, {top}, {width}x{height}) runs past the image "
                                          f"({size[1]}x{size[0]})")
        try:
            counts = np.array([int(c) for c in element.attrib.get("rle", "").split(",")], np.int64)
        except ValueError as exc:
            raise ForeignLabelError(path, f"{where}: rle must be comma-separated integers") from exc
        if counts.min() < 0 or int(counts.sum()) > width * height:
            raise ForeignLabelError(path, f"{where}: rle runs cover {int(counts.sum())} pixels (a negative run?), "
                                          f"its box {width}x{height} has {width * height}")
        return Rle(label, counts, height, width, fortran=False, left=left, top=top)
    return None
