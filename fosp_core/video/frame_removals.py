"""A frame undone back to no mask, its files removed on the save thread (`fosp_core.video.frame_saves`,
``BackgroundFrameSaves.remove_in_background``), so that the undo does not wait for the frame's pending write.

At the undo the GUI thread queues a removal record for the frame's recovery log (`removal_record`: a record
of the status alone, ``rect`` null, status ``unlabeled``; no commit of a video frame writes one, its records
always keep pixels), one write() and no fsync, as a commit's record (`log_sync.queue_record`). It then queues a `Removal` job on
the save thread, after the frame's pending write (one queue, in order; a write of the frame still waiting is
replaced by it, its place kept: the later state wins on disk). The job (`remove_frame`) fsyncs the log, then
removes the PNG, fsyncs the mask folder, removes the log and fsyncs the folder again: the removal record is
never gone while the PNG it removes may come back. A log that ends with a removal record means "no mask"
to every reader (`says_no_mask`: `read_saved` gives None, an opening's `recover_logs` removes the files, the
listing of the mask folder, `fosp_core.video.frame_files.saved_frames`, counts no mask there).
So a kill at any moment after the undo returned reopens the frame without a mask, and one before it
with the commit it undid (an OS crash or a power loss before the save thread's fsync of the log, as for a
commit's record).

A commit of the frame after the undo (a redo) calls the removal off (`RemovalGate`): its record is appended
under the gate's lock, which the job holds while it checks that it is still wanted and removes one file (both
records, the removal's and the commit's, are written by the log folder's append thread, `log_sync.queue_record`:
the GUI thread never waits for that lock, which a disk that does not answer may hold).
A removal called off before its PNG went leaves the files to the commit's own save (its record holds the
whole mask: what is on disk is not known then); one called off between its two files leaves the log,
whose whole record the commit's save writes.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ProjectSaveError
from fosp_core.annotation.log_sync import sync_log
from fosp_core.annotation.recovery import Record, status_record
from fosp_core.annotation.save_worker import SaveJob
from fosp_core.io.atomic import fsync_dir

__all__ = ["Removal", "RemovalGate", "is_removal", "remove_frame", "removal_record", "says_no_mask"]

_REMOVED = Status.UNLABELED.value  # "no mask yet"


def removal_record(shape: tuple[int, int]) -> bytes:
    """The log line that says "this frame has no mask" (see module doc)."""
    return status_record(shape, _REMOVED)


def is_removal(record: Record) -> bool:
    """Whether `record` is a removal record (`removal_record`)."""
    return record.rect is None and record.status == _REMOVED


def says_no_mask(records: Sequence[Record]) -> bool:
    """Whether a frame's recovery log of `records` leaves it without a mask (it ends with a removal record),
    whatever PNG is under it: the one rule of every reader (see module doc)."""
    return bool(records) and is_removal(records[-1])


class RemovalGate:
    """The removals queued and not yet done, by frame key -> the seq of the job (under `lock`: a commit's
    append and a job's check-and-remove never interleave)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: dict[str, int] = {}

    def call_off(self, key: str, before: int | None = None) -> None:
        """The frame's removal is no longer wanted (the caller holds `lock`: a commit appends next); `before`: the
        seq of that commit, whose record the log's append thread writes (`fosp_core.video.frame_saves`), a removal
        queued after it (a later undo) kept."""
        if before is None or self.pending.get(key, before) < before:
            self.pending.pop(key, None)

    def done(self, key: str, seq: int) -> None:
        """The job `seq` of frame `key` removed its files: nothing pending for it."""
        with self.lock:
            if self.pending.get(key) == seq:
                del self.pending[key]


@dataclass
class Removal(SaveJob):
    """A save-thread job that removes a frame's mask file and recovery log (`remove_frame`)."""

    gate: RemovalGate = field(default_factory=RemovalGate)


def remove_frame(job: Removal) -> None:
    """Remove the mask file `job.path` and then its log `job.log`, each made durable, unless the removal is
    called off meanwhile, or refused by its `check` before each (the folder's lock lost since: nothing removed)
    (save thread; see module doc); a failure goes into the job (an fsync that fails: the files removed all
    the same, told as not durable, as `VideoAnnotations.forget_mask` does)."""
    assert job.log is not None
    not_durable: OSError | None = None
    try:
        sync_log(job.log)  # the removal record durable before the PNG goes
    except OSError as exc:
        not_durable = exc
    for path in (job.path, job.log):
        with job.gate.lock:
            if job.gate.pending.get(job.image_id) != job.seq:
                return  # a later commit of the frame: its save writes what is on disk
            if job.check is not None and (refused := job.check(job)) is not None:
                job.error = refused  # the lock lost: the files are the new holder's (folder_lock)
                return
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                job.error = ProjectSaveError(path, f"cannot remove: {exc}")
                return
        try:
            fsync_dir(path.parent)
        except OSError as exc:
            not_durable = not_durable or exc
    if not_durable is not None:
        job.error = ProjectSaveError(job.path, f"removed, but cannot make it durable: {not_durable}")
