"""What a project is made from, and importing existing labels as starting masks.

`read_source(folder)` lists the images of a SmokeSeg/SMOKE5K dataset (with their reference masks
and split membership) or of a plain folder. `label_files` finds the masks of a project's images in
a dataset or a folder of mask files named by image stem, and `read_label` reads one, checked against
its image; `Project.import_labels` copies them in as starting masks.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fosp_core.annotation.entries import ImageEntry
from fosp_core.data.datasets import (
    DatasetError,
    available_splits,
    detect_layout,
    open_dataset,
    read_split_file,
)
from fosp_core.io.images import image_size, list_images  # image_size: (H, W) from the header
from fosp_core.io.masks import MaskReadError, read_mask

__all__ = ["ImportReport", "LabelError", "SourceItem", "first_free", "image_size", "label_files", "read_label",
           "read_source", "unique_ids"]

MASK_EXTENSIONS = (".png", ".bmp", ".tif", ".tiff", ".gif")
_SPLIT_ORDER = ("train", "val", "test")


@dataclass(frozen=True)
class SourceItem:
    """One image of a source: id, image path and label path relative to the source root (posix)."""

    id: str
    image: str
    label: str | None = None
    split: str | None = None


class LabelError(ValueError):
    """A label that cannot be imported; the message is the reason the import report gives."""


@dataclass
class ImportReport:
    """Outcome of an import: ids imported, ids skipped with the reason."""

    imported: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _rel(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path.absolute(), root.absolute())).as_posix()


def read_source(root: Path) -> tuple[str, list[SourceItem]]:
    """(layout, items) of an images folder or dataset; unreadable items of a dataset are left out."""
    try:
        layout = detect_layout(root)
    except DatasetError:
        layout = "folder"
    if layout == "folder":
        names = [p.name for p in list_images(root)]  # children of root
        return "folder", [SourceItem(i, name) for i, name in zip(unique_ids(names), names, strict=True)]
    dataset = open_dataset(root, on_error="skip", check_sizes=False)
    split_of: dict[str, str] = {}
    if layout == "smokeseg":
        splits = available_splits(root)
        for name in _SPLIT_ORDER:
            if name in splits:
                for sample_id in read_split_file(splits[name]):
                    split_of.setdefault(sample_id, name)
    items = [SourceItem(e.id, _rel(e.image, root), None if e.mask is None else _rel(e.mask, root),
                        split_of.get(e.id) or (e.image.parent.parent.name if layout == "smoke5k" else None))
             for e in dataset.entries]
    return layout, items


def unique_ids(names: list[str]) -> list[str]:
    """Image ids for the file names of one folder: the stem, or ``<stem>_<ext>`` (then
    ``<stem>_<ext>_2`` ...) for files that share a stem - ``a.jpg`` and ``a.png`` - compared without
    case, so their mask files (``masks/<id>.png``) stay apart on macOS and Windows too."""
    stems = [os.path.splitext(name)[0] for name in names]
    counts = Counter(stem.casefold() for stem in stems)
    taken = {stem.casefold() for stem in stems if counts[stem.casefold()] == 1}
    ids = []
    for name, stem in zip(names, stems, strict=True):
        if counts[stem.casefold()] == 1:
            ids.append(stem)
            continue
        ids.append(first_free(f"{stem}_{os.path.splitext(name)[1].lstrip('.')}", taken, str.casefold))
    return ids


def first_free(base: str, taken: set[str], fold: Callable[[str], str] = str) -> str:
    """`base`, else ``base_2``, ``base_3`` ..., the first whose `fold` is not in `taken` (it is
    added there)."""
    candidate, n = base, 2
    while fold(candidate) in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(fold(candidate))
    return candidate


def _mask_files(folder: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix.lower() in MASK_EXTENSIONS and not path.name.startswith("."):
            out.setdefault(path.stem, path)
    return out


def label_files(entries: Iterable[ImageEntry], images_root: Path, source: Path | None) -> dict[str, Path]:
    """{image id: mask file} for a project's images: from `source` (a SmokeSeg/SMOKE5K dataset, a
    folder with SegmentationClass/, or a folder of masks named by image stem), or, when None, the
    reference labels the entries were made with (relative to `images_root`)."""
    if source is None:
        return {e.id: images_root / e.label for e in entries if e.label is not None}
    if not source.is_dir():
        raise DatasetError(source, "not a folder")
    try:
        layout = detect_layout(source)
    except DatasetError:
        layout = "folder"
    if layout in ("smokeseg", "smoke5k"):
        dataset = open_dataset(source, on_error="skip", check_sizes=False)
        return {e.id: e.mask for e in dataset.entries if e.mask is not None}
    masks = source / "SegmentationClass"
    return _mask_files(masks if masks.is_dir() else source)


def read_label(path: Path, size: tuple[int, int] | None, image: Path) -> np.ndarray:
    """The mask at `path`, checked to be (height, width) `size` (read from `image` when None).

    Raises LabelError with the reason for an unreadable mask or image, or a size mismatch."""
    try:
        mask = read_mask(path)
    except MaskReadError as exc:
        raise LabelError(f"unreadable mask {path}: {exc.reason}") from exc
    size = size or image_size(image)
    if size is None:
        raise LabelError(f"unreadable image {image}")
    if mask.shape != tuple(size):
        raise LabelError(f"mask {path.name} is {mask.shape[0]}x{mask.shape[1]}, the image is {size[0]}x{size[1]}")
    return mask
