"""What a project is made from, and importing existing labels as starting masks.

`read_source(folder[, listed])` lists the images of a SmokeSeg/SMOKE5K dataset (with their reference masks
and split membership) or of a plain folder. `label_files` finds the masks of a project's images in
a dataset or a folder of mask files named by image stem, and `read_label` reads one, checked against
its image; `Project.import_labels` copies them in as starting masks.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np

from fosp_core.annotation.entries import ImageEntry
from fosp_core.data.datasets import (
    DatasetError,
    available_splits,
    detect_layout,
    open_dataset,
    read_split_file,
)
from fosp_core.io.images import (  # image_size: (H, W) from the header; read_size: decoded too
    ImageReadError,
    image_size,
    list_image_names,
    read_size,
)
from fosp_core.io.masks import MaskReadError, read_mask
from fosp_core.io.orientation import unturned_note

__all__ = ["ImportReport", "LabelError", "SourceItem", "first_free", "image_size", "is_rescued", "label_files",
           "listed_names", "read_label", "read_source", "rescued_files", "unique_ids"]

MASK_EXTENSIONS = (".png", ".bmp", ".tif", ".tiff", ".gif")
_SPLIT_ORDER = ("train", "val", "test")


class SourceItem(NamedTuple):
    """One image of a source: id, image path and label path relative to the source root (posix),
    split (a tuple: 100 000 made in a tenth of the time of a frozen dataclass)."""

    id: str
    image: str
    label: str | None = None
    split: str | None = None


class LabelError(ValueError):
    """A label that cannot be imported; the message is the reason the import report gives."""


@dataclass
class ImportReport:
    """Outcome of an import: ids imported; (id, reason) of the masks kept because their image was
    already edited or reviewed (the user's work, no failure) and of the masks that `failed` (wrong
    size, unreadable: inputs that could not be taken); `cancelled` when the import was stopped
    between masks, `not_reached` images with a label it did not come to then."""

    imported: list[str] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False
    not_reached: int = 0

    @property
    def skipped(self) -> list[tuple[str, str]]:
        """Every mask not imported, with the reason: `kept`, then `failed`."""
        return [*self.kept, *self.failed]


def _rel(path: Path, root: Path, base: str | None = None) -> str:
    """`path` relative to the folder `root`, '/'-separated, as ``os.path.relpath`` makes it (lexical).
    `base`: ``os.path.abspath(root)``, made once by a caller with many paths. A path inside it is cut
    after it (``os.path.relpath`` took 50 µs a path: a dataset's project made 2 a photo, 0.5 s for
    SMOKE5K's 5 053); any other goes through ``os.path.relpath``."""
    base = os.path.abspath(root) if base is None else base
    full = os.path.abspath(path)
    prefix = base if base.endswith(os.sep) else base + os.sep
    if full.startswith(prefix) and len(full) > len(prefix):
        return full[len(prefix):].replace(os.sep, "/")
    return Path(os.path.relpath(full, base)).as_posix()


def read_source(root: Path, listed: Sequence[str | os.PathLike] | None = None) -> tuple[str, list[SourceItem]]:
    """(layout, items) of an images folder or dataset; unreadable items of a dataset are left out.

    listed: the image files of a plain folder `root` as the caller listed them - all of them, in
    the order of ``list_images(root)``, resolved or not (``collect_image_paths([root])``) - taken
    instead of listing the folder again (see `listed_names`); ignored for a dataset.
    """
    try:
        layout = detect_layout(root)
    except DatasetError:
        layout = "folder"
    if layout == "folder":
        names = (listed_names(root, listed) if listed is not None else None) or list_image_names(root)
        return "folder", [SourceItem(i, name) for i, name in zip(unique_ids(names), names, strict=True)]
    # every image is one to label: those of a labelled dataset without a mask too (mask None)
    dataset = open_dataset(root, on_error="skip", check_sizes=False, keep_unlabelled=True)
    split_of: dict[str, str] = {}
    if layout == "smokeseg":
        splits = available_splits(root)
        for name in _SPLIT_ORDER:
            if name in splits:
                for sample_id in read_split_file(splits[name]):
                    split_of.setdefault(sample_id, name)
    # a SMOKE5K subset (root/train/img/...) is a split; img/ + gt/ directly in root are in none
    base = os.path.abspath(root)
    items = [SourceItem(e.id, _rel(e.image, root, base), None if e.mask is None else _rel(e.mask, root, base),
                        split_of.get(e.id) or (_subset_of(e.image, root) if layout == "smoke5k" else None))
             for e in dataset.entries]
    return layout, items


def _subset_of(image: Path, root: Path) -> str | None:
    """The SMOKE5K subset folder (``train``, ``test``) an image of `root` lies in, None when its
    ``img/`` folder is directly in `root` (a flat dataset has no splits)."""
    subset = image.parent.parent
    return None if subset == root else subset.name


def listed_names(root: Path, listed: Sequence[str | os.PathLike]) -> list[str] | None:
    """The file names of `listed` when every one lies directly in `root` (as given or resolved),
    else None. A file that is a symbolic link to one elsewhere was listed resolved, under its
    target's path: its own name is unknown, so the folder has to be listed again. (One linking to
    another image of the same folder was listed resolved too, as that image, and then once: the
    project has that image once, as the window shows it.)"""
    sep = os.sep
    parts = [os.fspath(path).rpartition(sep) for path in listed]
    folders = {folder for folder, _, _ in parts}
    if not folders <= {os.fspath(root), os.path.realpath(root)}:
        return None
    return [name for _, _, name in parts]


def unique_ids(names: list[str]) -> list[str]:
    """Image ids for the file names of one folder: the stem, or ``<stem>_<ext>`` (then
    ``<stem>_<ext>_2`` ...) for files that share a stem - ``a.jpg`` and ``a.png`` - compared without
    case, so their mask files (``masks/<id>.png``) stay apart on macOS and Windows too."""
    stems = _stems(names)
    folded = [stem.casefold() for stem in stems]
    if len(set(folded)) == len(names):  # no stem shared: the usual case, at once
        return stems
    counts = Counter(folded)
    taken = {fold for fold in folded if counts[fold] == 1}
    ids = []
    for name, stem, fold in zip(names, stems, folded, strict=True):
        if counts[fold] == 1:
            ids.append(stem)
            continue
        ids.append(first_free(f"{stem}_{os.path.splitext(name)[1].lstrip('.')}", taken, str.casefold))
    return ids


def _stems(names: list[str]) -> list[str]:
    """``os.path.splitext(name)[0]`` of each file name, 5 times as fast: the text before the last
    dot, except for a name without one, or whose part before it is empty or starts with a dot."""
    stems = [name.rpartition(".")[0] for name in names]
    return [stem if stem and stem[0] != "." else os.path.splitext(name)[0] for stem, name in zip(stems, names, strict=True)]


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
    folder with SegmentationClass/, a folder of masks named by image stem, or a project's ``rescued/``:
    `rescued_files`), or, when None, the
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
    if is_rescued(source):
        return rescued_files(source)
    masks = source / "SegmentationClass"
    return _mask_files(masks if masks.is_dir() else source)


#: a mask a save could not write into a project taken over: ``<id>.<YYYYmmdd-HHMMSS>.<pid>[.<n>].png``
_RESCUED = re.compile(r"^(?P<id>.+)\.(?P<stamp>\d{8}-\d{6})\.(?P<pid>\d+)(?:\.(?P<n>\d+))?\.png$")


def is_rescued(source: Path) -> bool:
    """Whether `source` is a project's ``rescued/`` folder: a person's edits, not labels from elsewhere."""
    return source.name == "rescued" and (source.parent / "project.json").is_file()


def rescued_files(folder: Path) -> dict[str, Path]:
    """{image id: its newest mask} of a project's ``rescued/`` folder (`fosp_core.annotation.taken_over`
    names them after the image, the time and the process): what Import Labels of that folder takes, so a
    mask saved there after a take-over goes back into the project - over an image edited since only with
    `overwrite`. A name cut for its length is not taken (its id is not in it)."""
    newest: dict[str, tuple[tuple[str, int], Path]] = {}
    for path in folder.iterdir():
        found = _RESCUED.match(path.name)
        if found is None or not path.is_file():
            continue
        key = (found["stamp"], int(found["n"] or 0))
        image_id = found["id"]
        if image_id not in newest or key > newest[image_id][0]:
            newest[image_id] = (key, path)
    return {image_id: path for image_id, (_key, path) in newest.items()}


def read_label(path: Path, size: tuple[int, int] | None, image: Path) -> np.ndarray:
    """The mask at `path`, checked to be (height, width) `size` (read from `image` when None).

    Raises LabelError with the reason for an unreadable mask or image, or a size mismatch."""
    try:
        mask = read_mask(path)
    except MaskReadError as exc:
        raise LabelError(f"unreadable mask {path}: {exc.reason}") from exc
    try:
        size = size or read_size(image)
    except ImageReadError as exc:
        raise LabelError(f"unreadable image {image}: {exc.reason}") from None
    if mask.shape != tuple(size):
        turned = unturned_note(image, (mask.shape[1], mask.shape[0]))
        raise LabelError(f"mask {path.name} is {mask.shape[1]}x{mask.shape[0]}, the image is {size[1]}x{size[0]}{turned}")
    return mask
