"""What opening a dataset finds: where each sample's files are (`Entry`), and the errors it reports.

`pair_entries` matches a split's ids to image files and, in a labelled dataset, to mask files,
comparing their sizes from the file headers; each problem (an id without an image or a mask, two
files for one id, sizes that differ) goes through `Problems`, which raises `DatasetError` or
records it as skipped. `SampleError` is for a file that breaks later, when it is decoded.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image

from fosp_core.io.decoder_words import reading
from fosp_core.io.links import dead_link_reason
from fosp_core.io.orientation import unturned_note

__all__ = ["MASK_EXTENSIONS", "DatasetError", "Entry", "OnError", "Problems", "SampleError", "header_size",
           "file_problems", "index_files", "pair_entries"]

OnError = Literal["raise", "skip"]
MASK_EXTENSIONS = (".png", ".bmp", ".tif", ".tiff", ".gif")


class DatasetError(Exception):
    """A dataset (or one of its items) cannot be opened; carries the path and the reason, and
    `sample_id` when one item is the problem (``on_error="skip"`` would leave it out)."""

    def __init__(self, path: str | os.PathLike, reason: str, sample_id: str | None = None) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason
        self.sample_id = sample_id


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


def index_files(folder: Path, extensions: Sequence[str]) -> tuple[dict[str, Path], list[tuple[str, str]]]:
    """stem -> file for the files in `folder` with one of `extensions`; (stem, reason) of the ids
    that cannot be taken: two (or more) files for one id, each named, none of them taken (which one
    is meant cannot be known); a symbolic link whose target is gone."""
    by_stem, problems = _group_files(folder, extensions)
    return {stem: folder / names[0] for stem, names in by_stem.items() if len(names) == 1}, problems


def file_problems(folder: Path, extensions: Sequence[str]) -> list[tuple[str, str]]:
    """The (stem, reason) of `index_files` alone, from one ``scandir`` pass that looks at the file
    type only in the directory entry (no ``stat`` but for symbolic links) and makes no `Path` per
    file: what the app asks of a folder it has just listed."""
    return _group_files(folder, extensions)[1]


def _group_files(folder: Path, extensions: Sequence[str]) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """stem -> names (sorted) of the files in `folder` with one of `extensions`, and (stem, reason)
    of each stem with several files and of each broken link (see `index_files`)."""
    by_stem: dict[str, list[str]] = {}
    problems: list[tuple[str, str]] = []
    if not folder.is_dir():
        return by_stem, problems
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        stem, suffix = os.path.splitext(entry.name)
        if entry.name.startswith(".") or suffix.lower() not in extensions:
            continue
        try:
            is_file = entry.is_file()  # follows symbolic links, as Path.is_file does
        except OSError:
            is_file = False
        if not is_file:
            dead = dead_link_reason(entry.path) if entry.is_symlink() else None  # broken, or a loop
            if dead is not None:  # a file the user believes is there
                problems.append((stem, dead))
            continue
        by_stem.setdefault(stem, []).append(entry.name)
    for stem, names in by_stem.items():
        if len(names) > 1:
            count = "two" if len(names) == 2 else str(len(names))
            problems.append((stem, f"{count} files for one id: {', '.join(names[:-1])} and {names[-1]} "
                                   "(neither is read: remove or rename all but one)"))
    return by_stem, problems


def header_size(path: Path) -> tuple[int, int] | None:
    """(width, height) as the file will decode (EXIF orientation applied), from the header only."""
    try:
        with reading(path, say=False), Image.open(path) as im:  # Pillow's words: the full read's
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


class Problems:
    """Where the problems found while opening go: raised at once, or recorded as skipped."""

    def __init__(self, root: Path, on_error: OnError) -> None:
        if on_error not in ("raise", "skip"):
            raise ValueError(f"on_error must be 'raise' or 'skip', not {on_error!r}")
        self.root, self.on_error = root, on_error
        self.skipped: list[tuple[str, str]] = []

    def report(self, sample_id: str, path: Path, reason: str) -> None:
        if self.on_error == "raise":
            raise DatasetError(path, f"sample {sample_id!r}: {reason}", sample_id)
        self.skipped.append((sample_id, f"{reason} ({path})"))


def pair_entries(ids: list[str] | None, images: dict[str, Path], masks: dict[str, Path] | None,
                 problems: Problems, image_dir: Path, mask_dir: Path | None,
                 check_sizes: bool, keep_unlabelled: bool = False) -> list[Entry]:
    """The entries of `ids` (None: every image), in order; masks None for an unlabelled dataset.

    keep_unlabelled: an image of a labelled dataset without a mask file is an entry with mask
    None (an image to label) instead of a problem reported."""
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
                if keep_unlabelled:
                    entries.append(Entry(sample_id, image))
                else:
                    problems.report(sample_id, image, _no_mask_reason(sample_id, mask_dir))
                continue
            if check_sizes:
                si, sm = header_size(image), header_size(mask)
                if si is not None and sm is not None and si != sm:
                    problems.report(sample_id, mask, f"mask is {sm[0]}x{sm[1]} but the image is {si[0]}x{si[1]}"
                                    + unturned_note(image, sm))
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
                f"({', '.join(e.lstrip('.').upper() for e in MASK_EXTENSIONS)}; JPEG is lossy)")
    return f"no mask in {mask_dir.name}/"
