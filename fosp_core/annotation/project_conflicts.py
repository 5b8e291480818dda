"""Conflicted copies a file-sync tool left in a project folder (`conflicted_copies`, `conflicts_words`).

A project shared through Dropbox, Nextcloud, ownCloud, Syncthing or Resilio, opened on two computers at
once, gets a second version of a file both changed: the tool keeps one under the file's name and puts
the other beside it under a name of its own - ``changes (Bob's conflicted copy 2026-12-07).jsonl``,
``a.sync-conflict-20261207-101500-ABCDEF.png``, ``project_conflict-20261207-101500.json``. The project
reads only its own names, so the saves in such a copy (a journal's lines, a mask) are in no image's
state: they are not applied (which of two versions is right is the team's to say, and a journal copy's
lines may name masks that did not sync), but they are found at every opening and named, so that nobody
believes the other computer's work is in the project when it is only beside it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from fosp_core.annotation.entries import ImageEntry

__all__ = ["conflicted_copies", "conflicts_words", "gone_words", "listed_names"]

#: names sync tools give the second version of a file both computers changed (case ignored): Dropbox,
#: Nextcloud ("conflicted copy"), Syncthing (".sync-conflict-"), ownCloud ("_conflict-"), Resilio (".Conflict")
_CONFLICT = re.compile(r"conflicted copy|\.sync-conflict-|_conflict-\d|\.conflict(\.|$)", re.IGNORECASE)

#: where in a project folder such copies matter: the folder itself (project.json, the journal, the lock) and masks/
_SUBFOLDERS = ("", "masks")


def conflicted_copies(folder: Path, entries: Iterable[ImageEntry] = (), masks_names: list[str] | None = None) -> list[Path]:
    """The files of the project `folder` (and its ``masks/``) named as a sync tool names a conflicted copy,
    sorted; [] when there are none or the folder cannot be listed. The mask files of `entries` (the
    project's images) are their own, whatever their names hold: ``border_conflict-2023.png`` is the mask
    of ``border_conflict-2023.jpg`` (`_own_file`). `masks_names`: ``masks/``'s listing when the opening has it
    (read once for its recovery too: a large mask folder on a share is slow to list); taken before the
    opening removed or set aside files, so a copy found there is kept only while it is there."""
    ids = {entry.id for entry in entries}
    found: list[Path] = []
    for sub in _SUBFOLDERS:
        if sub == "masks" and masks_names is not None:
            copies = [folder / sub / n for n in masks_names if _CONFLICT.search(n) and not _own_file(n, ids)]
            found += [path for path in copies if os.path.lexists(path)]  # a stat per copy found only
            continue
        try:
            names = [entry.name for entry in (folder / sub).iterdir()] if (folder / sub).is_dir() else []
        except OSError:
            continue
        found += [folder / sub / name for name in names
                  if _CONFLICT.search(name) and not (sub == "masks" and _own_file(name, ids))]
    return sorted(found)


def _own_file(name: str, ids: set[str]) -> bool:
    """Whether `name` in ``masks/`` is an image's own file (``<id>.png``, its recovery log...) whose id alone
    makes it look like a conflicted copy: a copy of it (``<id>.png (conflicted copy ...).recovery``,
    ``<id>.sync-conflict-....png``) is not."""
    start = name.find(".png")
    while start > 0:
        if name[:start] in ids and not _CONFLICT.search(name[start:]):
            return True
        start = name.find(".png", start + 1)
    return False


def conflicts_words(folder: Path, copies: list[Path]) -> str:
    """One line for the user: how many conflicted copies, the first names, and what to do."""
    names = ", ".join(str(path.relative_to(folder)) for path in copies[:3]) + (", ..." if len(copies) > 3 else "")
    return (f"{len(copies)} conflicted cop{'y' if len(copies) == 1 else 'ies'} in {folder} ({names}): a sync tool "
            f"made them when two computers changed the project at once, and what they hold is not in the project. "
            f"Open the project on one computer at a time; to keep such a mask, close the project and put it in "
            f"place of the image's mask; then delete them")


def listed_names(names: list[str], shown: int = 5) -> str:
    """"a.jpg", "a.jpg, b.jpg and c.jpg", "a.jpg, ..., e.jpg and 7 more"."""
    if len(names) > shown:
        return f"{', '.join(names[:shown])} and {len(names) - shown} more"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def gone_words(images: list[str], images_root: Path) -> str:
    """What to tell of images (`images`: their names, at least one) whose work is in the project but whose file is
    not in `images_root` any more: said by the app at the opening and by ``fosp project status``."""
    count, names = len(images), listed_names(images)
    return (f"{count} image{' has its' if count == 1 else 's have their'} work in the project but no file in "
            f"{images_root} now: {names} (renamed or removed while the project was closed). "
            f"{'Its mask and status are' if count == 1 else 'Their masks and statuses are'} kept under the old name; "
            "an image renamed came back as a new, unlabeled one. Rename the file back to its old name to get its "
            "work again.")
