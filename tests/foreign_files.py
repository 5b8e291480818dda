"""Labelme, COCO and CVAT files written by hand for the import tests, following the formats'
documentation (labelme's JSON, the cocoapi's RLE, CVAT's XML 1.1), and the demo images they label."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import cv2
import numpy as np

from fosp_core.annotation.project import Project
from fosp_core.io.masks import read_mask

__all__ = ["coco_rle_string", "demo_project", "demo_smoke", "labelme_file", "png_base64", "runs"]


def demo_project(demo_dir: Path, tmp_path: Path) -> tuple[Project, list[str]]:
    """A project over a copy of the demo's JPEG images (512x512), and their file names, sorted."""
    images = tmp_path / "images"
    shutil.copytree(demo_dir / "JPEGImages", images)
    names = sorted(p.name for p in images.iterdir())
    return Project.open(images, tmp_path / "project"), names


def demo_smoke(demo_dir: Path, name: str) -> np.ndarray:
    """The demo's own 0/1 smoke label of the image `name` (255 as 0): a real outline to encode."""
    return (read_mask(demo_dir / "SegmentationClass" / (Path(name).stem + ".png")) == 1).astype(np.uint8)


def runs(mask: np.ndarray, *, fortran: bool) -> list[int]:
    """Run lengths of a 0/1 mask, background first (0 when the first pixel is set), column by
    column (COCO) or row by row (CVAT)."""
    flat = np.asarray(mask, bool).ravel(order="F" if fortran else "C")
    out, current, n = [], False, 0
    for value in flat.tolist():
        if value == current:
            n += 1
        else:
            out.append(n)
            current, n = value, 1
    out.append(n)
    return out


def coco_rle_string(counts: list[int]) -> str:
    """The cocoapi's compressed RLE string (``rleToString``): from the third count on the
    difference to the count two places before, each in 5-bit groups, lowest first, 0x20 while
    more follow, 48 added."""
    chars = []
    for i, count in enumerate(counts):
        x = count - counts[i - 2] if i > 2 else count
        while True:
            c = x & 0x1F
            x >>= 5
            more = x != -1 if c & 0x10 else x != 0
            chars.append(chr(48 + (c | 0x20 if more else c)))
            if not more:
                break
    return "".join(chars)


def labelme_file(folder: Path, stem: str, shapes: list[dict], *, size: tuple[int, int] | None = (512, 512),
                 image_path: str | None = None) -> Path:
    """``<folder>/<stem>.json`` as labelme 5 writes it (no imageData)."""
    data: dict = {"version": "5.5.0", "flags": {}, "shapes": [
        {"label": s["label"], "points": s["points"], "group_id": None, "description": "",
         "shape_type": s.get("shape_type", "polygon"), "flags": {}, "mask": s.get("mask")} for s in shapes],
        "imagePath": image_path or f"..\\images\\{stem}.jpg", "imageData": None}
    if size is not None:
        data["imageHeight"], data["imageWidth"] = size
    path = folder / f"{stem}.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def png_base64(pixels: np.ndarray) -> str:
    """A 0/1 mask as labelme stores a mask shape: a PNG, base64."""
    ok, data = cv2.imencode(".png", (np.asarray(pixels) > 0).astype(np.uint8) * 255)
    assert ok
    return base64.b64encode(data.tobytes()).decode("ascii")
