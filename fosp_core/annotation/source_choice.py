"""Which folder's annotation project an image file opened alone belongs to (`image_source`), and a folder opened
(`folder_source`).

A SmokeSeg image (``<dataset>/JPEGImages/x.jpg``) belongs to its dataset's project, and so does a SMOKE5K
image: ``<dataset>/img/x.jpg`` where the folder holding ``img/`` (``images/``) has ``gt/`` (``masks/``,
``labels/``) beside it, as `fosp_core.data.dataset_layouts` recognises a SMOKE5K dataset. That folder may be
a subset of a dataset above it (``SMOKE5K/train/img/x.jpg``); the image then belongs to the whole dataset's
project when that one was made (the dataset opened before) and the subset has none, else to the subset's (a
SMOKE5K dataset itself: what opening the subset makes). Any other image belongs to its folder's project.

Before SMOKE5K images were recognised here, an image opened alone made a project of its ``img/`` folder. Such
a project that holds work (`holds_work`: a mask or a recovery log in ``masks/``, an image whose status is not
unlabeled) keeps opening as it did, its masks where they are: never moved, never hidden behind a
new project. One without work is passed over, left on disk as it is.

A SmokeSeg dataset's images folder opened itself (``<dataset>/JPEGImages``: File ▸ Open Folder…, ``main.py
<dataset>/JPEGImages``, ``fosp project ... <dataset>/JPEGImages``) belongs to the dataset's project too, as its
images do: one project whichever way the dataset is opened (its masks, its dataset labels). Before, it made a
project of its own; one of those that holds work is kept, as an ``img/`` one is (`folder_source`).

`Location` is how the caller places projects (``ProjectRegistry._location``: None for the default place).
Plain Python, looking at the disk: the app's registry asks it on the open's worker (`ProjectRegistry.look`,
``pending``), ``fosp project`` commands where they open the project.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ProjectError
from fosp_core.annotation.project_files import PROJECT_FILE, default_location, files_signature
from fosp_core.annotation.project_open import read_files
from fosp_core.data.dataset_layouts import GT_DIRS, IMG_DIRS, find_dir, is_pairs_dir, pairs_subsets

__all__ = ["SMOKESEG_IMAGE_DIR", "Location", "folder_source", "holds_work", "image_source", "project_folder"]

#: the folder of a SmokeSeg / Pascal VOC dataset that holds its images
SMOKESEG_IMAGE_DIR = "JPEGImages"

#: where the project of a source folder is kept (None: its default place, `default_location`)
Location = Callable[[Path], Path | None]


def _default(_source: Path) -> Path | None:
    return None


def image_source(image: Path, location: Location = _default) -> Path:
    """The folder whose project annotates the image file `image` opened alone (see the module doc): a
    SmokeSeg or SMOKE5K dataset for its images, else the image's folder. `location` places projects."""
    parent = image.parent
    if parent.name == SMOKESEG_IMAGE_DIR:
        return parent.parent
    pairs = parent.parent
    if parent.name not in IMG_DIRS or pairs == parent or find_dir(pairs, IMG_DIRS) != parent \
            or find_dir(pairs, GT_DIRS) is None:
        return parent
    if (made := project_folder(parent, location)) is not None and holds_work(made):
        return parent  # made for img/ before: kept
    above = pairs.parent
    if project_folder(pairs, location) is None and above != pairs and project_folder(above, location) is not None \
            and not is_pairs_dir(above) and pairs in pairs_subsets(above):
        return above
    return pairs


def folder_source(folder: Path, location: Location = _default) -> Path:
    """The folder whose project annotates the folder `folder` opened (see the module doc): a SmokeSeg dataset's
    for its ``JPEGImages/`` (named so as given, or once its links are resolved), as `image_source` gives for an
    image of it, unless a project made for that ``JPEGImages/`` before holds work (`holds_work`: kept); else
    `folder` itself. `location` places projects."""
    images = folder if folder.name == SMOKESEG_IMAGE_DIR else folder.resolve()
    if images.name != SMOKESEG_IMAGE_DIR or images.parent == images:
        return folder
    if (made := project_folder(folder, location)) is not None and holds_work(made):
        return folder  # made for JPEGImages/ before: kept
    return images.parent


def project_folder(source: Path, location: Location = _default) -> Path | None:
    """The folder of the project ``Project.open(source, location(source))`` would read (one made before), None
    when it would make one. `source` is resolved first, as the app opens it."""
    source = source.resolve()
    chosen = location(source)
    if chosen is None and (source / PROJECT_FILE).is_file():
        return source
    folder = Path(chosen) if chosen is not None else default_location(source)
    return folder if (folder / PROJECT_FILE).is_file() else None


def holds_work(folder: Path) -> bool:
    """Whether the project in `folder` holds anything done in it: a file in ``masks/`` (a mask, a recovery
    log), an image whose status is not unlabeled (its journal applied; read once for each state of its files,
    not for each image of a selection). One that cannot be read does (kept: its opening says why)."""
    try:
        with os.scandir(folder / "masks") as entries:
            if any(True for _ in entries):
                return True
    except FileNotFoundError:
        pass
    except OSError:
        return True
    return _statuses_hold_work(folder, files_signature(folder))


@lru_cache(maxsize=16)
def _statuses_hold_work(folder: Path, _signature: tuple) -> bool:
    """Whether an image of the project in `folder` has a status other than unlabeled (True: it cannot be read);
    `_signature` (its files') keys the cache: a save changes it."""
    try:
        _header, entries = read_files(folder)
    except (ProjectError, OSError, ValueError):
        return True
    return any(entry.status != Status.UNLABELED for entry in entries)
