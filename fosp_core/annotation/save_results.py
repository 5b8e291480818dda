"""Taking the background mask saves that ended, on the saving thread: the results half of
`fosp_core.annotation.mask_saves.BackgroundSaves` (its first base class), apart from the commits half
so that each stays a module a reader can hold (the house's 400 lines).

`finish_saves` takes the jobs the save thread finished: the newest save of each image gets its
journal line (written without fsync), a failure is told (``save_failed``), a take-over seen now turns
the project read-only (one ``taken_over`` event), and one journal fsync job is queued after the PNGs;
its end, taken later, lets the recovery logs go (`JournalSettles._settled` -> `_mask_written`).
`saves_settle` is the same bounded by a timeout (Save Now), `flush_image` / `stop_saves` wait for them
(a save another way, closing). The save thread and the commits' side: `fosp_core.annotation.mask_saves`.
Code moved from there unchanged.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from fosp_core.annotation import log_sync
from fosp_core.annotation.document import Signal, Status
from fosp_core.annotation.entries import ImageEntry, ProjectError
from fosp_core.annotation.journal_settles import Settles
from fosp_core.annotation.project_files import JOURNAL_FILE, SavedMasks
from fosp_core.annotation.recovery import log_path
from fosp_core.annotation.save_copies import MaskParts
from fosp_core.annotation.save_worker import SETTLE_KEY, MaskSaver, SaveJob
from fosp_core.annotation.storage import LockInfo, ProjectLock
from fosp_core.annotation.taken_over import taken_over_error

__all__ = ["SaveResults"]


class SaveResults:
    """The results of a project's background mask saves (see module doc); the state is
    `BackgroundSaves`' (made in its ``__init__``)."""

    # provided by BackgroundSaves, its bases and Project (annotations only: a method here would shadow theirs)
    events: Signal
    last_error: ProjectError | None
    lock: ProjectLock | None
    folder: Path
    _batch_depth: int
    _saver: MaskSaver | None
    _seq: int
    _newest: dict[str, int]
    _logged: set[str]
    _journaled: dict[str, Status]
    _copied: dict[str, int]
    _log_version: dict[str, int]
    _status_only: dict[str, set[int]]
    _settles_out: int
    _saved_revision: dict[str, int]
    _saved_masks: SavedMasks
    _index: dict[str, int]
    _unsynced: Settles
    _logs_removed: Path | None
    pending_logs: list[str]
    mask_path: Callable[[str], Path]
    entry: Callable[[str], ImageEntry]
    record_state: Callable[..., None]
    _turn_read_only: Callable[[LockInfo], bool]
    _settled: Callable[..., None]
    hold_for_batch: Callable[[str], None]
    retry_lines: Callable[[Settles], None]

    def finish_saves(self, wait: bool = False, image_id: str | None = None) -> int:
        """Take the saves that ended (`wait`: wait for those of `image_id`, or all, first), on the
        saving thread: each image's newest gets its journal line ("saved"), a failure is told
        ("save_failed"); a project found taken over now turns read-only, told after them by one
        "taken_over" event (with the last failure's image id and error). Returns how many jobs were
        taken (a journal fsync's end counts as one). The lines are written without fsync: the save
        thread's journal fsync (queued here) makes them durable, and their logs go only when its end
        is taken (`_settled`); `wait`: that one waited for and taken too."""
        saver = self._saver
        if saver is None:
            return 0
        taken = self._take(saver, wait, image_id)
        if wait and self._settles_out:
            taken += self._take(saver, True, SETTLE_KEY)
        return taken

    def saves_settle(self, timeout: float) -> bool:
        """:meth:`finish_saves` with `wait`, waiting at most `timeout` seconds in all (a disk that does not
        answer holds the save thread for good: Save Now must not wait for it). False: some still run, their
        outcome not taken yet; True: every save ended and was taken, the journal fsync it queued too."""
        deadline = time.monotonic() + timeout
        while (saver := self._saver) is not None:
            if not saver.wait(timeout=max(0.0, deadline - time.monotonic())):
                return False
            if not self.finish_saves() and not saver.busy():  # taking them may queue the journal's fsync
                return True
        return True

    def _take(self, saver: MaskSaver, wait: bool, image_id: str | None) -> int:
        if wait:
            saver.wait(image_id)
        jobs = saver.done()
        settles: Settles = {}  # image id -> (its log's version when its line was written, its revision)
        owner = self.lock.taken_by() if self.lock is not None else None
        turned = owner is not None and self._turn_read_only(owner)  # no journal line, no project.json rewrite
        told: tuple[str, ProjectError | None] = ("", None)  # the failure the ``taken_over`` event carries
        for job in jobs:
            if job.settles is not None:
                self._settles_out -= 1
                if owner is None and job.error is None and job.settles and self.lock is not None:
                    owner = self.lock.taken_by()  # again, just before the logs go: a take-over since
                    turned = owner is not None and self._turn_read_only(owner)
                if owner is None:  # taken over: the logs at those paths are the new holder's now
                    self._settled(job.settles, job.error)
                continue
            if self._newest.get(job.image_id) != job.seq:
                continue  # a later commit of the image is queued: its save says what is on disk
            self._newest.pop(job.image_id, None)
            try:
                if job.error is not None:
                    raise job.error
                if owner is not None:  # written before the take-over, or just as it came
                    raise taken_over_error(job.path, owner, self.folder, job.image_id, None)
                self._journal(job)
                if self._batch_depth:  # in a batch the state waits for its end, and so does the log
                    self.hold_for_batch(job.image_id)
                else:
                    settles[job.image_id] = (self._log_version.get(job.image_id, 0), job.revision)
            except ProjectError as exc:
                self._copied.pop(job.image_id, None)  # the next save hands the whole mask over
                if self._saved_revision.get(job.image_id) == job.revision:
                    self._saved_revision[job.image_id] = -1  # not saved: told, tried again
                # the entry keeps the commit's status: the log holds it and runs ahead of the journal
                # (`_journaled` stays), as a project opened again shows it (`note_pending_logs`)
                self.last_error, told = exc, (job.image_id, exc)
                self.events.emit(("save_failed", job.image_id, exc))
                continue
            self.events.emit(("saved", job.image_id, None))
        if turned:
            self.events.emit(("taken_over", *told))
        if settles and owner is None:  # the lines' fsync, after the PNGs' (one thread, in order)
            self.retry_lines(settles)  # with the lines whose last fsync failed, written again
            journal = self.folder / JOURNAL_FILE
            if saver.submit(SaveJob(self._seq, SETTLE_KEY, journal, MaskParts(None), 0, 0, settles=settles)) is None:
                self._settles_out += 1
        return len(jobs)

    def _journal(self, job: SaveJob) -> None:
        """The save's state in the journal, a line written without fsync (the journal fsync job's)."""
        entry = self.entry(job.image_id)
        entry.updated = time.time()
        entry.smoke_ratio = job.smoke_ratio
        self.record_state(entry, durable=False)
        if job.image_id in self._journaled:  # the journal's status now (its log stays until the line is durable)
            self._journaled[job.image_id] = entry.status
        self._saved_masks.remember(job.image_id, job.mask_version, job.signature)

    def journal_view(self, entries: list[ImageEntry]) -> list[ImageEntry]:
        """`entries` as the journal holds them, for a rewrite of ``project.json``: an image whose background
        commit is shown ahead of its journal line keeps the journal's status (`_journaled`). That commit's
        record may not be durable yet (its PNG job, which fsyncs the log, still waiting): written into the
        durable ``project.json``, its status came back after a power loss over the mask before it - neither
        the image's last durable state nor its newest. The entries themselves when none is ahead; else a
        copy (the list's, and each such entry's)."""
        if not self._journaled:
            return entries
        view = list(entries)
        for image_id, status in self._journaled.items():
            i = self._index.get(image_id)
            if i is not None and i < len(view) and view[i].id == image_id and view[i].status != status:
                view[i] = replace(view[i], status=status)
        return view

    def journaled_entry(self, entry: ImageEntry) -> ImageEntry:
        """`entry` as the journal holds it (`journal_view` of one entry): a copy with the journal's status
        when its shown one runs ahead of its line, else `entry`."""
        status = self._journaled.get(entry.id)
        return entry if status is None or status == entry.status else replace(entry, status=status)

    def _mask_written(self, image_id: str) -> None:
        """The mask file holds the image's newest commit with its state, durably: its log goes (and a
        failed fsync's line of it is no longer written again)."""
        self._logged.discard(image_id)
        self._unsynced.pop(image_id, None)
        if image_id in self.pending_logs:
            self.pending_logs.remove(image_id)
        self._journaled.pop(image_id, None)
        self._status_only.pop(image_id, None)
        log = log_path(self.mask_path(image_id))
        with contextlib.suppress(OSError):
            log.unlink()  # not durable yet: `JournalSettles.settle_removed_logs`
            self._logs_removed = log.parent
        log_sync.log_restarted(log)  # a record refused after a failed one may be written again

    def status_made_durable(self, image_id: str) -> None:
        """`save_document` wrote `image_id`'s state as a durable journal line over a mask file that
        holds the document's mask: a line whose journal fsync had failed (`unsynced_images`) is
        durable now, so its log, which holds nothing more, goes as after a save (`_mask_written`;
        held until a batch's end inside one). Without this the log stayed, and the next opening
        told the user it had recovered edits that were never lost.

        Only while the log holds nothing after that line's commit but status records (`set_status`'s,
        from this save or a status set from the list before it): a later commit recorded since, whose
        PNG failed, is in the log alone - the mask file holds the commit before it, and a document
        opened again (the log applied over the file, the same smoke ratio: an ignore stroke) passes for it."""
        unsynced = self._unsynced.get(image_id)
        if unsynced is None or image_id in self.pending_logs:
            return
        statuses = self._status_only.get(image_id, set())
        if any(v not in statuses for v in range(unsynced[0] + 1, self._log_version.get(image_id, 0) + 1)):
            return  # a pixel record since the line: the log is its one copy
        if self._batch_depth:
            self.hold_for_batch(image_id)
        else:
            self._mask_written(image_id)

    def flush_image(self, image_id: str) -> None:
        """Wait for the background saves of `image_id` and take them (before it is saved another way)."""
        if self._saver is not None and (self._saver.busy(image_id) or image_id in self._newest):
            self.finish_saves(wait=True, image_id=image_id)

    def stop_saves(self) -> None:
        """Flush every save and end the worker (closing the project)."""
        if self._saver is not None:
            self.finish_saves(wait=True)
            self._saver.stop()
            self._saver = None
