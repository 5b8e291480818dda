"""Outlines and masks read from other labelling tools' files (labelme, COCO, CVAT), as shapes that
turn into the pixels of a binary mask; which labels are smoke; the errors a reader raises.

Coordinates in these files are continuous and edge-based: x = 0 is the left edge of the first
column, so pixel (i, j) spans [i, i + 1) x [j, j + 1). The polygon tool's points have pixel centres
on integers (`fosp_core.annotation.tools`), so a point (x, y) of a file is the tool's
(x - 0.5, y - 0.5): a vertex lands on the pixel that holds it, and an imported polygon fills the
pixels that the polygon tool fills for the same outline drawn here (`tools.polygon_region`:
outline included, even-odd). Boxes and rectangles are polygons through their four corners.

Smoke is the union of the shapes of the smoke labels; the shapes of the ignore labels (a name
containing "ignore", like labelme's ``__ignore__``) are then 255 on top; other labels are left out.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from fosp_core.annotation.history import Rect
from fosp_core.annotation.tools import Region, polygon_region
from fosp_core.data.dataset_entries import DatasetError
from fosp_core.data.types import IGNORE, SMOKE

__all__ = ["Bitmap", "Ellipse", "ForeignImage", "ForeignLabelError", "ForeignLabels", "LabelChoiceError",
           "MAX_COORDINATE", "Polygon", "Rle", "Shape", "choose_labels", "count_left_out", "file_stem",
           "is_coordinate", "render"]


class ForeignLabelError(DatasetError):
    """A labelme/COCO/CVAT file that cannot be read; `path` is the file, `reason` says what and
    where (the field, the image). Nothing is imported from a source that raised it."""


class LabelChoiceError(ForeignLabelError):
    """The smoke labels cannot be told apart from the others; `labels` lists the file's labels to
    choose from (``--label NAME`` on the command line, the list to tick in the app)."""

    def __init__(self, path: str | os.PathLike, reason: str, labels: Sequence[str]) -> None:
        super().__init__(path, reason)
        self.labels = list(labels)


def _pixels_rect(left: int, top: int, pixels: np.ndarray, size: tuple[int, int]) -> Region | None:
    """`pixels` (bool, placed with its top-left at (left, top)) clipped to an image of `size`."""
    h, w = pixels.shape
    y0, y1, x0, x1 = max(top, 0), min(top + h, size[0]), max(left, 0), min(left + w, size[1])
    if y0 >= y1 or x0 >= x1:
        return None
    rect: Rect = (y0, y1, x0, x1)
    return Region(rect, pixels[y0 - top:y1 - top, x0 - left:x1 - left])


@dataclass(frozen=True)
class Polygon:
    """A closed outline through `points` [(x, y), ...] in the file's edge-based coordinates."""

    label: str
    points: tuple[tuple[float, float], ...]

    def region(self, size: tuple[int, int]) -> Region | None:
        """The pixels the polygon tool fills for this outline on an image of `size` (H, W)."""
        return polygon_region([(x - 0.5, y - 0.5) for x, y in self.points], size)


@dataclass(frozen=True)
class Ellipse:
    """An axis-aligned ellipse of centre (`cx`, `cy`) (edge-based) and radii `rx`, `ry` (a circle:
    equal): the pixels whose centre lies in it."""

    label: str
    cx: float
    cy: float
    rx: float
    ry: float

    def region(self, size: tuple[int, int]) -> Region | None:
        """The pixels of an image of `size` (H, W) whose centres lie within the ellipse."""
        rx, ry = abs(self.rx), abs(self.ry)
        y0, y1 = max(math.floor(self.cy - ry), 0), min(math.ceil(self.cy + ry) + 1, size[0])
        x0, x1 = max(math.floor(self.cx - rx), 0), min(math.ceil(self.cx + rx) + 1, size[1])
        if y0 >= y1 or x0 >= x1 or rx == 0 or ry == 0:
            return None
        ys = (np.arange(y0, y1, dtype=np.float64)[:, None] + 0.5 - self.cy) / ry
        xs = (np.arange(x0, x1, dtype=np.float64)[None, :] + 0.5 - self.cx) / rx
        return Region((y0, y1, x0, x1), ys * ys + xs * xs <= 1.0)


@dataclass(frozen=True, eq=False)
class Bitmap:
    """A bool mask `pixels` (h, w) whose top-left pixel is (`left`, `top`) of the image."""

    label: str
    left: int
    top: int
    pixels: np.ndarray

    def region(self, size: tuple[int, int]) -> Region | None:
        """The bitmap clipped to an image of `size` (H, W)."""
        return _pixels_rect(self.left, self.top, self.pixels, size)


@dataclass(frozen=True, eq=False)
class Rle:
    """Run lengths over a (`height`, `width`) image, background first, column by column
    (`fortran`, COCO) or row by row (CVAT); `counts` sum to at most height * width (the rest is
    background). `left`/`top` place it in the image (a CVAT mask's box)."""

    label: str
    counts: np.ndarray
    height: int
    width: int
    fortran: bool = True
    left: int = 0
    top: int = 0

    def pixels(self) -> np.ndarray:
        """The decoded bool (height, width) mask."""
        total = self.height * self.width
        values = np.arange(len(self.counts)) % 2 == 1
        flat = np.repeat(values, self.counts)
        if flat.size < total:
            flat = np.concatenate([flat, np.zeros(total - flat.size, bool)])
        if self.fortran:
            return flat.reshape(self.width, self.height).T
        return flat.reshape(self.height, self.width)

    def region(self, size: tuple[int, int]) -> Region | None:
        """The decoded mask clipped to an image of `size` (H, W)."""
        return _pixels_rect(self.left, self.top, self.pixels(), size)


Shape = Polygon | Ellipse | Bitmap | Rle


@dataclass
class ForeignImage:
    """One image of a labelme/COCO/CVAT source: its `name` as the file gives it (a file name or a
    path, maybe from another computer), the (H, W) `size` it was labelled at (None: not given),
    its shapes, the `file` they were read from, and `also`: another name of the image (a labelme
    file's ``imagePath``), tried when `name` matches no image."""

    name: str
    size: tuple[int, int] | None
    shapes: list[Shape]
    file: str
    also: str | None = None


@dataclass
class ForeignLabels:
    """What a reader found: the `format` ("labelme", "coco", "cvat"), the `source` given, the
    images, every label name (first seen first, declared ones too) and `left_out`: (label, kind)
    of the shapes that are no area (points, lines) or have none (a COCO box without outline), with
    their number."""

    format: str
    source: str
    images: list[ForeignImage]
    labels: list[str]
    left_out: dict[tuple[str, str], int] = field(default_factory=dict)


def file_stem(name: str) -> str:
    """The stem of the last part of `name`, a path with / or \\ separators (a Windows path read on
    Linux too): ``C:\\data\\img\\A01.JPG`` -> ``A01``."""
    base = name.replace("\\", "/").rstrip("/").rpartition("/")[2]
    stem, dot, _ = base.rpartition(".")
    return stem if dot and stem else base


#: the largest coordinate read (pixels either side of the image): beyond it a file is malformed
MAX_COORDINATE = float(1 << 24)


def is_coordinate(value: object) -> bool:
    """Whether `value` is a number a shape may use: finite, at most `MAX_COORDINATE` either way."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            and abs(value) <= MAX_COORDINATE)


def count_left_out(left_out: dict[tuple[str, str], int], label: str, kind: str) -> None:
    """One more shape of `label` and `kind` left out (no area) in a reader's `left_out`."""
    left_out[(label, kind)] = left_out.get((label, kind), 0) + 1


def _is_ignore(name: str) -> bool:
    return "ignore" in name.casefold()


def choose_labels(source: str | os.PathLike, labels: Sequence[str],
                  wanted: Iterable[str] | None = None) -> tuple[set[str], set[str]]:
    """(smoke labels, ignore labels) of a file with `labels`.

    wanted: the names chosen as smoke (compared without case; each must be one of `labels`);
    None: every label whose name contains "smoke", else the only label that is not an ignore
    label. Ignore labels: names containing "ignore", unless chosen as smoke. Raises
    LabelChoiceError, listing the labels, when a wanted name is not there or no choice can be made.
    """
    by_fold: dict[str, list[str]] = {}
    for name in labels:
        by_fold.setdefault(name.casefold(), []).append(name)
    listed = ", ".join(repr(n) for n in labels) or "none"
    if wanted is not None:
        smoke: set[str] = set()
        for name in wanted:
            found = by_fold.get(name.casefold())
            if not found:
                raise LabelChoiceError(source, f"no label {name!r} in the file; its labels: {listed}", labels)
            smoke.update(found)
    else:
        smoke = {n for n in labels if "smoke" in n.casefold()}
        if not smoke:
            others = [n for n in labels if not _is_ignore(n)]
            if len(others) > 1:
                raise LabelChoiceError(source, f"no label named like 'smoke' and {len(others)} labels to choose "
                                       f"from: {listed}; choose the smoke labels (--label NAME, once per label)",
                                       labels)
            smoke = set(others)
    return smoke, {n for n in labels if _is_ignore(n) and n not in smoke}


def render(image: ForeignImage, size: tuple[int, int], smoke: set[str], ignore: set[str]) -> np.ndarray:
    """The uint8 (H, W) mask of `image` on an image of `size`: 1 inside the shapes of `smoke`
    labels, then 255 inside those of `ignore` labels, 0 elsewhere."""
    mask = np.zeros(size, np.uint8)
    for labels, value in ((smoke, SMOKE), (ignore, IGNORE)):
        for shape in image.shapes:
            if shape.label not in labels:
                continue
            region = shape.region(size)
            if region is not None:
                y0, y1, x0, x1 = region.rect
                mask[y0:y1, x0:x1][region.pixels] = value
    return mask
