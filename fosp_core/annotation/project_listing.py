"""A plain folder's images that changed since its project was made (`follow_listing`; a dataset's:
`fosp_core.annotation.dataset_listing`, which takes the same rules, `follow_names`).

A project keeps the image list it was made with; a team's shared folder goes on changing while it is
closed: images are added, and a sync tool or a case-insensitive drive may rename one with only its
case changed (``img.jpg`` -> ``IMG.jpg``). Opening a plain folder's project with the open's listing
(`fosp_core.annotation.project_open.read_and_lock`) brings the entries up to it:

* a listed image no entry names is added, unlabeled, after the others; its id is its stem as a new
  project would make it, or the first free ``<stem>_<ext>``, ``..._2`` - never one an entry has, not
  even in another case, so no two images share a mask file on macOS or Windows;
* an entry whose name is not listed while a listed name differs from its own only in case (and no
  other entry has that name) now names that file: its id, mask and status are kept. A partial listing
  (`complete` False: the images a join found unknown, `Project.add_listed`) does not say that the old
  name is gone; its folder is listed then, for those candidates only: ``a.jpg`` and ``A.jpg`` side by
  side on a case-sensitive drive are two images, not one renamed.

An entry whose image is gone otherwise stays: its mask may hold someone's work, and the image may come
back (a drive not mounted yet). Nothing is removed; those with work (not unlabeled) are named
(`ListingChanges.missing`), since a file renamed while closed comes back as a new, unlabeled image
while its mask stays with the old name.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.labels import first_free, listed_names, unique_ids

__all__ = ["ListingChanges", "NewEntries", "follow_listing", "follow_names", "unlabeled_entries"]


@dataclass
class ListingChanges:
    """What `follow_listing` changed: the ids of the images added, and of the entries that now name
    their file's new case (id -> the old name); and found: the ids of the images with work whose file
    is not listed (`missing`: removed or renamed; nothing written for them)."""

    added: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        """Whether the entries changed (to be written)."""
        return bool(self.added or self.renamed)

    def added_words(self) -> str:
        """"2 new images added" ("1 new image added"; "" when none): what the app's opening and ``fosp project
        init`` say of them."""
        count = len(self.added)
        return f"{count} new image{'' if count == 1 else 's'} added" if count else ""


def follow_listing(entries: list[ImageEntry], images_root: Path, source: Path,
                   listed: Sequence[str | os.PathLike], *, complete: bool = True) -> ListingChanges:
    """Bring `entries` (a plain folder's project, in place) up to `listed`: the image files of `source`
    as the open listed them (`fosp_core.annotation.labels.listed_names`). Nothing is done when `source`
    is not the project's `images_root` or the listing is not of `source` alone. `complete` False: `listed`
    is some of the folder's images only (nothing is `missing`; a rename's old name is looked for)."""
    try:
        if os.path.realpath(images_root) != os.path.realpath(source):
            return ListingChanges()
    except OSError:
        return ListingChanges()
    names = listed_names(source, listed)
    if not names:
        return ListingChanges()
    return follow_names(entries, names, images_root, unlabeled_entries, complete=complete)


#: the entries of the new image names (relative to the images root) given, their ids not casefold-`taken`
#: (each id made is added to it); a name it cannot take (a dataset's reader leaves it out) is left out
NewEntries = Callable[[list[str], set[str]], list[ImageEntry]]


def unlabeled_entries(names: list[str], taken: set[str]) -> list[ImageEntry]:
    """A plain folder's new images: unlabeled, each id its stem as a new project makes it (`unique_ids`),
    or the first free ``<stem>_<ext>``, ``..._2`` (`first_free`)."""
    return [ImageEntry(first_free(base, taken, str.casefold), name, Status.UNLABELED)
            for name, base in zip(names, unique_ids(names), strict=True)]


def follow_names(entries: list[ImageEntry], names: list[str], images_root: Path, make: NewEntries, *,
                 complete: bool = True) -> ListingChanges:
    """Bring `entries` (in place) up to `names`: the image files listed now, relative to `images_root`
    ('/'-separated, as the entries name them): the names no entry has and no case-rename explains are
    made entries by `make`, after the others (see the module doc; `follow_listing`)."""
    changes = ListingChanges()
    known = {entry.image for entry in entries}
    new = [name for name in names if name not in known]
    listed_set = set(names)
    if complete:
        changes.missing = [e.id for e in entries if e.status != Status.UNLABELED and e.image not in listed_set]
    if not new:
        return changes  # the usual opening: one set look-up per image
    folds = {name.casefold() for name in new}  # the entries named as a new name in another case only
    by_fold: dict[str, list[ImageEntry]] = {}
    for entry in entries:
        if (fold := entry.image.casefold()) in folds:
            by_fold.setdefault(fold, []).append(entry)
    fresh: list[str] = []
    gone = (lambda _image: True) if complete else _gone_here(images_root)
    for name in new:
        same = by_fold.get(name.casefold(), [])
        if len(same) == 1 and same[0].image not in listed_set and gone(same[0].image):
            changes.renamed[same[0].id] = same[0].image
            same[0].image = name
        else:
            fresh.append(name)
    changes.missing = [i for i in changes.missing if i not in changes.renamed]
    taken = {entry.id.casefold() for entry in entries}
    for entry in make(fresh, taken) if fresh else []:
        entries.append(entry)
        changes.added.append(entry.id)
    return changes


def _gone_here(root: Path) -> Callable[[str], bool]:
    """Whether an image name (relative to `root`) is in no listing of its folder, each folder listed once
    (not exists(): a case-blind drive finds ``a.jpg`` when ``A.jpg`` is there). A folder that cannot be
    listed: not gone (nothing renamed)."""
    listings: dict[str, set[str] | None] = {}

    def gone(image: str) -> bool:
        parent, name = os.path.split(image)
        if parent not in listings:
            try:
                listings[parent] = set(os.listdir(root / parent))
            except OSError:
                listings[parent] = None
        names = listings[parent]
        return names is not None and name not in names

    return gone
