"""Which layout a dataset folder has (SmokeSeg/VOC, SMOKE5K, a plain folder) and its split lists."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from fosp_core.data.dataset_entries import MASK_EXTENSIONS, DatasetError
from fosp_core.io.images import IMAGE_EXTENSIONS

__all__ = ["GT_DIRS", "IMG_DIRS", "SPLIT_DIRS", "Layout", "available_splits", "detect_layout", "find_dir",
           "is_pairs_dir", "nested_files", "pairs_subsets", "read_split_file", "read_split_lines"]

Layout = Literal["smokeseg", "smoke5k", "folder"]

# Where split lists live in a VOC-style dataset, in lookup order.
SPLIT_DIRS: tuple[str, ...] = (
    "ImageSets/Segmentation",
    "SmokeSeg_ImageSets/Segmentation",
    "SmokeSeg_ImageSets",
    "ImageSets",
)
IMG_DIRS = ("img", "images")
GT_DIRS = ("gt", "masks", "labels")


def find_dir(root: Path, names: Sequence[str]) -> Path | None:
    for name in names:
        if (root / name).is_dir():
            return root / name
    return None


def is_pairs_dir(folder: Path) -> bool:
    return find_dir(folder, IMG_DIRS) is not None and find_dir(folder, GT_DIRS) is not None


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


def pairs_subsets(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return [p for p in _subfolders(root) if is_pairs_dir(p)]


def detect_layout(path: str | os.PathLike) -> Layout:
    """Which reader a folder needs: "smokeseg", "smoke5k" or "folder"; DatasetError otherwise."""
    root = Path(path)
    if not root.is_dir():
        raise DatasetError(root, "not a folder" if root.exists() else "no such folder")
    if (root / "JPEGImages").is_dir():
        return "smokeseg"
    if is_pairs_dir(root) or pairs_subsets(root):
        return "smoke5k"
    if any(p.suffix.lower() in IMAGE_EXTENSIONS and not p.name.startswith(".") for p in root.iterdir()):
        return "folder"
    raise DatasetError(root, "no dataset found: expected JPEGImages/ (SmokeSeg/VOC), img/ + gt/ (SMOKE5K) "
                             "or image files" + _datasets_inside(root))


def _datasets_inside(root: Path, named: int = 3) -> str:
    """"; it holds the SmokeSeg dataset(s) a, b: choose one" for the folder that holds an export, chosen
    instead of it (the first `named` sorted; "" for none, or a folder that cannot be listed)."""
    try:
        found = [p.name for p in _subfolders(root) if (p / "JPEGImages").is_dir()]
    except OSError:
        return ""
    if not found:
        return ""
    more = f" and {len(found) - named} more" if len(found) > named else ""
    which = "the SmokeSeg dataset" if len(found) == 1 else "the SmokeSeg datasets"
    return f"; it holds {which} {', '.join(found[:named])}{more}: choose {'it' if len(found) == 1 else 'one'}"


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
    for sub in pairs_subsets(root):
        found.setdefault(sub.name, sub)
    return found


def read_split_file(path: Path) -> list[str]:
    """Ids listed in a split file: one per line, blank lines and surrounding white space ignored.

    The whole line is the id, white space inside it included, as SmokeSeg/VOC lists are read by
    mmseg and torchvision: ``smoke plume 1`` names ``smoke plume 1.jpg`` (taking the first field
    named an id ``smoke`` that no image has, and the image was in no split)."""
    return [sample_id for _line, sample_id in read_split_lines(path)]


def read_split_lines(path: Path) -> list[tuple[int, str]]:
    """(line number from 1, id) of each id of a split file (see `read_split_file`)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DatasetError(path, f"cannot read split file: {exc.strerror or exc}") from exc
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


def _file_folders(root: Path, layout: str) -> list[Path]:
    """The folders a reader of `layout` takes files from, directly (never from their sub-folders)."""
    if layout == "smokeseg":
        return [root / "JPEGImages", root / "SegmentationClass"]
    if layout == "smoke5k":
        subsets = [root] if is_pairs_dir(root) else pairs_subsets(root)
        return [d for s in subsets for d in (find_dir(s, IMG_DIRS), find_dir(s, GT_DIRS)) if d is not None]
    return [root]


def nested_files(root: Path, layout: str) -> list[tuple[str, int]]:
    """(sub-folder relative to `root`, posix; number of image or mask files under it) for each visible
    sub-folder of the folders a reader takes files from that holds such files: images or masks there
    are not read (no layout nests), which a user who sorted them into folders should be told.
    Sub-folders without such files (empty ones, split lists) are left out."""
    extensions = {*IMAGE_EXTENSIONS, *MASK_EXTENSIONS}
    found: list[tuple[str, int]] = []
    for folder in _file_folders(root, layout):
        if not folder.is_dir():
            continue
        for sub in _subfolders(folder):
            count = 0
            for _dirpath, dirs, files in os.walk(sub):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                count += sum(1 for name in files
                             if not name.startswith(".") and os.path.splitext(name)[1].lower() in extensions)
            if count:
                found.append((sub.relative_to(root).as_posix(), count))
    return found
