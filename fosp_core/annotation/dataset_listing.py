"""A SmokeSeg / SMOKE5K dataset's images that changed since its project was made (`follow_dataset`),
and which of the two followings a project's source takes (`follow_source`).

Annotators add images to a dataset's ``JPEGImages/`` (SMOKE5K: its ``img/`` folders), with their masks in
``SegmentationClass/`` (``gt/``) or without. Opening its project with the open's listing
(`fosp_core.annotation.project_open.read_and_lock`: the app, ``fosp project init``) brings the entries up to
the dataset as a plain folder's are (`fosp_core.annotation.project_listing`): an image no entry names is
added after the others, unlabeled, as the project's first making made it (`fosp_core.annotation.labels.read_source`):
its id the dataset's (its stem; the first free ``<id>_2`` ... when an entry has it, in any case), its reference
mask the dataset's own when it has one (which ``fosp project import`` takes), its split the dataset's split
list that names it, else none. A case-only rename keeps its entry, mask and status; an image gone keeps its
entry and mask, those with work named (`ListingChanges.missing`), as a folder's.

The dataset is read (`read_source`: its masks and split lists) only when its images folders hold a name no
entry has; the usual opening compares names only, from the open's listing of those folders (listed here when
the listing is of another folder: an image of the dataset opened alone). That reading may be made beforehand,
on another thread (`has_new`, `read_items`: the app's open worker, 1-1.6 s for 30 000 images), and handed in
(`read`) to the join that applies it (`Project.add_listed`, on the GUI thread). An image the dataset's reader
leaves out (two files for one id, a link leading nowhere) or whose name is not valid UTF-8 (the project file
cannot hold it) is not added.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.labels import SourceItem, first_free, read_source
from fosp_core.annotation.project_listing import ListingChanges, follow_listing, follow_names
from fosp_core.data.dataset_layouts import IMG_DIRS, detect_layout, find_dir, is_pairs_dir, pairs_subsets
from fosp_core.data.datasets import DatasetError, smoke5k_left_out, smokeseg_left_out
from fosp_core.io.image_files import list_image_names

__all__ = ["DATASET_KINDS", "DatasetItems", "dataset_image_names", "follow_dataset", "follow_source", "has_new",
           "image_folders", "read_items"]

#: the ``source.kind`` of a dataset's project (``project.json``'s header)
DATASET_KINDS = ("smokeseg", "smoke5k")

#: a dataset's images as its reader gives them (`read_items`), by image name relative to its root
DatasetItems = Mapping[str, SourceItem]


def follow_source(kind: object, entries: list[ImageEntry], images_root: Path, source: Path,
                  listed: Sequence[str | os.PathLike], *, complete: bool = True,
                  read: DatasetItems | None = None) -> ListingChanges:
    """Bring `entries` up to `listed` (the open's listing of `source`) as a project of `kind` follows its
    source: a plain folder's (`follow_listing`), a dataset's (`follow_dataset`, `read` handed to it);
    another kind: nothing."""
    if kind == "folder":
        return follow_listing(entries, images_root, source, listed, complete=complete)
    if kind in DATASET_KINDS:
        return follow_dataset(entries, images_root, source, listed, complete=complete, read=read)
    return ListingChanges()


def follow_dataset(entries: list[ImageEntry], images_root: Path, source: Path,
                   listed: Sequence[str | os.PathLike], *, complete: bool = True,
                   read: DatasetItems | None = None) -> ListingChanges:
    """Bring `entries` (a dataset's project, in place) up to the dataset `source`'s images (see the module
    doc): `listed` when it lists its images folders, else those folders listed here. Nothing is done when
    `source` is not the project's `images_root` or is no dataset now. `complete` False: `listed` is some of
    the dataset's images only (nothing is `missing`). `read`: the dataset read beforehand (`read_items`,
    made after `listed` was listed), taken instead of reading it here when an image is new."""
    try:
        if os.path.realpath(images_root) != os.path.realpath(source):
            return ListingChanges()
    except OSError:
        return ListingChanges()
    names = dataset_image_names(images_root, listed, complete=complete)
    if not names:
        return ListingChanges()

    def dataset_entries(fresh: list[str], taken: set[str]) -> list[ImageEntry]:
        by_image = read if read is not None else read_items(images_root)
        made = []
        for name in fresh:
            if (item := by_image.get(name)) is not None:  # else left out by the reader, as at the making
                made.append(ImageEntry(first_free(item.id, taken, str.casefold), name, Status.UNLABELED,
                                       None, item.label, item.split))
        return made

    # a name not listed is not always gone: the reader leaves out a file whose id another file has too, and the
    # listing drops it; a case-only rename is taken only when the folder lacks the old name (complete=False)
    changes = follow_names(entries, names, images_root, dataset_entries, complete=False)
    if complete:
        listed_set = set(names)
        changes.missing = [e.id for e in entries if e.status != Status.UNLABELED and e.image not in listed_set]
    return changes


def has_new(entries: Sequence[ImageEntry], images_root: Path, listed: Sequence[str | os.PathLike]) -> bool:
    """Whether `listed` (some of the dataset `images_root`'s images: an open's listing) names an image of its
    images folders that no entry names: `follow_dataset` would read the dataset for it (`read_items`)."""
    names = dataset_image_names(images_root, listed, complete=False)
    if not names:
        return False
    known = {entry.image for entry in entries}
    return any(name not in known for name in names)


def read_items(root: Path) -> dict[str, SourceItem]:
    """The dataset `root`'s images as its project's making reads them (`read_source`: ids, reference masks,
    splits), by image name relative to `root`; {} when it cannot be read (no image is added then)."""
    try:
        _kind, items = read_source(root)
    except (DatasetError, OSError):
        return {}
    return {item.image: item for item in items}


def dataset_image_names(root: Path, listed: Sequence[str | os.PathLike], *, complete: bool = True) -> list[str]:
    """The image files of the dataset `root` relative to it ('/'-separated, as its project's entries name
    them; valid UTF-8 names only): those of `listed` when every one lies directly in one of its images
    folders (as given or resolved), else those folders listed; `complete` False: those of `listed` that lie
    there, the others left out. [] when `root` is no dataset or a folder cannot be listed."""
    base = Path(os.path.abspath(root))
    folders = image_folders(base)
    prefixes: dict[str, str] = {}
    for folder in folders:
        prefix = Path(os.path.relpath(folder, base)).as_posix() + "/"
        prefixes[os.fspath(folder)] = prefix
        prefixes.setdefault(os.path.realpath(folder), prefix)
    parts = [os.fspath(path).rpartition(os.sep) for path in listed]
    if not complete:  # some images only (opened while the project is open): those of its images folders
        names = [prefixes[folder] + name for folder, _, name in parts if folder in prefixes]
    elif parts and all(folder in prefixes for folder, _, _ in parts):
        names = [prefixes[folder] + name for folder, _, name in parts]
    else:
        try:
            names = [prefixes[os.fspath(folder)] + name for folder in folders for name in list_image_names(folder)]
        except OSError:
            return []
        names = _without_left_out(base, folders, names)
    return [name for name in names if _is_utf8(name)]


def _without_left_out(root: Path, folders: list[Path], names: list[str]) -> list[str]:
    """`names` (a dataset's images folders listed here) less the files of the items its reader leaves out (two
    files for one id, a broken link: `smokeseg_left_out`; SMOKE5K's, the same id in two subsets too:
    `smoke5k_left_out`; one scan of each folder), as the open's listing leaves them out
    (`fosp_core.open_paths.collect_image_paths`): never an entry, such a name would make every opening read the
    whole dataset to add nothing (a SMOKE5K image opened alone lists its dataset here)."""
    if folders == [root / "JPEGImages"]:
        left = {("JPEGImages", sample_id) for sample_id, _reason in smokeseg_left_out(root)}
    else:
        left = {(Path(os.path.relpath(folder, root)).as_posix(), i) for folder, i, _why in smoke5k_left_out(root)}
    if not left:
        return names
    return [name for name in names if _item_of(name) not in left]


def _item_of(name: str) -> tuple[str, str]:
    """(images folder relative to the root, id) of an image `name` ('/'-separated, relative to the root)."""
    where, _, file = name.rpartition("/")
    return where, os.path.splitext(file)[0]


def image_folders(root: Path) -> list[Path]:
    """The folders the dataset reader takes `root`'s images from: ``JPEGImages/``, or each SMOKE5K
    subset's ``img/`` (``images/``); [] for a plain folder, or one that is no folder (now)."""
    try:
        layout = detect_layout(root)
    except (DatasetError, OSError):
        return []
    if layout == "smokeseg":
        return [root / "JPEGImages"]
    if layout == "smoke5k":
        subsets = [root] if is_pairs_dir(root) else pairs_subsets(root)
        return [folder for subset in subsets if (folder := find_dir(subset, IMG_DIRS)) is not None]
    return []


def _is_utf8(text: str) -> bool:
    """Whether `text` can be written to the project file (UTF-8 JSON; `source_opening.is_utf8`)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
