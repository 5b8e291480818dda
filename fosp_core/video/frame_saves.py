"""Frame masks saved off the committing (GUI) thread: `BackgroundFrameSaves`, a base of
:class:`~fosp_core.video.timeline.VideoAnnotations` (its ``save_in_background``, on in the app).

The images' way (`fosp_core.annotation.mask_saves`), without their journal: at a commit the GUI thread
queues the commit's record for the frame's recovery log, ``masks/<stem>_<frame:06d>.png.recovery``
(`fosp_core.annotation.recovery`: the rectangle the commit changed, bit-packed; one write(), no fsync), written by
the log folder's append thread after its lock read and the folder's mkdir (`log_sync.queue_record`: the GUI thread
waits for it half a second at most, not at all while a disk that does not answer holds that folder; a record that
fails later fails the frame's save, and the frame's next record holds its whole mask), marks the frame edited, and hands the mask (that rectangle, or the whole
mask: `fosp_core.annotation.save_copies`; at the first commit after a frame's document opened, the rectangle
over the mask it opened with, read from disk and no one else's and kept until then or the next opening, or
over a calloc'ed empty one: no copy of the whole mask on the GUI thread) to a `MaskSaver` thread of the
video's own. The thread fsyncs
the log, encodes the PNG (`fosp_core.video.mask_png`) and writes it atomically; when the owner takes the
save's end (`finish_saves`, on the GUI thread, called by the app when the thread notifies), the log goes,
unless a later commit of the frame was queued since (its own save removes it then).

So: a kill of the process right after a stroke loses nothing (the record is in the page cache; the next
opening, `fosp_core.video.log_recovery.recover_logs`, applies it over the PNG and writes the PNG; an OS crash or power loss before the
save thread's fsync of the log may lose it, as for images); saves run in commit order, one waiting
per frame (a later commit replaces the waiting one: the later mask wins on disk); a read of a frame's mask
(`read_saved`) applies its log over its PNG, so it is the last commit's whatever the thread has written;
a failed write is told (``save_failed``, ``last_error``), its log kept, and written again at the frame's next
commit, by `retry_failed` (the video closing) or at the next opening; a commit whose record could not be
appended (disk full) is told, and recorded again at the frame's next commit or by `retry_failed`. `stop_saves` (the video closing, the
window closing) waits for every pending write; before the window's close, `frames_under_way` names those a disk
that does not answer holds, without waiting (`app.annotation.close_waits.settle_video` asks then). A frame undone back to no mask has its files removed the same way,
after its pending write (`fosp_core.video.frame_removals`): the undo does not wait for that write.
Each job checks the folder's lock before it writes or removes anything (`FolderLock.save_check`): one refused
there (the lock lost since it was queued) writes nothing, its mask rescued, and turns the annotations
read-only when its end is taken; a save that ended once the lock was lost leaves the frame's log alone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from fosp_core.annotation import log_sync
from fosp_core.annotation.document import AnnotationDocument, DocumentEvent, Signal
from fosp_core.annotation.entries import ProjectSaveError
from fosp_core.annotation.file_writes import StorageError, atomic_write
from fosp_core.annotation.history import Rect, union_rect
from fosp_core.annotation.log_sync import append_record, sync_log
from fosp_core.annotation.recent import RecentDocuments
from fosp_core.annotation.recovery import RECOVERY_SUFFIX, encode_record, log_path
from fosp_core.annotation.save_copies import MaskParts
from fosp_core.annotation.save_worker import MaskSaver, SaveJob, SaveNotify
from fosp_core.annotation.storage import LockInfo
from fosp_core.io.masks import MaskReadError
from fosp_core.video.errors import VideoAnnotationError
from fosp_core.video.folder_lock import LockLostError, LockRefusal
from fosp_core.video.frame_files import read_saved, replace_saved
from fosp_core.video.frame_removals import Removal, RemovalGate, removal_record, remove_frame
from fosp_core.video.mask_png import encode_frame_mask_png
from fosp_core.video.state_saves import StateJob, StateShared, frame_job_ended, write_state

__all__ = ["RECOVERY_SUFFIX", "BackgroundFrameSaves", "read_saved", "replace_saved"]


def _write_frame(job: SaveJob) -> None:
    """Fsync the frame's recovery log, then encode and write its PNG atomically (save thread); the outcome goes into the job."""
    try:
        if job.log is not None:
            try:
                sync_log(job.log)  # after the records queued for it (log_sync)
            except StorageError:  # one refused on its append thread because the lock was lost: told as such
                if job.check is not None and (refused := job.check(job)) is not None:
                    job.error = refused
                    return
                raise
        assert job.mask is not None
        data = encode_frame_mask_png(job.mask)
        if job.check is not None and (refused := job.check(job)) is not None:
            job.error = refused  # nothing written: the lock was lost (its mask rescued)
            return
        atomic_write(job.path, data)
    except StorageError as exc:
        job.error = ProjectSaveError(exc.path, exc.reason)
    except Exception as exc:  # noqa: BLE001 - told as a failed save; the recovery log keeps the edit
        job.error = ProjectSaveError(job.path, f"cannot save: {exc}")
    finally:
        job.mask = None


def _write_job(job: SaveJob, newest: StateShared | None = None) -> None:
    """The save thread's write of `job`: a frame's removal, ``video.json`` (`fosp_core.video.state_saves`) or a
    frame's PNG (each looked up at each job: tests replace them; `frame_job_ended`: the state's `newest` told)."""
    if isinstance(job, Removal):
        remove_frame(job)
    elif isinstance(job, StateJob):
        write_state(job)
    else:
        _write_frame(job)
        frame_job_ended(job, newest)


def _key(index: int) -> str:
    return f"{index:06d}"


class BackgroundFrameSaves(SaveNotify):
    """The background saves of a `VideoAnnotations` (see module doc). ``save_in_background``: commits saved
    this way (off: in the commit, as scripts want); ``save_notify``: called on the save thread when a save
    ended (the owner then calls `finish_saves` on its own thread)."""

    # provided by VideoAnnotations
    events: Signal
    _recent: RecentDocuments[int]
    edited: set[int]
    frames_to_check: set[int]
    mask_files: frozenset[int]
    _on_disk: set[int]
    last_error: VideoAnnotationError | None
    shape: tuple[int, int]
    mask_path: Callable[[int], Path]
    save_state: Callable[[], None]
    check_writable: Callable[..., None]
    forget_mask: Callable[[int], None]
    read_only_reason: str | None
    save_check: Callable[[], Callable[[SaveJob], ProjectSaveError | None] | None]
    refused_on_thread: Callable[[int, LockRefusal], None]
    append_check: Callable[[], Callable[[], tuple[str, LockInfo | None] | None]]
    lock_lost: Callable[[tuple[str, LockInfo | None], Path], LockLostError]
    found_lost: Callable[[int], bool]
    take_state_job: Callable[[StateJob], None]
    saves_stopped: bool
    _state_newest: StateShared  # StateSaves': the state jobs' shared record (`frame_job_ended`)

    def __init__(self) -> None:
        self.save_in_background = False
        self._saver: MaskSaver | None = None
        self.save_notify = None
        self._seq = 0
        self._newest: dict[int, int] = {}  # frame -> seq of its newest save
        self._dirty: dict[int, Rect] = {}  # frame -> rectangle changed since its last record
        self._base: dict[int, int] = {}  # frame -> mask version its PNG and log hold (known on disk)
        self._copied: dict[int, int] = {}  # frame -> mask version the save thread's copy holds after its saves
        #: frames whose newest save failed: their log keeps the edit (`retry_failed`)
        self.failed: set[int] = set()
        #: frames whose commit's record could not be written (disk full): recorded again by `retry_failed`
        self._unlogged: dict[int, AnnotationDocument] = {}
        self._removals = RemovalGate()  # frames undone back to no mask whose files the thread removes
        #: the frame opened last: (index, its document's mask version then, the mask it opened with: the save
        #: thread's base at its first commit, None: all background), until that commit or another opening
        self._opened: tuple[int, int, np.ndarray | None] | None = None

    def watch_document(self, doc: AnnotationDocument, index: int, opened: np.ndarray | None = None) -> None:
        """Follow `doc`'s mask changes (frame `index`'s document, just opened from what is on disk: `opened`,
        None: no mask; an array of the caller's no one else holds or changes, handed to the save thread as
        the frame's mask at its first commit: that commit copies the rectangle it changed only)."""
        self._dirty.pop(index, None)
        self._base[index] = doc.mask_version
        self._opened = (index, doc.mask_version, opened)

        def changed(event: DocumentEvent) -> None:
            if event.kind == "mask" and event.rect is not None:
                self._dirty[index] = union_rect(self._dirty.get(index), event.rect)  # type: ignore[assignment]

        doc.events.connect(changed)

    def record_commit(self, doc: AnnotationDocument, index: int) -> None:
        """Save a commit of frame `index` the background way: its record appended to the log, the PNG
        queued, the frame marked edited. Raises VideoAnnotationError when the record cannot be written (or
        the annotations are read-only: `fosp_core.video.folder_lock`)."""
        path = self.mask_path(index)
        self.check_writable(path, read_lock=False)  # the lock read on the log's append thread (`_queue_record`)
        log = log_path(path)
        before = self._base.get(index)
        rect = self._dirty.get(index) if before is not None else None
        whole = (0, doc.height, 0, doc.width)
        if rect is None or log_sync.refuses(log):  # not known what is on disk, no pixel event seen, or a record
            rect = whole  # queued before failed (`log_sync`): the whole mask
        try:
            self._queue_record(index, log, encode_record(doc.mask, rect, doc.status.value), whole=rect == whole)
        except (OSError, ValueError) as exc:
            self._unlogged[index] = doc
            raise VideoAnnotationError(log, f"cannot save: {getattr(exc, 'reason', exc)}") from exc
        self._unlogged.pop(index, None)
        self._dirty.pop(index, None)
        self._base[index] = doc.mask_version
        self._seq += 1
        self._newest[index] = self._seq
        saver = self._start_saver()
        opened, self._opened = self._opened, None
        y0, y1, x0, x1 = rect
        if before is not None and self._copied.get(index) == before:  # the thread's copy is at `before`
            parts = MaskParts(None, [(rect, np.array(doc.mask[y0:y1, x0:x1]))])
        elif opened is not None and opened[:2] == (index, before):  # the first commit since the opening
            base = opened[2] if opened[2] is not None else np.zeros(doc.mask.shape, np.uint8)  # calloc: no copy
            parts, self._copied = MaskParts(base, [(rect, np.array(doc.mask[y0:y1, x0:x1]))]), {}
            saver.keep_only(_key(index))
        else:
            parts, self._copied = MaskParts(np.array(doc.mask)), {}
            saver.keep_only(_key(index))
        self._copied[index] = doc.mask_version
        saver.submit(SaveJob(self._seq, _key(index), path, parts, doc.mask_version, doc.revision, log,
                             check=self.save_check()))
        self._on_disk.add(index)
        self.mask_files |= {index}
        newly = index not in self.edited
        if newly or index in self.frames_to_check:
            self.edited.add(index)
            self.frames_to_check.discard(index)
            self.save_state()
        if newly:
            self.events.emit(("edited", index))

    def _queue_record(self, index: int, log: Path, line: bytes, *, whole: bool) -> None:
        """Have `line` appended to frame `index`'s log `log` by its folder's append thread (`log_sync.queue_record`),
        which reads the lock (`append_check`), makes the mask folder, then calls off a removal of the frame queued
        before it and appends, under the removal gate's lock: the GUI thread touches neither the disk nor that lock.
        Raises `LockLostError` (the lock found lost) or `StorageError` (the record failed) within the wait."""
        lost_check, gate, key, seq = self.append_check(), self._removals, _key(index), self._seq + 1
        found: list[tuple[str, LockInfo | None]] = []

        def write(path: Path, data: bytes) -> None:
            if (lost := lost_check()) is not None:
                found.append(lost)
                raise StorageError(path, "not saved: the video's lock was lost")
            path.parent.mkdir(parents=True, exist_ok=True)
            with gate.lock:  # a removal of the frame queued before this commit is called off (frame_removals)
                gate.call_off(key, before=seq)
                append_record(path, data)  # looked up here (tests replace it)

        try:
            log_sync.queue_record(log, line, whole=whole, append=write)
        except StorageError:
            if found:
                raise self.lock_lost(found[0], self.mask_path(index)) from None
            raise

    def _start_saver(self) -> MaskSaver:
        if self._saver is None:  # `_write_frame` looked up at each job (tests replace it)
            self._saver, self._copied = MaskSaver(self.save_notify, write=lambda j: _write_job(j, self._state_newest)), {}
        return self._saver

    def _next_seq(self) -> int:  # the next job's place in commit order
        self._seq += 1
        return self._seq

    def remove_in_background(self, index: int) -> None:
        """Frame `index` undone back to no mask: its mask file and log removed by the save thread after its
        pending write, the commit not waiting for it (`fosp_core.video.frame_removals`), the frame known
        without a mask and unmarked now; its end taken as a save's (("saved", index) or ("save_failed",
        index)). No room for the removal record (disk full): removed now (`forget_mask`, waiting). Raises
        VideoAnnotationError (read-only, or `forget_mask`'s)."""
        path = self.mask_path(index)
        self.check_writable(path, read_lock=False)
        log = log_path(path)
        try:  # a removal record says all (no mask): whole, written even after a failed record
            self._queue_record(index, log, removal_record(self.shape), whole=True)
        except LockLostError:
            raise
        except OSError:
            self.forget_mask(index)
            return
        self._unlogged.pop(index, None)
        self._base.pop(index, None)  # nothing known on disk: the next commit's record holds the whole mask
        self._queue_removal(index)
        self._on_disk.discard(index)
        self.mask_files -= {index}
        self.frames_to_check.discard(index)
        if index in self.edited:
            self.edited.discard(index)
            self.save_state()
            self.events.emit(("edited", index))

    def _queue_removal(self, index: int) -> None:
        self._seq += 1
        self._newest[index] = self._seq
        self._copied.pop(index, None)  # the job leaves the thread no copy of the frame
        path = self.mask_path(index)
        # not under the gate's lock, which a removal's unlink on a disk that does not answer may hold: the older
        # removal's check sees its own seq or this one (either removes), a commit's call-off spares a later one
        self._removals.pending[_key(index)] = self._seq
        self._start_saver().submit(Removal(self._seq, _key(index), path, MaskParts(np.zeros((0, 0), np.uint8)), 0, 0,
                                           log_path(path), check=self.save_check(), gate=self._removals))

    def finish_saves(self, wait: bool = False, index: int | None = None) -> int:
        """Take the saves that ended (`wait`: wait for those of frame `index`, or all, first): the newest
        of a frame that worked removes its log and emits ("saved", index); one that failed is told
        (`last_error`, ("save_failed", index)) and keeps its log. Returns how many were taken."""
        saver = self._saver
        if saver is None:
            return 0
        if wait:
            saver.wait(None if index is None else _key(index))
        jobs = saver.done()
        for job in jobs:
            if isinstance(job, StateJob):  # video.json's (state_saves)
                self.take_state_job(job)
                continue
            frame = int(job.image_id)
            if self._newest.get(frame) != job.seq:
                continue  # a later commit of the frame is queued: its save removes the log
            del self._newest[frame]
            if isinstance(job.error, LockRefusal):  # nothing written, the mask rescued: read-only now, told
                self._copied.pop(frame, None)
                self.refused_on_thread(frame, job.error)
                self.events.emit(("save_failed", frame))
                continue
            if job.error is not None:
                self._copied.pop(frame, None)  # the next save hands the whole mask over
                self.failed.add(frame)
                if log_sync.refuses(log_path(job.path)) and (doc := dict(self._recent.items()).get(frame)):
                    self._unlogged[frame] = doc  # its log lacks a commit (a queued record failed): `retry_failed`
                    # records the open document's whole mask, not the log's
                self.last_error = VideoAnnotationError(job.error.path, job.error.reason)
                self.events.emit(("save_failed", frame))
                continue
            self.failed.discard(frame)
            self._removals.done(job.image_id, job.seq)
            if not self.found_lost(frame):  # else the log at that path is the new holder's
                with contextlib.suppress(OSError):  # left behind: the next opening applies it (the same mask)
                    log_path(job.path).unlink(missing_ok=True)
                log_sync.log_restarted(log_path(job.path))
            self.events.emit(("saved", frame))
        return len(jobs)

    def committed_mask(self, index: int) -> np.ndarray | None:
        """Frame `index`'s last commit while its record is still queued (a disk slow or not answering), which its
        files do not hold yet: a copy of its open document's mask; None: none queued (`read_saved` says it). No such
        document at hand (let go, in a step): waits for those records, as the commit's own write did before."""
        log = log_path(self.mask_path(index))
        if not log_sync.appends_waiting(log):
            return None
        doc = dict(self._recent.items()).get(index)
        if doc is not None and not doc.in_step and self._base.get(index) == doc.mask_version:
            return np.array(doc.mask)
        log_sync.wait_appends(log)
        return None

    def frames_under_way(self) -> list[int]:
        """Take the saves that ended (no wait); the frames whose save (a PNG, or a removal) is still queued or
        being written: their commits are in their recovery logs (the window's close asks while a disk that
        does not answer holds them: `app.annotation.close_waits`)."""
        self.finish_saves()
        return sorted(self._newest)

    def settle(self, index: int) -> None:
        """Before frame `index`'s files are written or removed another way: its saves waited for and
        taken, what is known of its files forgotten (its next record holds the whole mask)."""
        if index in self._newest:
            self.finish_saves(wait=True, index=index)
        self._base.pop(index, None)
        self._copied.pop(index, None)
        self.failed.discard(index)
        self._unlogged.pop(index, None)
        with self._removals.lock:
            self._removals.call_off(_key(index))

    def retry_failed(self) -> None:
        """Queue again the frames whose newest save failed (their PNG and log read back: the last commit), and
        the commits whose record could not be written (their documents' masks)."""
        for index, doc in sorted(self._unlogged.items()):
            try:
                self.record_commit(doc, index)
            except VideoAnnotationError as exc:
                self.last_error = exc
                self.events.emit(("save_failed", index))
        if self.read_only_reason is not None:  # nothing is written (the lock lost since: folder_lock)
            return
        for index in sorted(self.failed):
            if self._saver is None or index in self._newest:
                continue
            if _key(index) in self._removals.pending:  # a removal that failed: its record is in the log
                self._queue_removal(index)
                continue
            try:
                mask = read_saved(self.mask_path(index))
            except MaskReadError:
                continue
            if mask is None:
                continue
            self._seq += 1
            self._newest[index] = self._seq
            self._copied.pop(index, None)
            path = self.mask_path(index)
            self._saver.submit(SaveJob(self._seq, _key(index), path, MaskParts(mask), 0, 0, log_path(path),
                                       check=self.save_check()))

    def stop_saves(self) -> None:
        """The video closes: a failed save tried once more, every save waited for and taken, the thread ended."""
        self.saves_stopped = True  # a video.json write from now on is the caller's, after the queued (state_saves)
        if self._saver is None and not self._unlogged:
            return
        self.finish_saves()
        self.retry_failed()
        self.finish_saves(wait=True)
        if self._saver is not None:
            self._saver.stop()
        self._saver = None
        self._base.clear()
        self._copied.clear()
        self._opened = None
