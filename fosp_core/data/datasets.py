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
dataset (unless ``keep_unlabelled``: then it is an entry without mask), image and mask sizes that
differ (from the file headers, EXIF orientation included), two images with one id, an image or
mask that is a symbolic link to a file gone - either raise `DatasetError` (``on_error="raise"``, the default) or are
recorded in ``Dataset.skipped`` as ``(id, reason)`` and left out (``on_error="skip"``). Nothing
is dropped silently. A file that breaks later, when it is decoded, raises `SampleError`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from fosp_core.data.dataset_entries import (
    MASK_EXTENSIONS,
    DatasetError,
    Entry,
    OnError,
    Problems,
    SampleError,
    file_problems,
    header_size,
    index_files,
    pair_entries,
)
from fosp_core.data.dataset_layouts import (
    GT_DIRS,
    IMG_DIRS,
    SPLIT_DIRS,
    Layout,
    available_splits,
    detect_layout,
    find_dir,
    is_pairs_dir,
    pairs_subsets,
    read_split_file,
)
from fosp_core.data.types import LazySamples, Sample
from fosp_core.io.images import IMAGE_EXTENSIONS, ImageReadError, read_image
from fosp_core.io.masks import MaskReadError, read_mask

__all__ = [
    "Dataset",
    "DatasetError",
    "Entry",
    "Layout",
    "OnError",
    "SampleError",
    "available_splits",
    "detect_layout",
    "header_size",
    "open_dataset",
    "read_split_file",
    "smoke5k_left_out",
    "smokeseg_left_out",
    "SPLIT_DIRS",
]


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


def open_dataset(path: str | os.PathLike, split: str | os.PathLike | None = None, *,
                 on_error: OnError = "raise", check_sizes: bool = True,
                 smoke_color: tuple[int, int, int] | None = None, keep_unlabelled: bool = False) -> Dataset:
    """Open any readable dataset folder (see module doc); lazily loaded.

    split: a split name (``train``, ``val``, ``test_small``, a SMOKE5K sub-folder name ...), the
        path of a text file of ids, or None for everything.
    on_error: "raise" -> DatasetError at the first problem; "skip" -> leave the item out and
        record (id, reason) in ``Dataset.skipped``.
    check_sizes: compare image and mask sizes from the file headers while opening.
    smoke_color: the smoke colour of 3-channel colour masks, when they have several colours.
    keep_unlabelled: in a labelled dataset, an image without a mask file (none, or only a JPEG)
        is an entry with mask None instead of a problem: what an annotation project opens, where
        such an image is one to label. Training and evaluation leave it False.
    """
    root = Path(path)
    layout = detect_layout(root)
    problems = Problems(root, on_error)
    split_name: str | None = None
    ids: list[str] | None = None
    if split is not None:
        split_path = Path(split)
        if split_path.suffix == ".txt" and split_path.is_file():
            ids, split_name = read_split_file(split_path), split_path.stem
        elif layout == "smoke5k" and (root / str(split)).is_dir() and is_pairs_dir(root / str(split)):
            split_name = str(split)
        else:
            splits = available_splits(root)
            if str(split) not in splits:
                known = ", ".join(sorted(splits)) or "none"
                raise DatasetError(root, f"no split {str(split)!r} (available: {known})")
            ids, split_name = read_split_file(splits[str(split)]), str(split)

    if layout == "smokeseg":
        image_dir, mask_dir = root / "JPEGImages", root / "SegmentationClass"
        labelled = mask_dir.is_dir()
        images, masks, refused = _index_folders(image_dir, mask_dir if labelled else None, problems)
        entries = pair_entries(_less(ids, refused), images, masks if labelled else None, problems, image_dir,
                                mask_dir if labelled else None, check_sizes, keep_unlabelled)
        return Dataset(root, entries, layout=layout, split=split_name, has_labels=labelled,
                       skipped=problems.skipped, smoke_color=smoke_color)

    if layout == "smoke5k":
        if is_pairs_dir(root):
            subsets = [root]
        elif split_name is not None and (root / split_name).is_dir():
            subsets = [root / split_name]
        else:
            subsets = pairs_subsets(root)
        entries = []
        seen: set[str] = set()
        for subset in subsets:
            if split_name is not None and subset.name == split_name and ids is None:
                sub_ids = None
            else:
                sub_ids = ids
            image_dir, mask_dir = find_dir(subset, IMG_DIRS), find_dir(subset, GT_DIRS)
            assert image_dir is not None and mask_dir is not None
            images, masks, refused = _index_folders(image_dir, mask_dir, problems)
            sub_ids = _less(sub_ids, refused)
            if sub_ids is not None and len(subsets) > 1:
                sub_ids = [i for i in sub_ids if i in images]
            for entry in pair_entries(sub_ids, images, masks, problems, image_dir, mask_dir, check_sizes,
                                      keep_unlabelled):
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

    images, _, refused = _index_folders(root, None, problems)
    entries = pair_entries(_less(ids, refused), images, None, problems, root, None, check_sizes)
    return Dataset(root, entries, layout=layout, split=split_name, has_labels=False,
                   skipped=problems.skipped, smoke_color=smoke_color)


def _index_folders(image_dir: Path, mask_dir: Path | None,
                   problems: Problems) -> tuple[dict[str, Path], dict[str, Path], set[str]]:
    """id -> image and id -> mask ({} when `mask_dir` is None) of one image folder and its mask
    folder, and the ids `index_files` cannot take (two files for one id, a broken link): reported,
    and without image (a mask clash leaves the image out too: which mask is its own is unknown)."""
    images, found = index_files(image_dir, IMAGE_EXTENSIONS)
    refused = [(image_dir, sample_id, reason) for sample_id, reason in found]
    masks: dict[str, Path] = {}
    if mask_dir is not None:
        masks, found = index_files(mask_dir, MASK_EXTENSIONS)
        refused += [(mask_dir, sample_id, reason) for sample_id, reason in found]
    for folder, sample_id, reason in refused:
        problems.report(sample_id, folder, reason)
        images.pop(sample_id, None)
    return images, masks, {sample_id for _, sample_id, _ in refused}


def _less(ids: list[str] | None, refused: set[str]) -> list[str] | None:
    """The listed `ids` (None: every image) less those already reported as `refused`: a split file
    listing one of them would name it again, as "listed, but no image"."""
    return ids if ids is None or not refused else [i for i in ids if i not in refused]


def smokeseg_left_out(path: str | os.PathLike) -> list[tuple[str, str]]:
    """(id, reason) of the items of a SmokeSeg/VOC folder that every reading of it leaves out: two
    files for one id in ``JPEGImages/`` or ``SegmentationClass/`` (which is meant cannot be known), a
    broken link - ``open_dataset(path, on_error="skip", keep_unlabelled=True).skipped`` without its
    split and size checks, from one ``scandir`` pass of each folder (no ``stat`` per file). The app,
    which lists ``JPEGImages/`` itself, names them and does not open them: the annotation project,
    made by `open_dataset`, has no document for them."""
    root = Path(path)
    image_dir, mask_dir = root / "JPEGImages", root / "SegmentationClass"
    left_out = [(i, f"{reason} ({image_dir})") for i, reason in file_problems(image_dir, IMAGE_EXTENSIONS)]
    if mask_dir.is_dir():
        left_out += [(i, f"{reason} ({mask_dir})") for i, reason in file_problems(mask_dir, MASK_EXTENSIONS)]
    return left_out


def smoke5k_left_out(path: str | os.PathLike) -> list[tuple[Path, str, str]]:
    """(images folder, id, reason) of the images of a SMOKE5K-style folder that every reading of it leaves out,
    as `smokeseg_left_out` says a SmokeSeg folder's: in each subset (its ``img/`` and ``gt/``), two files for
    one id or a broken link in either folder; an id of an earlier subset found again in a later one (the same
    id in two sub-folders). ``open_dataset(path, on_error="skip", keep_unlabelled=True)`` without its size
    checks, from one ``scandir`` pass of each folder. [] for a folder of another layout."""
    root = Path(path)
    subsets = [root] if is_pairs_dir(root) else pairs_subsets(root)
    out: list[tuple[Path, str, str]] = []
    seen: set[str] = set()
    for subset in subsets:
        image_dir, mask_dir = find_dir(subset, IMG_DIRS), find_dir(subset, GT_DIRS)
        if image_dir is None or mask_dir is None:
            continue
        images, problems = index_files(image_dir, IMAGE_EXTENSIONS)
        refused = [(i, f"{reason} ({image_dir})") for i, reason in problems]
        refused += [(i, f"{reason} ({mask_dir})") for i, reason in file_problems(mask_dir, MASK_EXTENSIONS)]
        out += [(image_dir, i, reason) for i, reason in refused]
        taken = set(images).difference(i for i, _ in refused)
        out += [(image_dir, i, "the same id in two sub-folders") for i in sorted(taken & seen)]
        seen |= taken
    return out
