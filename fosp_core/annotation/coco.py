"""COCO instances JSON as foreign labels (`fosp_core.annotation.foreign_shapes`).

One file: ``images`` ({id, file_name, height, width}), ``categories`` ({id, name}) and
``annotations`` ({image_id, category_id, segmentation, iscrowd}). A segmentation is a list of
polygons ``[[x1, y1, x2, y2, ...], ...]`` (their union) or an RLE ``{"size": [h, w], "counts": ...}``,
uncompressed (a list) or compressed (a string; `fosp_core.annotation.coco_rle`). Crowd annotations
(``iscrowd`` 1, usually RLE) mark smoke not split into instances: for a binary mask they are smoke
like the others. An annotation without a segmentation (a box only) has no outline: left out and
counted. Polygons of fewer than 3 points are left out too, as the cocoapi cannot draw them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fosp_core.annotation.coco_rle import RleError, rle_counts
from fosp_core.annotation.foreign_read import CancelCheck, check, load_json
from fosp_core.annotation.foreign_shapes import (
    MAX_COORDINATE,
    ForeignImage,
    ForeignLabelError,
    ForeignLabels,
    Polygon,
    Rle,
    Shape,
    count_left_out,
    is_coordinate,
)

__all__ = ["is_coco", "read_coco"]


def is_coco(data: object) -> bool:
    """Whether parsed JSON `data` looks like a COCO instances file (``images`` and ``annotations`` lists)."""
    return isinstance(data, dict) and isinstance(data.get("images"), list) and isinstance(data.get("annotations"), list)


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _scalar(value: Any) -> bool:
    """Whether `value` can be looked up as an id (a list or an object in the file cannot: unhashable)."""
    return isinstance(value, int | float | str)


def _wxh(size: tuple[int, int] | None) -> str:
    return "no size" if size is None else f"{size[1]}x{size[0]}"


def _number(value: Any) -> bool:
    return is_coordinate(value)


def read_coco(path: Path, data: dict | None = None, cancelled: CancelCheck | None = None) -> ForeignLabels:
    """The images and shapes of the COCO file `path` (`data`: its parsed JSON when read already).

    Raises ForeignLabelError naming the field for a file that does not follow the format: a
    missing or mistyped field, an annotation of an unknown image or category, an RLE whose runs do
    not cover its size or whose size is not its image's. cancelled(): asked every 256 annotations
    (and while the file is parsed): True raises `foreign_read.ReadCancelled`."""
    if data is None:
        try:
            data = load_json(path, cancelled)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ForeignLabelError(path, f"not readable as JSON: {exc}") from exc
    if not is_coco(data):
        raise ForeignLabelError(path, "not a COCO instances file (no 'images' and 'annotations' lists)")
    categories: dict[int, str] = {}
    for i, cat in enumerate(data.get("categories") or []):
        if not (isinstance(cat, dict) and _int(cat.get("id")) and isinstance(cat.get("name"), str)):
            raise ForeignLabelError(path, f"categories[{i}] needs an integer 'id' and a 'name'")
        categories[cat["id"]] = cat["name"]
    images: dict[int, ForeignImage] = {}
    for i, im in enumerate(data["images"]):
        if not (isinstance(im, dict) and _int(im.get("id")) and isinstance(im.get("file_name"), str)):
            raise ForeignLabelError(path, f"images[{i}] needs an integer 'id' and a 'file_name'")
        h, w = im.get("height"), im.get("width")
        if not (_int(h) and _int(w) and h > 0 and w > 0):
            raise ForeignLabelError(path, f"images[{i}] ({im['file_name']}) needs positive integer 'height' and 'width'")
        if im["id"] in images:
            raise ForeignLabelError(path, f"images[{i}]: id {im['id']} is given twice")
        images[im["id"]] = ForeignImage(im["file_name"], (h, w), [], str(path))
    left_out: dict[tuple[str, str], int] = {}
    for i, ann in enumerate(data["annotations"]):
        if not i & 255:
            check(cancelled)
        where = f"annotations[{i}]"
        if not isinstance(ann, dict):
            raise ForeignLabelError(path, f"{where} is not an object")
        image_id, category_id = ann.get("image_id"), ann.get("category_id")
        image = images.get(image_id) if _scalar(image_id) else None  # a list or an object: no id (no TypeError)
        label = categories.get(category_id) if _scalar(category_id) else None
        if image is None:
            raise ForeignLabelError(path, f"{where}: image_id {image_id!r} is not in 'images'")
        if label is None:
            raise ForeignLabelError(path, f"{where}: category_id {category_id!r} is not in 'categories'")
        segmentation = ann.get("segmentation")
        if not segmentation:
            count_left_out(left_out, label, "box without outline")
            continue
        image.shapes.extend(_shapes(path, where, label, segmentation, image, left_out))
    return ForeignLabels("coco", str(path), list(images.values()), list(dict.fromkeys(categories.values())), left_out)


def _shapes(path: Path, where: str, label: str, segmentation: Any, image: ForeignImage,
            left_out: dict[tuple[str, str], int]) -> list[Shape]:
    if isinstance(segmentation, dict):
        size = segmentation.get("size")
        if not (isinstance(size, list) and len(size) == 2 and all(_int(v) for v in size)):
            raise ForeignLabelError(path, f"{where}: an RLE segmentation needs 'size' [height, width]")
        if image.size is None or tuple(size) != image.size:
            raise ForeignLabelError(path, f"{where}: RLE size {size[1]}x{size[0]} is not the size of its image "
                                          f"{image.name} ({_wxh(image.size)})")
        try:
            counts = rle_counts(segmentation.get("counts"), size[0], size[1])
        except RleError as exc:
            raise ForeignLabelError(path, f"{where}: RLE of {image.name}: {exc}") from exc
        return [Rle(label, counts, size[0], size[1], fortran=True)]
    if not isinstance(segmentation, list):
        raise ForeignLabelError(path, f"{where}: segmentation is neither polygons nor an RLE")
    shapes: list[Shape] = []
    for j, poly in enumerate(segmentation):
        if not (isinstance(poly, list) and len(poly) % 2 == 0 and all(_number(v) for v in poly)):
            raise ForeignLabelError(path, f"{where}: segmentation[{j}] is not a list of x, y numbers (finite, "
                                          f"within {MAX_COORDINATE:.0f})")
        if len(poly) < 6:
            count_left_out(left_out, label, "polygon of fewer than 3 points")
            continue
        shapes.append(Polygon(label, tuple(zip(map(float, poly[0::2]), map(float, poly[1::2]), strict=True))))
    return shapes
