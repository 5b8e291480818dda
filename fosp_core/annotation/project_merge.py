"""Bringing a teammate's work in from another copy of the same project (`import_project`).

A team that labels copies of one project (each on a laptop, the folder copied with rsync, a zip, Dropbox
or git) has to bring the work together. Importing the other copy's ``masks/`` folder as plain masks made
every one of them EDITED: a reviewed image lost its review and a model's mask (PREDICTED) became people's
work, ground truth for Compare. `Project.import_labels` given another copy's project folder (its
``.fosp``, or the images folder holding it) comes here instead, and each image's work is taken with its
status:

* an image the other copy has as EDITED or REVIEWED (people's work) is taken, with that status, where this
  project has it UNLABELED or PREDICTED (or EDITED by an import and untouched since);
* where both have people's work: the same mask takes the other's review (EDITED here, REVIEWED there);
  masks that differ are a conflict, this project's kept and the image named (`ImportReport.kept`),
  unless `overwrite` - file times are not compared: two machines' clocks are not one clock;
* a model's mask there (PREDICTED) is taken only over an UNLABELED image here, still PREDICTED;
* a save killed there between its mask file and its state (an intent in its journal) is settled as their
  opening would (`fosp_core.annotation.mask_intents.resolve_intents`, in memory);
* an image with edits there not yet in its mask file (a recovery log: that copy's app still saving,
  or stopped before it had) is not taken, and named (`ImportReport.failed`): open that copy once;
* images are matched by their file name (a case-only difference too, where neither copy has another image
  of that name in any case: `_pairs`); those with work there that this
  project lacks are named (`ProjectImportReport.unmatched`); the other copy is only read.

Each mask goes through the import's writing loop (`fosp_core.annotation.import_loop.write_masks`): a
kill leaves each image as it was or with the other copy's mask and status.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry, ProjectError
from fosp_core.annotation.import_loop import CancelCheck, Progress, imported_untouched, write_masks
from fosp_core.annotation.import_target import ImportTarget
from fosp_core.annotation.labels import ImportReport, LabelError, read_label
from fosp_core.annotation.mask_intents import resolve_intents
from fosp_core.annotation.project_files import PROJECT_DIR, PROJECT_FILE, one_folder
from fosp_core.annotation.project_open import read_files
from fosp_core.annotation.recovery_records import log_path
from fosp_core.data.datasets import DatasetError, detect_layout
from fosp_core.io.long_names import fits

__all__ = ["ProjectImportReport", "import_project", "other_project", "same_folder"]



@dataclass
class ProjectImportReport(ImportReport):
    """`ImportReport` of another copy's project, with the images it has work on (not unlabeled) that this
    project does not have (`unmatched`: their file names; added to that copy's folder only)."""

    unmatched: list[str] = field(default_factory=list)


def other_project(source: Path) -> Path | None:
    """The project folder `source` names when it is another copy's: a folder holding ``project.json``,
    or a plain images folder holding ``.fosp/project.json`` (a SmokeSeg or SMOKE5K dataset is imported for
    its own labels: its copy's project is named by its ``.fosp``); None otherwise."""
    if (source / PROJECT_FILE).is_file():
        return source
    if not (source / PROJECT_DIR / PROJECT_FILE).is_file():
        return None
    try:
        layout = detect_layout(source)
    except DatasetError:
        layout = "folder"
    return source / PROJECT_DIR if layout == "folder" else None  # a dataset's: its labels (name its .fosp)


def import_project(project: ImportTarget, folder: Path, *, overwrite: bool = False, ids: Iterable[str] | None = None,
                   progress: Progress | None = None, cancelled: CancelCheck | None = None) -> ProjectImportReport:
    """Take the work of the project at `folder` (another copy's) into `project` (see the module doc).
    Raises DatasetError when `folder` is `project`'s own or cannot be read."""
    own = getattr(project, "folder", None)
    if own is not None and same_folder(folder, Path(own)):
        raise DatasetError(folder, "this is the project itself: name the other copy's project folder")
    try:
        _header, theirs = read_files(folder.absolute())
    except ProjectError as exc:
        raise DatasetError(folder, f"the other copy's project cannot be read: {exc.reason}") from exc
    except OSError as exc:
        raise DatasetError(folder, f"the other copy's project cannot be read: {exc.strerror or exc}") from exc
    resolve_intents(theirs, lambda image_id: folder / "masks" / f"{image_id}.png")  # a save killed there: settled
    wanted = None if ids is None else set(ids)
    pairs = _pairs(project.entries, theirs)
    report = ProjectImportReport()
    matched = {id(other) for other in pairs.values()}
    report.unmatched = [e.image for e in theirs if e.status != Status.UNLABELED and id(e) not in matched]
    groups: dict[Status, list[ImageEntry]] = {}
    masks: dict[str, np.ndarray] = {}
    for entry in project.entries:
        other = pairs.get(entry.id)
        if other is None or other.status == Status.UNLABELED or (wanted is not None and entry.id not in wanted):
            continue
        status = _take(project, entry, other, folder, overwrite, report, masks)
        if status is not None:
            groups.setdefault(status, []).append(entry)
    total, done = sum(map(len, groups.values())), 0
    for status, todo in groups.items():
        def told(n: int, _of: int, base: int = done) -> None:
            if progress is not None:
                progress(base + n, total)

        write_masks(project, todo, lambda e: masks.pop(e.id), report, overwrite=True, progress=told,
                    cancelled=cancelled, status=status, stamp=False)  # people's work, not an import
        done += len(todo)
        if report.cancelled:
            report.not_reached += total - done
            break
    return report


def same_folder(one: Path, other: Path) -> bool:
    """Whether `one` and `other` are one folder: the same path once resolved (a symlinked parent), or the same
    device and inode (`os.path.samefile`: a bind mount, the same share mounted twice; not where the inode is 0,
    a drive without file ids: `project_files.one_folder`); False where either cannot be looked at."""
    if one.resolve() == other.resolve():
        return True
    try:
        return one_folder(one, other)
    except OSError:
        return False


def _pairs(ours: list[ImageEntry], theirs: list[ImageEntry]) -> dict[str, ImageEntry]:
    """{our image id: their entry of the same image}: the same file name, else the one name differing in
    case alone where neither copy has another of that name in any case and ours has no entry of their
    exact name (``a.jpg`` and ``A.jpg`` side by side on a case-sensitive drive are two photos)."""
    by_name = {e.image: e for e in theirs}
    our_names = {e.image for e in ours}
    their_folds: dict[str, list[ImageEntry]] = {}
    for e in theirs:
        their_folds.setdefault(e.image.casefold(), []).append(e)
    our_folds: dict[str, int] = {}
    for e in ours:
        our_folds[e.image.casefold()] = our_folds.get(e.image.casefold(), 0) + 1
    pairs: dict[str, ImageEntry] = {}
    for entry in ours:
        other = by_name.get(entry.image)
        if other is None:
            fold = entry.image.casefold()
            same = their_folds.get(fold, [])
            if len(same) == 1 and our_folds[fold] == 1 and same[0].image not in our_names:
                other = same[0]
        if other is not None:
            pairs[entry.id] = other
    return pairs


def _take(project: ImportTarget, entry: ImageEntry, other: ImageEntry, folder: Path, overwrite: bool,
          report: ImportReport, masks: dict[str, np.ndarray]) -> Status | None:
    """The status to write `entry` with from the other copy's `other` (its mask put in `masks`), or None:
    nothing to take, or a reason put in `report`."""
    ours, status = entry.status, other.status
    if status == Status.PREDICTED and ours != Status.UNLABELED:
        return None  # a model's mask there: this one's (a model's, or people's) stays
    mine_replaceable = ours in (Status.UNLABELED, Status.PREDICTED) or imported_untouched(entry)
    path = folder / "masks" / f"{other.id}.png"
    if fits(path.name) and log_path(path).exists():
        report.failed.append((entry.id, f"its last edits in the other copy are not in its mask file yet (a recovery "
                                        f"log: FoSp Studio there is still saving, or was stopped): open {folder.parent} "
                                        f"in FoSp Studio once, then import again"))
        return None
    if not (fits(path.name) and path.is_file()):
        report.failed.append((entry.id, f"{other.status.value} in the other copy, but it has no mask file ({path})"))
        return None
    try:
        mask = read_label(path, entry.size or other.size, project.image_path(entry.id))
    except LabelError as exc:
        report.failed.append((entry.id, str(exc)))
        return None
    if not mine_replaceable:
        mine = _load(project, entry.id)
        if mine is not None and mine.shape == mask.shape and np.array_equal(mine, mask):
            if status == Status.REVIEWED and ours == Status.EDITED:
                masks[entry.id] = mask  # its review taken: the same mask, written with the status
                return Status.REVIEWED
            return None  # the same work in both
        if not overwrite:
            report.kept.append((entry.id, f"{ours.value} here and {status.value} in the other copy, with another "
                                          "mask: this project's kept (overwrite takes the other copy's)"))
            return None
    masks[entry.id] = mask
    return status


def _load(project: ImportTarget, image_id: str) -> np.ndarray | None:
    """This project's saved mask of `image_id` (None: none, or unreadable)."""
    load = getattr(project, "load_mask", None)
    if load is None:
        return None
    try:
        return load(image_id)
    except Exception:  # noqa: BLE001 - an unreadable mask of ours is not the same mask: a conflict
        return None
