"""A mask written now (`Project.save_mask`): the PNG, then the image's state, and what a save whose
only failure is a folder's fsync leaves.

The PNG is written atomically, then the state (a journal line, `Project.record_state`). A failure of
either (disk full, a folder become read-only) leaves the files as they were: a PNG that was replaced
is put back, the entry keeps its old state, `ProjectSaveError` is raised.

A write whose folder's fsync failed (an I/O error: `fosp_core.io.atomic.NotDurableError`) is in
place all the same - the new PNG renamed over the old one, the journal created with its line -
visible now and to a re-opening, only maybe not after a power loss. Putting the old PNG back then
showed the user one state and a re-opening another (the old mask with the journal's new status,
or the new mask with the old status). So such a save goes on as written: the PNG stays, the state
is the new one (journal line and entry), and `NotDurableSaveError` is raised at the end, telling it
as a failed save ("written, but cannot make it durable ...": `is_saved` stays false, the next save
writes again and fsyncs again). The image's recovery log is not removed (a commit is never left
resting on a folder entry that may not be durable only).

An image with a recovery log (a background save not yet durable, or failed) gets a whole-mask record
of the state to write in that log first, made durable before the PNG is replaced (`_log_ahead`): the
log's first record may be a rectangle over the mask file it was written on, and a kill or power loss
after the new PNG is in place and before the log goes reopened those rectangles applied over the new
mask (neither state). Now a re-opening shows the log's commits or the state written. A save that
fails takes the record back (the log cut back, durably); when that fails too, the error says the
next opening applies it.

A save that changes the image's status journals its intent first (`fosp_core.annotation.mask_intents`;
Pre-label All and Import Labels journal their own, with more, and save within `intent_noted`): a kill
after the PNG is in place and before its state is written opens with the new state, not the new mask
beside the old status (a reviewed image's mask replaced by one nobody reviewed, still 'reviewed'). Only
over a mask file (a first save killed so leaves its mask beside the old status, no work lost: one fsynced
line less per first save), not where a recovery log gets the state first (`_log_ahead`: a re-opening
applies it), nor for a save keeping the status.

Inside a `Project.batch` the state waits for the batch's end (``project.json``): the log, which may
hold a commit's status that the journal does not, stays (ending with that record) and goes only
once the batch's end made the state durable (`fosp_core.annotation.journal_settles`:
`hold_for_batch`, `batch_ended`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ProjectSaveError
from fosp_core.annotation.log_sync import log_restarted, take_back
from fosp_core.annotation.logged_masks import own_copy
from fosp_core.annotation.mask_intents import note_intent, noted_for
from fosp_core.annotation.project_documents import smoke_ratio_of
from fosp_core.annotation.project_files import file_signature
from fosp_core.annotation.recovery import encode_record, log_path
from fosp_core.annotation.storage import PreviousFile, StorageError, append_record, atomic_write
from fosp_core.io.long_names import too_long
from fosp_core.io.masks import encode_mask_png

if TYPE_CHECKING:
    from fosp_core.annotation.entries import ImageEntry
    from fosp_core.annotation.project_files import SavedMasks

__all__ = ["MaskTarget", "NotDurableSaveError", "save_mask"]


class MaskTarget(Protocol):
    """What a mask save uses of a project (`fosp_core.annotation.project.Project`), so that the project
    imports this module and not the other way round."""

    _journaled: dict[str, Status]  # image id -> its status in the journal, while the log runs ahead
    _saved_masks: SavedMasks  # which document mask each mask file holds
    _batch_depth: int  # inside a `batch`: the state is written at its end

    def hold_for_batch(self, image_id: str) -> None: ...

    def check_writable(self) -> None: ...

    def entry(self, image_id: str) -> ImageEntry: ...

    def flush_image(self, image_id: str) -> None: ...

    def log_grew(self, image_id: str) -> None: ...

    def mask_path(self, image_id: str) -> Path: ...

    def record_state(self, entry: ImageEntry, *, durable: bool = True) -> None: ...

    def note_state(self, entry: ImageEntry, *, durable: bool = False) -> bool: ...

    def _mask_written(self, image_id: str) -> None: ...


class NotDurableSaveError(ProjectSaveError):
    """A save whose files are written and in place - shown now and by a re-opening - but a folder's
    fsync failed (an I/O error): it may not survive a power loss. Told as a failed save."""


def not_durable(exc: StorageError) -> NotDurableSaveError | None:
    """`exc` as a `NotDurableSaveError` when its file is in place (`StorageError.in_place`), else None."""
    return NotDurableSaveError(exc.path, exc.reason) if exc.in_place else None


def save_mask(project: MaskTarget, image_id: str, mask: np.ndarray, status: Status | str | None = None, *,
              write: Callable[[Path, bytes], None] = atomic_write,
              encode: Callable[..., bytes] = encode_mask_png) -> None:
    """Write one image's mask (uint8 (H, W) 0/1/255), then its state (see module doc); `write` and
    `encode`: the PNG's atomic write and encoding (`Project.save_mask` passes its module's, which
    tests replace). Raises ProjectSaveError (the files as they were), NotDurableSaveError (written,
    not durable), ProjectReadOnlyError."""
    project.check_writable()
    project.flush_image(image_id)
    entry = project.entry(image_id)
    project._saved_masks.forget(image_id)  # noqa: SLF001 - whatever the file held, from now on it is unknown
    mask = np.asarray(mask)
    path = project.mask_path(image_id)
    if entry.size is not None and mask.shape != tuple(entry.size):
        raise ProjectSaveError(path, f"mask is {mask.shape}, the image is {entry.size}")
    if (why := too_long(path.name)) is not None:
        raise ProjectSaveError(path, f"cannot write: {why}")
    new = Status(status) if status is not None else entry.status
    logged_at = _log_ahead(project, image_id, mask, new)  # first: a log kept never meets a mask file it does not describe
    if logged_at is None and new != entry.status and not noted_for(entry) and path.exists():
        note_intent(project, entry, path, mask, new)  # a kill after the PNG: the new state, not the old beside it
    previous = PreviousFile(path)  # put back when the state cannot be saved
    over = file_signature(path)
    written: NotDurableSaveError | None = None
    try:
        write(path, encode(mask, compress_level=1))
    except StorageError as exc:
        if (written := not_durable(exc)) is None:
            previous.discard()
            raise _taken_back(project, image_id, logged_at, ProjectSaveError(exc.path, exc.reason)) from exc
    except BaseException:  # Ctrl-C in the write, maybe once the file is in place (its folder's fsync): no kill, the
        if file_signature(path) != over:  # process goes on and writes the old state: the old file back with it
            previous.restore()
        previous.discard()
        _taken_back(project, image_id, logged_at, ProjectSaveError(path, "interrupted"))
        raise
    old = (entry.status, entry.updated, entry.size, entry.smoke_ratio)
    entry.status = new
    entry.updated = time.time()
    entry.size = (int(mask.shape[0]), int(mask.shape[1]))
    entry.smoke_ratio = smoke_ratio_of(mask)
    try:
        project.record_state(entry)
    except NotDurableSaveError as exc:  # the line is in the journal: the new PNG goes with it
        written = written or exc
    except ProjectSaveError as exc:
        entry.status, entry.updated, entry.size, entry.smoke_ratio = old
        previous.restore()
        raise _taken_back(project, image_id, logged_at, exc) from exc
    previous.discard()
    if written is None and not project._batch_depth:  # noqa: SLF001
        project._mask_written(image_id)  # noqa: SLF001 - its log goes
        return
    if image_id in project._journaled:  # noqa: SLF001 - the journal's status while a log runs ahead
        project._journaled[image_id] = entry.status  # noqa: SLF001
    if written is None:  # in a batch: the state is durable at its end, the log goes then
        project.hold_for_batch(image_id)
        return
    raise written


def _log_ahead(project: MaskTarget, image_id: str, mask: np.ndarray, status: Status) -> int | None:
    """Before the mask file is replaced: the image's recovery log, when there is one, ends with
    `mask` and `status` (a whole-mask record, made durable), so that a kill or power loss from now
    on reopens this state or the log's commits, never the log's rectangles applied over the new mask
    file; it stays while the state is not durable (a re-opening applies it). Returns the log's length
    before the record (None: no log). Raises ProjectSaveError when the record cannot be written (the
    log as it was, nothing else written)."""
    path = log_path(project.mask_path(image_id))
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ProjectSaveError(path, f"cannot read: {exc.strerror or exc}") from exc
    own_copy(path)
    project.log_grew(image_id)  # a journal fsync queued before lets it stay
    try:
        append_record(path, encode_record(mask, (0, mask.shape[0], 0, mask.shape[1]), status.value))
    except StorageError as exc:
        raise ProjectSaveError(exc.path, exc.reason) from exc
    log_restarted(path)  # it ends with the whole mask: records refused after a failed one are taken again
    return size


def _taken_back(project: MaskTarget, image_id: str, logged_at: int | None,
                error: ProjectSaveError) -> ProjectSaveError:
    """The save failed, its files as they were: the record `_log_ahead` appended is taken back;
    when it cannot be, `error` says that the next opening applies it (shown then)."""
    path = log_path(project.mask_path(image_id))
    if logged_at is None or take_back(path, logged_at):
        return error
    return ProjectSaveError(error.path, f"{error.reason}; this mask is kept in the recovery log {path}, which the "
                                        "next opening applies")
