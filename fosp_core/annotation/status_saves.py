"""A status set outside any document (`Project.set_status`: a script, the app's status-only save)
and the order of its two writes.

When the image's recovery log holds commits not in its mask file (`Project.pending_logs`, or this
project's own log of a background save that failed), the next opening applies that log and takes
the status of its last record: the status set now must be that last record, or the opening would
put the one before back. So two things are written, in this order:

1. a status record appended to the log (`fosp_core.annotation.recovery.status_record`; a whole-mask
   record when a bad record in the log would hide one appended after it). It fails (disk full):
   nothing was written, the status stays the one before, `ProjectSaveError` is raised.
2. the journal line (`Project.record_state`). It fails: the record of step 1 is taken back (the log
   cut back to its length before it, which needs no room), the status stays the one before, the
   error is raised. When the log cannot be cut back (an I/O error) the record stays, and the next
   opening applies it: the project shows the new status, and the error raised says that the
   journal line is missing and that the next opening applies the status from the log. A line
   in place whose journal's creation is not durable (its folder's fsync failed:
   `NotDurableSaveError`) is no failure to undo: the record stays, the status is the new one.

A kill between the two leaves the record without its line: the next opening applies the log and
finds the new status. The journal is thus never ahead of the log (the former order wrote the line
first: a log write that failed left the journal saying a status that neither the project nor the
next opening showed). An image without such a log gets the journal line alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry, ProjectSaveError
from fosp_core.annotation.log_sync import sync_file
from fosp_core.annotation.log_sync import take_back as _take_back  # a seam tests replace
from fosp_core.annotation.logged_masks import own_copy
from fosp_core.annotation.mask_writes import NotDurableSaveError
from fosp_core.annotation.recovery import encode_record, log_path, read_log_checked, status_record
from fosp_core.annotation.storage import StorageError, append_record

__all__ = ["StatusTarget", "log_status", "set_status"]


class StatusTarget(Protocol):
    """What a status change uses of a project (`fosp_core.annotation.project.Project`), so that the project
    imports this module and not the other way round."""

    pending_logs: list[str]
    _logged: set[str]  # images whose recovery log this project wrote (mask_saves.BackgroundSaves)
    _journaled: dict[str, Status]  # image id -> its status in the journal, while the log runs ahead

    def check_writable(self) -> None: ...

    def flush_image(self, image_id: str) -> None: ...

    def settle_removed_logs(self) -> None: ...

    def entry(self, image_id: str) -> ImageEntry: ...

    def mask_path(self, image_id: str) -> Path: ...

    def load_mask(self, image_id: str) -> np.ndarray | None: ...

    def log_grew(self, image_id: str, *, status_only: bool = False) -> None: ...

    def record_state(self, entry: ImageEntry, *, durable: bool = True) -> None: ...


def set_status(project: StatusTarget, image_id: str, status: Status | str) -> None:
    """Change one image's status outside any document and save it (see module doc for the order of
    the writes and what each failure leaves). Raises ProjectSaveError, ProjectReadOnlyError."""
    project.check_writable()
    project.flush_image(image_id)
    project.settle_removed_logs()  # a log removed coming back after a power loss: its status would win
    entry = project.entry(image_id)
    new = Status(status)
    logged_at = log_status(project, image_id, new)  # first: the journal never runs ahead of the log
    old, entry.status = entry.status, new
    try:
        project.record_state(entry)
    except NotDurableSaveError:  # the line is in the journal (its creation not durable): the new status stands
        if image_id in project._journaled:  # noqa: SLF001
            project._journaled[image_id] = new  # noqa: SLF001
        raise
    except ProjectSaveError as exc:
        if logged_at is None or _take_back(log_path(project.mask_path(image_id)), logged_at):
            entry.status = old
            raise
        raise ProjectSaveError(exc.path, f"{exc.reason}; the status {new.value} is kept in the recovery log "
                                         f"{log_path(project.mask_path(image_id))}, which the next opening "
                                         "applies (shown now)") from exc
    if image_id in project._journaled:  # noqa: SLF001 - the journal's status while the log runs ahead
        project._journaled[image_id] = new  # noqa: SLF001


def log_status(project: StatusTarget, image_id: str, status: Status) -> int | None:
    """When the image's recovery log holds commits not in its mask file (`pending_logs`, or this
    project's own log of a save that failed), append a status-only record to it, so that applying
    the log at the next opening ends with `status`: the last word wins. Returns the log's length
    before the record (to take it back), None when nothing was appended. Raises ProjectSaveError
    when the record cannot be written (the log then as it was)."""
    if image_id not in project._logged and image_id not in project.pending_logs:  # noqa: SLF001
        return None
    path = log_path(project.mask_path(image_id))
    reading = read_log_checked(path)
    if not reading.records:
        return None  # nothing the next opening would apply
    line = status_record(reading.records[0].shape, status.value)
    if reading.problem is not None:  # a record after an unreadable one is never read: the whole mask
        mask = project.load_mask(image_id)
        if mask is None:
            return None
        line = encode_record(mask, (0, mask.shape[0], 0, mask.shape[1]), status.value)
    own_copy(path)
    project.log_grew(image_id, status_only=reading.problem is None)  # first: a journal fsync pending lets the log stay
    try:
        sync_file(path)  # its entry in its folder durable before a line says its status (the append: its bytes): a
        # log found at the opening (a killed process's), or one whose save failed before its fsync, may not be
        size = path.stat().st_size
        append_record(path, line)
    except StorageError as exc:
        raise ProjectSaveError(exc.path, exc.reason) from exc
    except OSError as exc:
        raise ProjectSaveError(path, f"cannot read: {exc.strerror or exc}") from exc
    return size

