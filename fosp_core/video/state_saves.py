"""Writing a video's ``video.json`` so that what the app shows and what reopening reads agree in the end:
`StateSaves`, a base of :class:`~fosp_core.video.timeline.VideoAnnotations`.

Every change of the keyframes, the edited marks or the frames to check writes the whole state (atomic,
fsync'ed). A write that fails (a full disk, a folder turned read-only mid-session) keeps the change in
memory, as the images' project file does (`fosp_core.annotation.project`): `state_error` says why, a
``("state_failed", None)`` event tells it once (not again while writes keep failing for the same reason; a
failure for another reason - a full disk, then a folder turned read-only - is told again), and the state is
written again at the next write of the video's files (any change, any frame's mask saved: `retry_state`)
and when the video closes (the app calls `flush_state`). The first write that works after failures emits
``("state_saved", None)``.

With ``save_in_background`` (the app) a change writes nothing on the changing (GUI) thread: `save_state`
snapshots the state and queues a `StateJob` on the video's save thread (`fosp_core.video.frame_saves`), after
the frame saves queued before it (one queue, in order: a commit's PNG, then the marks it changed). A job that
finds a later one queued writes nothing (the later one writes the newer state); the one that runs encodes and
writes ``video.json`` there (atomic, fsync'ed: 16-28 ms on the GUI thread before), after the folder's lock
check (`FolderLock.save_check`: a lock lost turns the annotations read-only when its end is taken, the change
kept in memory, as on the GUI thread). Its end is taken with the frame saves' (`take_state_job`, on the
owner's thread): a failure kept and told as above, a success clears it. `flush_state` (the video closing, the
Retry of the window's closing) first waits for the queued jobs and takes their ends, then writes on the
calling thread: nothing queued before it can write an older state after it. A kill between a keyframe change
and its job's write loses that change (the edited marks are read back from the mask folder: `timeline`).
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from fosp_core.annotation.document import Signal
from fosp_core.annotation.entries import ProjectSaveError
from fosp_core.annotation.file_writes import StorageError, atomic_write, write_error
from fosp_core.annotation.log_sync import sync_file
from fosp_core.annotation.save_copies import MaskParts
from fosp_core.annotation.save_worker import MaskSaver, SaveJob
from fosp_core.video.errors import VideoAnnotationError
from fosp_core.video.folder_lock import LockRefusal

__all__ = ["STATE_FILE", "StateJob", "StateSaves", "StateShared", "damaged_words", "frame_job_ended", "write_state"]

STATE_FILE = "video.json"


def _reason(path: Path, exc: OSError) -> str:
    """Why `path` could not be written, without the path ("cannot write: disk full")."""
    return (exc if isinstance(exc, StorageError) else write_error(path, exc)).reason


def damaged_words(path: Path, exc: ValueError, masks: int, read_only: bool, reason: str | None) -> str:
    """What is wrong with the unreadable state file `path` (`exc`) and what the user can do: set aside by a
    writer; left as it is by a reader (`reason`: why read-only) or by an opening joining one of its window
    still open (`read_only` with no `reason`: `fosp_core.video.folder_lock`), saying why and who sets it aside."""
    lost = f"its keyframe marks are not shown (the masks of {masks} frame(s) are)"
    if not read_only:
        return (f"{path.name} was damaged ({exc}; kept as {STATE_FILE}.damaged): the masks of {masks} frame(s) are "
                "kept, the keyframe marks are lost")
    if reason is None:
        return (f"{path.name} could not be read ({exc}): {lost}. The file is left as it is, as the video is "
                f"open in this window already; the next change of the keyframes here writes a new one without "
                f"the lost marks: to keep them, copy {path} elsewhere first and mend it")
    return (f"{path.name} could not be read ({exc}): {lost}. The file is left as it is, as the video was "
            f"opened read-only ({reason}); the one who edits the video sets it aside as {STATE_FILE}.damaged "
            f"when it opens it: to keep its marks, copy {path} elsewhere first and mend it")


#: the save-thread queue's keys of state jobs start so (a frame's key is its number: `frame_saves`)
STATE_KEY = STATE_FILE + "#"


class StateShared:
    """The seq of the newest state job queued (under `lock`: the save thread reads it, the owner sets it), and the
    recovery logs of frames whose newest frame job failed (`unsynced`, the save thread's: `frame_job_ended`)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seq = 0
        self.unsynced: set[Path] = set()


def frame_job_ended(job: SaveJob, newest: StateShared | None) -> None:
    """On the save thread after a frame's PNG job: a failed one may have failed before its log's fsync (the log
    then in the page cache alone), so the next ``video.json`` written makes that log durable first
    (`write_state`): the frame's edited mark said durably over no durable mask was an explicit empty frame after
    a power loss. A job that worked made its log durable."""
    if newest is not None and job.log is not None:
        with newest.lock:
            (newest.unsynced.add if job.error is not None else newest.unsynced.discard)(job.log)


def _sync_frame_logs(shared: StateShared, path: Path) -> ProjectSaveError | None:
    """Before ``video.json`` (`path`): the logs of frames whose job failed made durable (`frame_job_ended`); the
    error (nothing to be written: the state tried again later) when one cannot be."""
    with shared.lock:
        logs = sorted(shared.unsynced)
    for log in logs:
        try:
            sync_file(log)  # a log gone (its frame saved or removed since): nothing to do
        except StorageError as exc:
            return ProjectSaveError(path, f"not written: the recovery log {log.name} of a frame whose save failed "
                                          f"cannot be made durable ({exc.reason})")
        with shared.lock:
            shared.unsynced.discard(log)
    return None


@dataclass
class StateJob(SaveJob):
    """A save-thread job that writes ``video.json`` (`write_state`): `data` the state when it was queued."""

    data: dict[str, Any] = field(default_factory=dict)
    newest: StateShared = field(default_factory=StateShared)
    #: set by `write_state`: a later state job was queued, this one wrote nothing
    stale: bool = False


def write_state(job: StateJob) -> None:
    """Write ``video.json`` (`job.path`) with `job.data` unless a later state job is queued, after the job's
    lock check (save thread; module doc); the outcome goes into the job."""
    with job.newest.lock:
        if job.newest.seq != job.seq:
            job.stale = True
            return
    if job.check is not None and (refused := job.check(job)) is not None:
        job.error = refused  # nothing written: the lock was lost (folder_lock)
        return
    job.error = _sync_frame_logs(job.newest, job.path)
    if job.error is not None:
        return
    try:
        job.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(job.path, json.dumps(job.data, indent=1).encode("utf-8"))  # fsync'ed
    except OSError as exc:
        job.error = ProjectSaveError(job.path, _reason(job.path, exc))


class StateSaves:
    """The ``video.json`` writes of a `VideoAnnotations` (see module doc)."""

    # provided by VideoAnnotations
    folder: Path
    events: Signal
    saved_numbering: str | None
    read_only_reason: str | None
    lost_lock: bool
    save_in_background: bool
    _state_data: Callable[[], dict[str, Any]]
    _start_saver: Callable[[], MaskSaver]
    _next_seq: Callable[[], int]
    save_check: Callable[[], Callable[[SaveJob], ProjectSaveError | None] | None]
    _lose: Callable[..., None]
    finish_saves: Callable[..., int]

    def __init__(self) -> None:
        super().__init__()
        #: why the last write of video.json failed (the state in memory is ahead of the file); None: on disk
        self.state_error: VideoAnnotationError | None = None
        self._state_newest = StateShared()
        self._states_queued = 0  # state jobs queued whose ends are not taken yet
        #: the save thread ended for good (`stop_saves`: the video closing): writes are made on the calling thread
        self.saves_stopped = False

    def save_state(self) -> None:
        """Write ``video.json`` (queued on the save thread with ``save_in_background``); a failure is kept
        (`state_error`, told once a reason by a ``("state_failed", None)`` event) and the state written again
        later (see module doc), not raised."""
        if self.save_in_background and self.read_only_reason is None and not self.saves_stopped:
            self._queue_state()
            return
        with contextlib.suppress(VideoAnnotationError):
            self.flush_state()

    def _queue_state(self) -> None:
        seq = self._next_seq()
        with self._state_newest.lock:
            self._state_newest.seq = seq
        self._states_queued += 1
        self._start_saver().submit(StateJob(seq, f"{STATE_KEY}{seq}", self.folder / STATE_FILE,
                                            MaskParts(np.zeros((0, 0), np.uint8)), 0, 0, check=self.save_check(),
                                            data=self._state_data(), newest=self._state_newest))

    def take_state_job(self, job: StateJob) -> None:
        """The end of state job `job`, taken on the owner's thread (module doc)."""
        self._states_queued -= 1
        if job.stale:
            return
        if isinstance(job.error, LockRefusal):  # read-only now, told once (as a change refused on this thread)
            if not self.lost_lock:
                self._lose(job.error.lost, None)
            return
        if job.error is not None:
            self._state_failed(VideoAnnotationError(job.error.path, job.error.reason))
            return
        self._state_written(job.data)

    def states_pending(self) -> bool:
        """Whether a queued state job's end is not taken yet."""
        return self._states_queued > 0

    def flush_state(self) -> None:
        """Write ``video.json`` now, on this thread, once the queued state jobs ended (their ends taken; module
        doc); raises VideoAnnotationError when it cannot. Annotations opened read-only
        (`fosp_core.video.folder_lock`) write nothing: their changes stay in memory."""
        if self._states_queued:
            self.finish_saves(wait=True)
        if self.read_only_reason is not None:
            return
        path = self.folder / STATE_FILE
        data = self._state_data()
        if (unsynced := _sync_frame_logs(self._state_newest, path)) is not None:  # as `write_state`
            error = VideoAnnotationError(path, unsynced.reason)
            self._state_failed(error)
            raise error
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write(path, json.dumps(data, indent=1).encode("utf-8"))  # fsync'ed
        except OSError as exc:
            error = VideoAnnotationError(path, _reason(path, exc))
            self._state_failed(error)
            raise error from exc
        self._state_written(data)

    def _state_failed(self, error: VideoAnnotationError) -> None:
        told, self.state_error = self.state_error, error
        if told is None or told.reason != error.reason:  # new, or another reason: another fix
            self.events.emit(("state_failed", None))

    def _state_written(self, data: dict[str, Any]) -> None:
        self.saved_numbering = data.get("frame_numbering")
        if self.state_error is not None:
            self.state_error = None
            self.events.emit(("state_saved", None))

    def retry_state(self) -> None:
        """Write ``video.json`` again if its last write failed (a failure kept, as `save_state`'s)."""
        if self.state_error is not None:
            self.save_state()
