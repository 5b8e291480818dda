"""Mask saves off the saving thread: a commit made durable at once, its PNG written by a worker
(`Project.save_in_background`, the app; see `fosp_core.annotation.project`).

At a commit the saving (GUI) thread has the commit's record appended to the image's recovery log
(`fosp_core.annotation.recovery`: the changed rectangle, bit-packed, one write() by the log's append thread,
the GUI thread waiting for it while the disk answers: `fosp_core.annotation.log_sync`) and hands the mask to `MaskSaver`, one worker thread per
project (a copy of the changed rectangle, or of the whole mask: `fosp_core.annotation.save_copies`),
which fsyncs the log, then makes the mask, encodes and writes the PNG atomically. The commit is saved
(`Project.is_saved`) once the record is written: a kill of the process right after the release of
the mouse loses nothing (the record is in the page cache), the next opening rebuilds the mask from
the log. An OS crash or power loss can lose a commit only between its return and the worker's
fsync of the log (after the PNG write it may be running, before the PNG that supersedes the log). Saves are ordered (one worker, first in first out) and coalesced: while a save runs, a later
commit of the same image replaces the one waiting. When a save ended, the worker calls
``save_notify``; the owner then calls `finish_saves` on its thread, which appends the journal line
of the newest save of each image in commit order (a finished save older than the image's newest
commit is dropped), or tells a failure as a synchronous save does (``save_failed`` event,
`last_error`, `is_saved` false until a save works; the log keeps the edit).
`finish_saves(wait=True)` flushes: the project waits for its saves before a mask is read
(`load_mask`), saved another way (`save_mask`) or the project closed; the app before an export,
before a document is let go and before the window closes.

The journal's fsync is the save thread's too (3.7-3.9 ms of the GUI thread's 6-8 ms a save while
other processes wrote to the disk: ``bench/bench_finish_saves.py``). Every journal line is still
written by the saving thread, so the lines keep the one order of the journal's writers (status
saves, `save_mask`, the compactions and their generations: `fosp_core.annotation.project`); only
the lines of background saves are written without fsync, then `finish_saves` queues one journal
fsync job (`save_worker.SETTLE_KEY`; a waiting one takes the later lines too) after the PNGs.
The recovery log of each such image stays until that job's end is taken by `finish_saves`, and
goes then unless a record was appended to it since its line was written (`log_grew`: a later
commit). So at every moment a commit is durable in its log or in the fsynced journal: a kill loses
nothing, a power loss only what a log not yet fsynced held, as before. A failed journal fsync keeps
the logs (a re-opening applies them: the same state) and is told as a failed save of its images
until the next save's fsync of their lines written again works
(`fosp_core.annotation.journal_settles`). `finish_saves(wait=True)` waits for that job too: the
logs are gone when it returns (unless it failed).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from fosp_core.annotation import log_sync
from fosp_core.annotation.document import AnnotationDocument, Commit, DocumentEvent, Signal, Status
from fosp_core.annotation.entries import ImageEntry, ProjectError, ProjectSaveError
from fosp_core.annotation.history import Rect, union_rect
from fosp_core.annotation.journal_settles import JournalSettles, fsync_failed_reason
from fosp_core.annotation.log_sync import append_record, sync_file, sync_log
from fosp_core.annotation.logged_masks import LoggedMasks, own_copy
from fosp_core.annotation.project_documents import smoke_ratio_of
from fosp_core.annotation.project_files import SavedMasks, file_signature
from fosp_core.annotation.recovery import encode_record, log_path
from fosp_core.annotation.recovery_state import RecoveryState
from fosp_core.annotation.save_copies import MaskParts
from fosp_core.annotation.save_results import SaveResults
from fosp_core.annotation.save_worker import MaskSaver, SaveJob, SaveNotify
from fosp_core.annotation.saved_files_writes import written_counted
from fosp_core.annotation.storage import LockInfo, ProjectLock, StorageError, atomic_write
from fosp_core.annotation.taken_over import mark_taken_over, taken_over_error
from fosp_core.io.masks import encode_mask_png

__all__ = ["BackgroundSaves", "MaskSaver", "SaveJob", "own_copy"]


def _write(job: SaveJob) -> None:
    """Fsync the recovery log of `job` (its records made durable before the PNG that supersedes
    them), then encode and write the PNG (worker thread); the outcome goes into the job (a failed
    fsync: the error, no PNG written)."""
    if job.settles is not None:
        _sync_journal(job)
        return
    mask = job.mask if job.mask is not None else np.zeros((0, 0), np.uint8)
    try:
        if job.log is not None:
            log_sync.wait_appends(job.log)  # its records queued (`log_commit`) written, or failed, before the job ends
            try:
                sync_log(job.log)
            except StorageError:  # its record refused: taken over since (told as such, the mask rescued)?
                if job.check is not None and (refused := job.check(job)) is not None:
                    job.error = refused
                    return
                raise
        data = encode_mask_png(mask, compress_level=1)
        if job.check is not None and (refused := job.check(job)) is not None:
            job.error = refused  # nothing written (the project taken over)
            return
        written_counted(atomic_write, job.path, data)  # a document read meanwhile is read again (`SavedFiles.current`)
        job.signature = file_signature(job.path)
        job.smoke_ratio = smoke_ratio_of(mask)
    except StorageError as exc:
        job.error = ProjectSaveError(exc.path, exc.reason)
    except Exception as exc:  # noqa: BLE001 - told as a failed save; the recovery log keeps the edit
        job.error = ProjectSaveError(job.path, f"cannot write: {exc}")
    finally:
        job.mask = None  # the worker's copy stays with it (`SavedCopies`)


def _sync_journal(job: SaveJob) -> None:
    """Fsync the journal `job.path` (save thread): the lines the owner appended before queuing the
    job become durable. A journal gone (folded into a durable ``project.json`` since) is nothing to
    do; a failure goes into the job (the lines stay written, their recovery logs kept; a failed
    fsync told as a save that cannot be made durable: `fsync_failed_reason`)."""
    try:
        sync_file(job.path, folder=False, failed=fsync_failed_reason)
    except StorageError as exc:
        job.error = ProjectSaveError(exc.path, exc.reason)


class BackgroundSaves(SaveNotify, SaveResults, LoggedMasks, JournalSettles, RecoveryState):
    """The background mask saves of a `fosp_core.annotation.project.Project` (its first base
    class; see module doc; the saves that ended taken: `SaveResults`; `load_mask` with the logs applied: `LoggedMasks`). ``save_in_background``: commits saved this way (off: in the commit, as
    scripts want); ``save_notify``: called on the worker thread when a save ended."""

    events: Signal
    entries: list[ImageEntry]
    last_error: ProjectError | None
    _saved_revision: dict[str, int]
    _saved_masks: SavedMasks

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.save_in_background = False
        self._saver: MaskSaver | None = None
        self.save_notify = None
        self._seq = 0
        self._newest: dict[str, int] = {}  # image id -> seq of its newest job
        self._dirty: dict[str, Rect] = {}  # image id -> mask changed since its last record or save
        self._base: dict[str, int] = {}  # image id -> mask version the mask file or log describes
        self._logged: set[str] = set()  # images whose recovery log this project wrote
        self._journaled: dict[str, Status] = {}  # image id -> its status in the journal, while logged ahead
        self._copied: dict[str, int] = {}  # image id -> mask version the worker's copy holds after its saves
        self._log_version: dict[str, int] = {}  # image id -> records appended to its log by this project
        self._status_only: dict[str, set[int]] = {}  # image id -> its log's versions that were status records
        self._settles_out = 0  # journal fsync jobs queued and not yet taken
        self._record_refused_for: LockInfo | None = None  # who took the lock over, as a record's look found

    # provided by Project and ProjectImages (annotations only: a method here would shadow theirs)
    lock: ProjectLock | None
    _batch_depth: int
    read_only_reason: str | None
    locked_by: LockInfo | None
    ids: list[str]
    folder: Path
    read_only: bool
    image_path: Callable[[str], Path]
    mask_path: Callable[[str], Path]
    entry: Callable[[str], ImageEntry]
    record_state: Callable[..., None]
    save_document: Callable[[AnnotationDocument], None]
    save_mask: Callable[..., None]

    # ----------------------------------------------------------------------------- commits
    def _autosave(self, doc: AnnotationDocument, commit: Commit) -> None:
        """A commit of an autosaved document: saved now, or its record logged and the PNG queued
        (`save_in_background`); a failure is told (``save_failed``, `last_error`). Found taken over
        (`ProjectLock.taken_by`): read-only from now on, told once by a ``taken_over`` event after
        the failure (image id and error as its)."""
        error: ProjectError | None = None
        try:  # in the background the lock is looked at off this thread (`_before_record`, the PNG's check)
            owner = None if self.save_in_background or self.lock is None else self.lock.taken_by()
            if owner is None:
                self.record_commit(doc) if self.save_in_background else self.save_document(doc)
        except ProjectError as exc:
            error, (owner, self._record_refused_for) = exc, (self._record_refused_for, None)
        turned = owner is not None and self._turn_read_only(owner)  # nothing written into the project from now on
        if owner is not None:
            error = taken_over_error(self.mask_path(doc.image_id), owner, self.folder, doc.image_id, doc.mask)
        if error is not None:
            self.last_error = error
            self.events.emit(("save_failed", doc.image_id, error))
        if turned:
            self.events.emit(("taken_over", doc.image_id, error))

    def _turn_read_only(self, owner: LockInfo) -> bool:
        """The project is read-only from now on, `owner` holding its lock (`mark_taken_over`); True
        when this turned it so (its ``taken_over`` event is then due), False when it was already."""
        if self.read_only_reason is not None and self.locked_by == owner:
            return False
        mark_taken_over(self, owner)
        return True

    def _refused(self, path: Path, image_id: str, mask: np.ndarray | None) -> ProjectSaveError | None:
        """The error of a save of `image_id` when another program took the project's lock over
        since it was opened (`mask` rescued: `fosp_core.annotation.taken_over`); None otherwise."""
        owner = self.lock.taken_by() if self.lock is not None else None
        return None if owner is None else taken_over_error(path, owner, self.folder, image_id, mask)

    def watch_document(self, doc: AnnotationDocument) -> None:
        """Follow `doc`'s mask changes (the rectangle each commit's record keeps)."""
        self._dirty.pop(doc.image_id, None)
        self._base[doc.image_id] = doc.mask_version

        def changed(event: DocumentEvent, image_id: str = doc.image_id) -> None:
            if event.kind == "mask" and event.rect is not None:
                self._dirty[image_id] = union_rect(self._dirty.get(image_id), event.rect)  # type: ignore[assignment]

        doc.events.connect(changed)

    def record_commit(self, doc: AnnotationDocument) -> None:
        """Save a commit of `doc` the background way: its record appended to the recovery log, the
        PNG queued; a status change over a mask file that holds the document's mask is a journal
        line alone (`save_document`). Raises ProjectSaveError when the record cannot be written."""
        image_id, path = doc.image_id, self.mask_path(doc.image_id)
        rect, before = self._dirty.get(image_id), self._base.get(image_id)
        known = image_id in self._logged or self._saved_masks.holds(image_id, self._base.get(image_id, -1), path)
        if rect is None and image_id not in self._logged and self._saved_masks.holds(image_id, doc.mask_version, path):
            self.save_document(doc)  # the status alone
            return
        if not known or log_sync.refuses(log_path(path)):  # the file may not hold the state before this commit,
            rect = (0, doc.height, 0, doc.width)  # or a record queued before it failed: the log starts whole
        self.log_commit(doc, rect)
        self._dirty.pop(image_id, None)
        self._logged.add(image_id)
        self._base[image_id] = doc.mask_version
        entry = self.entry(image_id)
        self._journaled.setdefault(image_id, entry.status)
        entry.status, entry.size = Status(doc.status), doc.shape  # shown at once; the journal line comes later
        self._saved_masks.forget(image_id)
        self._saved_revision[image_id] = doc.revision
        self._seq += 1
        self._newest[image_id] = self._seq
        if self._saver is None:
            # `_write` looked up at each job (tests replace it)
            self._saver, self._copied = MaskSaver(self.save_notify, write=lambda job: _write(job)), {}
        if before is not None and self._copied.get(image_id) == before:  # the worker holds the mask at `before`
            y0, y1, x0, x1 = rect if rect is not None else (0, 0, 0, 0)
            parts = MaskParts(None, [((y0, y1, x0, x1), np.array(doc.mask[y0:y1, x0:x1]))] if rect is not None else [])
        else:
            parts, self._copied = MaskParts(np.array(doc.mask)), {}
            self._saver.keep_only(image_id)
        self._copied[image_id] = doc.mask_version
        self._saver.submit(SaveJob(self._seq, image_id, path, parts, doc.mask_version, doc.revision, log_path(path),
                                   check=lambda job: self._refused(job.path, job.image_id, job.mask)))

    def log_commit(self, doc: AnnotationDocument, rect: Rect | None) -> None:
        """Append the record of `doc`'s commit (pixels in `rect`, None: status only) by its log's thread (`log_sync.
        queue_record`), fsynced by the save thread (`sync_log`). ProjectSaveError: it failed (taken over: not written)."""
        path = log_path(self.mask_path(doc.image_id))
        self.log_grew(doc.image_id, status_only=rect is None)  # first: a record half written must keep the log too
        try:
            log_sync.queue_record(path, encode_record(doc.mask, rect, doc.status.value), prepare=self._before_record,
                         whole=rect == (0, doc.height, 0, doc.width), append=lambda *a: append_record(*a))
        except StorageError as exc:  # it failed while this thread waited for it
            raise ProjectSaveError(exc.path, exc.reason) from exc

    def _before_record(self, path: Path) -> None:
        """On the log's append thread, before a record: refused when another program took the lock over (the
        logs are its now); the log given a copy of its own when it shares a set-aside copy's bytes."""
        owner = self.lock.taken_by() if self.lock is not None else None
        if owner is not None:
            self._record_refused_for = owner  # told as a take-over when the commit sees the failure (`_autosave`)
            raise ProjectSaveError(path, f"not saved: the project was taken over ({owner.describe()})")
        own_copy(path)

    def log_grew(self, image_id: str, *, status_only: bool = False) -> None:
        """A record is appended to `image_id`'s recovery log: a journal fsync queued before it lets
        the log stay (`_settled`). `status_only`: a status record, no pixel (`status_made_durable`
        lets the log go over it)."""
        version = self._log_version[image_id] = self._log_version.get(image_id, 0) + 1
        if status_only:
            self._status_only.setdefault(image_id, set()).add(version)
