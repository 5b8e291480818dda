"""Opening an annotation project's files: create ``project.json`` when there is none, read it and
its journal, take the lock (see `fosp_core.annotation.project` for the layout and the locking rules).

`read_and_lock` does what `Project.open` needs before a `Project` exists: it finds the project
folder of a source, creates a new project there or reads the existing one (the journal applied),
takes the lock - or says who holds it, or why the folder cannot be written - and reads again when
the last holder saved between the first reading and the taking of the lock. With the open's listing of a
plain folder or a SmokeSeg / SMOKE5K dataset, it adds the images added since the project was made
(`fosp_core.annotation.project_listing`, `fosp_core.annotation.dataset_listing`; written by `Project.open`
when it holds the lock). Holding the lock, it
backs up the files of an older version that the opening is about to rewrite
(`fosp_core.annotation.project_upgrade`; `OpenedFiles.upgrade` says what to tell).

A project whose creation fails leaves nothing at its location (`create_project`): the new folder is
made under a hidden temporary name beside it, with ``masks/``, ``predictions/`` and ``project.json``
inside, and renamed into place in one step, as run folders are (`fosp_core.train.run_folder`).
"""

from __future__ import annotations

import os
import shlex
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fosp_core.annotation.dataset_listing import follow_source
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import (
    FORMAT,
    FORMAT_VERSION,
    ImageEntry,
    ProjectError,
    apply_changes,
    check_entries,
    dump_project,
    journal_generation,
    parse_project,
)
from fosp_core.annotation.labels import read_source
from fosp_core.annotation.project_files import JOURNAL_FILE, PROJECT_FILE, default_location, files_signature
from fosp_core.annotation.project_listing import ListingChanges
from fosp_core.annotation.project_upgrade import ProjectUpgrade, UpgradeError, prepare_upgrade
from fosp_core.annotation.storage import LockInfo, ProjectLock, StorageError, atomic_write
from fosp_core.io.atomic import create_folder
from fosp_core.io.links import not_a_file_reason

__all__ = ["OpenedFiles", "ProjectUpgrade", "create_project", "read_and_lock", "read_files"]


@dataclass
class OpenedFiles:
    """What `read_and_lock` found: the project folder, ``project.json``'s header and entries with
    the journal applied (`journaled` lines of it), the lock (held or not), the live process holding
    it (`owner`, None when we hold it), why the project is read-only (None: writable), the
    `upgrade` of an older version's files the opening makes (backed up; None: current or read-only) and
    the `listing`'s changes: a folder's or dataset's images added or renamed in case since (`project_listing`)."""

    folder: Path
    header: dict
    entries: list[ImageEntry]
    journaled: int
    lock: ProjectLock
    owner: LockInfo | None
    read_only_reason: str | None
    upgrade: ProjectUpgrade | None = None
    listing: ListingChanges = field(default_factory=ListingChanges)


def read_and_lock(source: str | os.PathLike, location: str | os.PathLike | None = None, *,
                  break_lock: bool | LockInfo = False, create: bool = True,
                  images: Sequence[str | os.PathLike] | None = None) -> OpenedFiles:
    """Create or read the project of `source` and take its lock (the arguments of `Project.open`)."""
    source = Path(source)
    if location is None and ((source / PROJECT_FILE).is_file() or _unreadable_project_file(source) is not None):
        folder = source
    else:
        folder = Path(location) if location is not None else default_location(source)
    folder = folder.absolute()
    if (why := _unreadable_project_file(folder)) is not None:
        raise ProjectError(folder / PROJECT_FILE, why)
    if (folder / PROJECT_FILE).is_file():
        seen, header, entries, journaled, steady = _read(folder)
    elif not create:
        raise ProjectError(folder, "no annotation project here (open the images in the app first); to make it "
                                   f"without the app: fosp project init {shlex.quote(os.fspath(source))}")
    else:  # what was written is kept as made, not read back (the same: a test pins it)
        header, entries = create_project(source, folder, images)
        seen, steady = files_signature(folder), True
        # a journal beside a new project.json (the old one deleted) is applied as before
        journaled = apply_changes(folder / JOURNAL_FILE, entries, journal_generation(header))
    lock = ProjectLock(folder / "lock")
    reason: str | None = None
    owner: LockInfo | None = None
    try:
        owner = lock.acquire(break_lock=break_lock)
        if owner is not None:
            reason = owner.describe()
    except StorageError as exc:
        reason = f"the project folder is not writable ({exc.reason.removeprefix('folder is not writable: ')})"
    if lock.held and files_signature(folder) != seen:
        # the last holder saved (and quit) between our reading and our taking the lock: read again
        try:
            header, entries = parse_project(folder / PROJECT_FILE)
            journaled = apply_changes(folder / JOURNAL_FILE, entries, journal_generation(header))
        except BaseException:
            lock.release()
            raise
    elif not steady:  # no lock to read again under: the last reading may lack saves
        raise ProjectError(folder, f"project.json was replaced while it was read, {READ_TRIES} times "
                                   "(another FoSp Studio saving this project): open it again")
    listing = ListingChanges()
    kind = header.get("source", {}).get("kind") if isinstance(header.get("source"), dict) else None
    if images is not None:  # a folder's or a dataset's images added (or renamed in case) since it was made
        root = Path(header["images_root"])
        listing = follow_source(kind, entries, root if root.is_absolute() else folder / root, source, images)
    upgrade: ProjectUpgrade | None = None
    if lock.held:
        try:
            upgrade = prepare_upgrade(folder)  # before Project.open folds the journal into project.json
        except UpgradeError as exc:
            lock.release()  # nothing rewritten: read-only, saying why
            reason = exc.reason
    return OpenedFiles(folder, header, entries, journaled, lock, owner, reason, upgrade, listing)


def _unreadable_project_file(folder: Path) -> str | None:
    """Why the ``project.json`` in `folder` is there but no file to read (a link leading nowhere, a folder),
    or None: never taken for a deleted one, over which an opening makes a new project - every state in it
    forgotten, and a link replaced, so that it stays forgotten once its drive is back."""
    return not_a_file_reason(folder / PROJECT_FILE, "the project's file", "start the project anew")


def read_files(folder: Path) -> tuple[dict, list[ImageEntry]]:
    """(header, entries with the journal applied) of the project at `folder`, read without its lock and
    without writing anything (another copy's project, `fosp_core.annotation.project_merge`). Raises
    ProjectError when there is none, it is damaged, or it kept changing while it was read."""
    if (why := _unreadable_project_file(folder)) is not None:
        raise ProjectError(folder / PROJECT_FILE, why)
    if not (folder / PROJECT_FILE).is_file():
        raise ProjectError(folder, "no annotation project here")
    _seen, header, entries, _journaled, steady = _read(folder)
    if not steady:
        raise ProjectError(folder, f"project.json was replaced while it was read, {READ_TRIES} times (FoSp Studio "
                                   "saving it): try again")
    return header, entries


#: readings of project.json and its journal tried before giving up (see `_read`)
READ_TRIES = 5


def _read(folder: Path) -> tuple[tuple, dict, list[ImageEntry], int, bool]:
    """(`files_signature` before, header, entries, journal lines applied, steady) of the project in
    `folder`, read again when ``project.json`` was replaced while its journal was read: the
    holder folding the journal in then deletes it, and the old ``project.json`` with no journal
    would lose every save since the last fold (a reader without the lock: ``fosp project``, a
    second window). Appends alone are harmless: an earlier journal is an earlier state. After
    `READ_TRIES` replaced readings the last is returned with steady False (`read_and_lock` reads
    again under the lock, or refuses)."""
    for _ in range(READ_TRIES):
        seen = files_signature(folder)
        header, entries = parse_project(folder / PROJECT_FILE)
        journaled = apply_changes(folder / JOURNAL_FILE, entries, journal_generation(header))
        if files_signature(folder)[0] == seen[0]:
            return seen, header, entries, journaled, True
    return seen, header, entries, journaled, False


def create_project(source: Path, folder: Path,
                   images: Sequence[str | os.PathLike] | None) -> tuple[dict, list[ImageEntry]]:
    """Write a new ``project.json`` for `source` in `folder`; returns (header, entries), equal
    to what `parse_project` reads from it.

    Everything is decided before the disk is touched (the listing, the entries' checks, the file's
    bytes: a file name that is not UTF-8 raises UnicodeEncodeError here), and a failure leaves
    nothing at `folder`: a new folder appears whole or not at all (built as a hidden temporary
    folder beside it, then renamed); a folder there already (its ``project.json`` deleted, its
    masks kept) only loses the subfolders this call made in it. Raises ProjectError when the
    location cannot be written."""
    if not source.is_dir():
        raise ProjectError(source, "not a folder of images or a dataset")
    kind, items = read_source(source, images)
    root = source.absolute()
    try:
        root_text = os.path.relpath(root, folder)
    except ValueError:  # another drive on Windows
        root_text = str(root)
    now = time.time()
    header = {"format": FORMAT, "version": FORMAT_VERSION, "images_root": Path(root_text).as_posix(),
              "source": {"kind": kind, "path": str(root)}, "created": now, "updated": now}
    unlabeled = Status.UNLABELED
    entries = [ImageEntry(i, image, unlabeled, None, label, split) for i, image, label, split in items]
    check_entries(entries, folder / PROJECT_FILE)  # what reading it back would refuse is not written
    data = dump_project(header, entries)
    try:
        if folder.is_dir():
            _write_into(folder, data)
        else:
            folder.parent.mkdir(parents=True, exist_ok=True)
            if not _build_and_rename(folder, data):  # another process made the folder meanwhile
                if (folder / PROJECT_FILE).is_file():
                    return parse_project(folder / PROJECT_FILE)
                _write_into(folder, data)
    except StorageError as exc:  # an OSError: first
        raise ProjectError(folder, f"cannot create the project ({exc.reason})") from exc
    except OSError as exc:
        raise ProjectError(folder, f"cannot create the project folder ({exc.strerror or exc}); "
                                   "choose another location") from exc
    return header, entries


_SUBFOLDERS = ("masks", "predictions")


def _build_and_rename(folder: Path, data: bytes) -> bool:
    """Make `folder` whole (its subfolders and ``project.json``) or not at all
    (:func:`~fosp_core.io.atomic.create_folder`); False when a folder of that name appeared meanwhile."""

    def fill(staging: Path) -> None:
        for name in _SUBFOLDERS:
            (staging / name).mkdir()
        atomic_write(staging / PROJECT_FILE, data)  # fsync'ed, file and folder

    return create_folder(folder, fill)


def _write_into(folder: Path, data: bytes) -> None:
    """Write the project into a `folder` that exists (without ``project.json``); on failure the
    subfolders made here are removed again (empty ones only: whatever else is there stays)."""
    made: list[Path] = []
    try:
        for name in _SUBFOLDERS:
            if not (folder / name).is_dir():
                (folder / name).mkdir()
                made.append(folder / name)
        atomic_write(folder / PROJECT_FILE, data)
    except BaseException:
        for sub in reversed(made):
            try:
                sub.rmdir()
            except OSError:
                pass
        raise
