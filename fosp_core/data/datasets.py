"""Dataset readers: one interface over SmokeSeg/VOC, SMOKE5K and plain image folders.

`open_dataset(path, split=None, on_error="raise"|"skip")` detects the layout and returns a
`Dataset`: a Sequence of `Sample` (RGB uint8 HxWx3 image, uint8 HxW 0/1/255 mask or None,
source path) that reads files lazily, on `__getitem__`.

Layouts (checked in this order):

- ``smokeseg`` (Pascal VOC): ``JPEGImages/<id>.jpg`` + ``SegmentationClass/<id>.png``; split
  lists in ``ImageSets/Segmentation/``, ``SmokeSeg_ImageSets/Segmentation/`` (the authors'
  release), ``SmokeSeg_ImageSets/`` or ``ImageSets/``. Without ``SegmentationClass/`` the dataset
  is unlabelled. ``split=None`` means every image in ``JPEGImages/``.
- ``smoke5k``: ``img/`` + ``gt/`` (also accepted: ``images/`` + ``masks/``/``labels/``), 0/255
  masks; or a folder whose sub-folders (``train/``, ``test/``) have that layout, selected by
  ``split``.
- ``folder``: image files directly in the folder, no labels.

``split`` may also be the path of a text file of ids (one per line).

Problems found when opening - an id listed but without an image, a mask missing in a labelled
dataset, image and mask sizes that differ (from the file headers, EXIF orientation included),
two images with one id - either raise `DatasetError` (``on_error="raise"``, the default) or are
recorded in ``Dataset.skipped`` as ``(id, reason)`` and left out (``on_error="skip"``). Nothing
is dropped silently. A file that breaks later, when it is decoded, raises `SampleError`.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image

from fosp_core.data.types import LazySamples, Sample
from fosp_core.io.images import IMAGE_EXTENSIONS, ImageReadError, read_image
from fosp_core.io.masks import MaskReadError, read_mask

__all__ = [
    "Dataset",
    "DatasetError",
    "Entry",
    "SampleError",
    "available_splits",
    "detect_layout",
    "header_size",
    "open_dataset",
    "read_split_file",
    "SPLIT_DIRS",
]

OnError = Literal["raise", "skip"]
Layout = Literal["smokeseg", "smoke5k", "folder"]

# Where split lists live in a VOC-style dataset, in lookup order.
SPLIT_DIRS: tuple[str, ...] = (
    "ImageSets/Segmentation",
    "SmokeSeg_ImageSets/Segmentation",
    "SmokeSeg_ImageSets",
    "ImageSets",
)
_IMG_DIRS = ("img", "images")
_GT_DIRS = ("gt", "masks", "labels")
_MASK_EXTENSIONS = (".png", ".bmp", ".tif", ".tiff", ".gif")


class DatasetError(Exception):
    """A dataset (or one of its items) cannot be opened; carries the path and the reason."""

    def __init__(self, path: str | os.PathLike, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


class SampleError(Exception):
    """One sample could not be loaded; carries its id, the offending file and the reason."""

    def __init__(self, sample_id: str, path: str | os.PathLike, reason: str) -> None:
        super().__init__(f"sample {sample_id!r} ({path}): {reason}")
        self.id = sample_id
        self.path = Path(path)
        self.reason = reason


@dataclass(frozen=True)
class Entry:
    """Where one sample's files are. mask is None for an unlabelled sample."""

    id: str
    image: Path
    mask: Path | None = None


class Dataset(LazySamples[Entry]):
    """An ordered, lazily loaded collection of samples.

    Attributes: root, layout, split (name or None), ids, skipped [(id, reason)], has_labels.
    `dataset[i]` reads image and mask from disk each time (no cache): Sample.image is RGB uint8
    HxWx3, Sample.mask uint8 HxW 0/1/255 or None, Sample.source the image path, and
    Sample.meta {"mask_path": Path | None, "layout": str}.
    """

    def __init__(self, root: Path, entries: list[Entry], *, layout: str, split: str | None,
                 has_labels: bool, skipped: list[tuple[str, str]] | None = None,
                 smoke_color: tuple[int, int, int] | None = None) -> None:
        self.root = Path(root)
        self.layout = layout
        self.split = split
        self.has_labels = has_labels
        self.skipped: list[tuple[str, str]] = list(skipped or [])
        self.smoke_color = smoke_color
        super().__init__(entries, self.load)
        self._entries = self.keys
        self._index = {e.id: i for i, e in enumerate(self._entries)}

    @property
    def ids(self) -> list[str]:
        return [e.id for e in self._entries]

    @property
    def entries(self) -> list[Entry]:
        return list(self._entries)

    def __iter__(self) -> Iterator[Sample]:
        for entry in self._entries:
            yield self.load(entry)

    def __repr__(self) -> str:
        return (f"Dataset({str(self.root)!r}, layout={self.layout!r}, split={self.split!r}, "
                f"n={len(self)}, skipped={len(self.skipped)}, labels={self.has_labels})")

    def index_of(self, sample_id: str) -> int:
        """Position of an id; KeyError when absent."""
        return self._index[sample_id]

    def get(self, sample_id: str) -> Sample:
        """The sample with this id (KeyError when absent)."""
        return self.load(self._entries[self._index[sample_id]])

    def load_image(self, index: int) -> np.ndarray:
        """Only the image of item `index`: RGB uint8 HxWx3."""
        entry = self._entries[index]
        try:
            return read_image(entry.image).rgb
        except ImageReadError as exc:
            raise SampleError(entry.id, entry.image, exc.reason) from exc

    def load_mask(self, index: int) -> np.ndarray | None:
        """Only the mask of item `index` (uint8 HxW 0/1/255), None when unlabelled; no image decode."""
        entry = self._entries[index]
        if entry.mask is None:
            return None
        try:
            return read_mask(entry.mask, smoke_color=self.smoke_color)
        except MaskReadError as exc:
            raise SampleError(entry.id, entry.mask, exc.reason) from exc

    def load(self, entry: Entry) -> Sample:
        """Read one entry into a Sample; SampleError when a file is broken or sizes differ."""
        try:
            image = read_image(entry.image).rgb
        except ImageReadError as exc:
            raise SampleError(entry.id, entry.image, exc.reason) from exc
        mask = None
        if entry.mask is not None:
            try:
                mask = read_mask(entry.mask, smoke_color=self.smoke_color)
            except MaskReadError as exc:
                raise SampleError(entry.id, entry.mask, exc.reason) from exc
            if mask.shape != image.shape[:2]:
                raise SampleError(entry.id, entry.mask,
                                  f"mask is {mask.shape[1]}x{mask.shape[0]} but the image is "
                                  f"{image.shape[1]}x{image.shape[0]}")
        return Sample(id=entry.id, image=image, mask=mask, source=entry.image,
                      meta={"mask_path": entry.mask, "layout": self.layout})


# ----------------------------------------------------------------------------------------------
# layout detection


def _find_dir(root: Path, names: Sequence[str]) -> Path | None:
    for name in names:
        if (root / name).is_dir():
            return root / name
    return None


def _is_pairs_dir(folder: Path) -> bool:
    return _find_dir(folder, _IMG_DIRS) is not None and _find_dir(folder, _GT_DIRS) is not None


def _subfolders(root: Path) -> list[Path]:
    """The visible folders directly in `root`, sorted; file types come from the directory entries,
    so a folder of 100 000 images costs no stat per image."""
    found = []
    with os.scandir(root) as entries:
        for entry in entries:
            try:
                if not entry.name.startswith(".") and entry.is_dir():
                    found.append(root / entry.name)
            except OSError:
                continue
    return sorted(found)


def _pairs_subsets(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return [p for p in _subfolders(root) if _is_pairs_dir(p)]


def detect_layout(path: str | os.PathLike) -> Layout:
    """Which reader a folder needs: "smokeseg", "smoke5k" or "folder"; DatasetError otherwise."""
    root = Path(path)
    if not root.is_dir():
        raise DatasetError(root, "not a folder" if root.exists() else "no such folder")
    if (root / "JPEGImages").is_dir():
        return "smokeseg"
    if _is_pairs_dir(root) or _pairs_subsets(root):
        return "smoke5k"
    if any(p.suffix.lower() in IMAGE_EXTENSIONS and not p.name.startswith(".") for p in root.iterdir()):
        return "folder"
    raise DatasetError(root, "no dataset found: expected JPEGImages/ (SmokeSeg/VOC), img/ + gt/ (SMOKE5K) "
                             "or image files")


def available_splits(path: str | os.PathLike) -> dict[str, Path]:
    """Split names -> list files of a dataset folder (first of SPLIT_DIRS wins per name);
    for a SMOKE5K folder with sub-folders, their names -> folders."""
    root = Path(path)
    found: dict[str, Path] = {}
    for rel in SPLIT_DIRS:
        folder = root / rel
        if folder.is_dir():
            for txt in sorted(folder.glob("*.txt")):
                found.setdefault(txt.stem, txt)
    for sub in _pairs_subsets(root):
        found.setdefault(sub.name, sub)
    return found


def read_split_file(path: Path) -> list[str]:
    """Ids listed in a split file: one per line, blank lines and surrounding spaces ignored.

    VOC main-task lists carry a second column ("<id> 1"); only the first field is taken.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DatasetError(path, f"cannot read split file: {exc.strerror or exc}") from exc
    ids = []
    for line in text.splitlines():
        fields = line.split()
        if fields:
            ids.append(fields[0])
    return ids


def _index_files(folder: Path, extensions: Sequence[str]) -> tuple[dict[str, Path], list[tuple[str, str]]]:
    """stem -> file for the files in `folder` with one of `extensions`; duplicates reported."""
    by_stem: dict[str, Path] = {}
    duplicates: list[tuple[str, str]] = []
    if not folder.is_dir():
        return by_stem, duplicates
    for p in sorted(folder.iterdir()):
        if p.name.startswith(".") or p.suffix.lower() not in extensions or not p.is_file():
            continue
        if p.stem in by_stem:
            duplicates.append((p.stem, f"two files for one id: {by_stem[p.stem].name} and {p.name}"))
            continue
        by_stem[p.stem] = p
    return by_stem, duplicates


def header_size(path: Path) -> tuple[int, int] | None:
    """(width, height) as the file will decode (EXIF orientation applied), from the header only."""
    try:
        with Image.open(path) as im:
            w, h = im.size
            if im.format == "JPEG" or "exif" in im.info:
                try:
                    orientation = int(im.getexif().get(0x0112, 1) or 1)
                except Exception:
                    orientation = 1
                if orientation in (5, 6, 7, 8):
                    w, h = h, w
            return w, h
    except Exception:
        return None  # the real decode will raise a proper error later


class _Problems:
    def __init__(self, root: Path, on_error: OnError) -> None:
        if on_error not in ("raise", "skip"):
            raise ValueError(f"on_error must be 'raise' or 'skip', not {on_error!r}")
        self.root, self.on_error = root, on_error
        self.skipped: list[tuple[str, str]] = []

    def report(self, sample_id: str, path: Path, reason: str) -> None:
        if self.on_error == "raise":
            raise DatasetError(path, f"sample {sample_id!r}: {reason}")
        self.skipped.append((sample_id, f"{reason} ({path})"))


def _pair_entries(ids: list[str] | None, images: dict[str, Path], masks: dict[str, Path] | None,
                  problems: _Problems, image_dir: Path, mask_dir: Path | None,
                  check_sizes: bool) -> list[Entry]:
    entries: list[Entry] = []
    wanted = sorted(images) if ids is None else ids
    seen: set[str] = set()
    for sample_id in wanted:
        if sample_id in seen:
            problems.report(sample_id, image_dir, "listed twice in the split file")
            continue
        seen.add(sample_id)
        image = images.get(sample_id)
        if image is None:
            problems.report(sample_id, image_dir / sample_id, f"listed, but no image in {image_dir.name}/")
            continue
        mask = None
        if masks is not None:
            mask = masks.get(sample_id)
            if mask is None:
                problems.report(sample_id, image, _no_mask_reason(sample_id, mask_dir))
                continue
            if check_sizes:
                si, sm = header_size(image), header_size(mask)
                if si is not None and sm is not None and si != sm:
                    problems.report(sample_id, mask, f"mask is {sm[0]}x{sm[1]} but the image is {si[0]}x{si[1]}")
                    continue
        entries.append(Entry(sample_id, image, mask))
    return entries


def _no_mask_reason(sample_id: str, mask_dir: Path | None) -> str:
    """Why a labelled sample has no mask: none at all, or one in a format masks cannot have."""
    if mask_dir is None:
        return "no mask"
    others = sorted(p.name for p in mask_dir.glob(f"{glob.escape(sample_id)}.*") if p.stem == sample_id)
    if others:
        return (f"no mask in {mask_dir.name}/: {others[0]} is not a mask format "
                f"({', '.join(e.lstrip('.').upper() for e in _MASK_EXTENSIONS)}; JPEG is lossy)")
    return f"no mask in {mask_dir.name}/"


def open_dataset(path: str | os.PathLike, split: str | os.PathLike | None = None, *,
                 on_error: OnError = "raise", check_sizes: bool = True,
                 smoke_color: tuple[int, int, int] | None = None) -> Dataset:
    """Open any readable dataset folder (see module doc); lazily loaded.

    split: a split name (``train``, ``val``, ``test_small``, a SMOKE5K sub-folder name ...), the
        path of a text file of ids, or None for everything.
    on_error: "raise" -> DatasetError at the first problem; "skip" -> leave the item out and
        record (id, reason) in ``Dataset.skipped``.
    check_sizes: compare image and mask sizes from the file headers while opening.
    smoke_color: the smoke colour of 3-channel colour masks, when they have several colours.
    """
    root = Path(path)
    layout = detect_layout(root)
    problems = _Problems(root, on_error)
    split_name: str | None = None
    ids: list[str] | None = None
    if split is not None:
        split_path = Path(split)
        if split_path.suffix == ".txt" and split_path.is_file():
            ids, split_name = read_split_file(split_path), split_path.stem
        elif layout == "smoke5k" and (root / str(split)).is_dir() and _is_pairs_dir(root / str(split)):
            split_name = str(split)
        else:
            splits = available_splits(root)
            if str(split) not in splits:
                known = ", ".join(sorted(splits)) or "none"
                raise DatasetError(root, f"no split {str(split)!r} (available: {known})")
            ids, split_name = read_split_file(splits[str(split)]), str(split)

    if layout == "smokeseg":
        image_dir, mask_dir = root / "JPEGImages", root / "SegmentationClass"
        images, dups = _index_files(image_dir, IMAGE_EXTENSIONS)
        labelled = mask_dir.is_dir()
        masks, mdups = _index_files(mask_dir, _MASK_EXTENSIONS) if labelled else ({}, [])
        for sample_id, reason in dups + mdups:
            problems.report(sample_id, image_dir, reason)
            images.pop(sample_id, None)
        entries = _pair_entries(ids, images, masks if labelled else None, problems, image_dir,
                                mask_dir if labelled else None, check_sizes)
        return Dataset(root, entries, layout=layout, split=split_name, has_labels=labelled,
                       skipped=problems.skipped, smoke_color=smoke_color)

    if layout == "smoke5k":
        if _is_pairs_dir(root):
            subsets = [root]
        elif split_name is not None and (root / split_name).is_dir():
            subsets = [root / split_name]
        else:
            subsets = _pairs_subsets(root)
        entries = []
        seen: set[str] = set()
        for subset in subsets:
            if split_name is not None and subset.name == split_name and ids is None:
                sub_ids = None
            else:
                sub_ids = ids
            image_dir, mask_dir = _find_dir(subset, _IMG_DIRS), _find_dir(subset, _GT_DIRS)
            assert image_dir is not None and mask_dir is not None
            images, dups = _index_files(image_dir, IMAGE_EXTENSIONS)
            masks, mdups = _index_files(mask_dir, _MASK_EXTENSIONS)
            for sample_id, reason in dups + mdups:
                problems.report(sample_id, image_dir, reason)
                images.pop(sample_id, None)
            if sub_ids is not None and len(subsets) > 1:
                sub_ids = [i for i in sub_ids if i in images]
            for entry in _pair_entries(sub_ids, images, masks, problems, image_dir, mask_dir, check_sizes):
                if entry.id in seen:
                    problems.report(entry.id, entry.image, "the same id in two sub-folders")
                    continue
                seen.add(entry.id)
                entries.append(entry)
        if ids is not None and len(subsets) > 1:
            for sample_id in ids:
                if sample_id not in seen and not any(s == sample_id for s, _ in problems.skipped):
                    problems.report(sample_id, root, "listed, but no image in any sub-folder")
        return Dataset(root, entries, layout=layout, split=split_name, has_labels=True,
                       skipped=problems.skipped, smoke_color=smoke_color)

    images, dups = _index_files(root, IMAGE_EXTENSIONS)
    for sample_id, reason in dups:
        problems.report(sample_id, root, reason)
        images.pop(sample_id, None)
    entries = _pair_entries(ids, images, None, problems, root, None, check_sizes)
    return Dataset(root, entries, layout=layout, split=split_name, has_labels=False,
                   skipped=problems.skipped, smoke_color=smoke_color)
