"""The lock of a video's annotation folder: `FolderLock`, a base of
:class:`~fosp_core.video.timeline.VideoAnnotations`.

A video's annotation folder is locked as an image project is (`fosp_core.annotation.storage.ProjectLock`:
the same ``lock`` file, holding pid, host, user and start time; a lock left by a dead process on this host,
or unreadable, is stale and taken over). The first opener takes it and is the folder's only writer: it
applies the recovery logs a killed process left (`fosp_core.video.log_recovery.recover_logs`) and writes
masks and ``video.json``. Any other opener - a second FoSp Studio window on the same video, ``fosp video
export`` - gets the annotations read-only: `read_only_reason` says why ("locked by pid N on host H ...", and
what to do: close it there, then Annotate ▸ Take Over…), `locked_by` names the holder; it reads masks with
their logs applied in memory (`read_saved`) and writes, renames and removes nothing (a save raises
VideoAnnotationError, a keyframe change is refused). Without the lock a second process could apply and
remove a log the holder is still appending to, losing the holder's later commit, and the two would
overwrite each other's ``video.json``.

Owners. The lock is the process's, lent to one owner at a time: annotations opened inside `opening_for`
(the app: a window's video view) are that owner's; openings of one folder by the same owner share its lock
(the app prepares the next video before closing the shown one, and opening the shown video again does the
same), and the lock file goes when the last of them is released (`release_lock`: the video closing, the
window closing; the app calls it). An opening for another owner - a second window of the same process -
is read-only as if another process held the folder (its reason says it is this very program, in another
window). Openings without an owner (scripts, ``fosp video export``, tests) are one owner, None. Openings
of one owner write the folder in turn on one thread (the app's GUI thread), so they need no lock between
them; a window's opening that joins one still open reads the folder as a reader does (`open_folder`: the
recovery logs it finds are the open one's saves under way, which its save thread may be writing now, not a
killed process's; they are applied in memory at each read, and on disk by that opening's saves or the next
opening of the folder alone; openings without an owner apply them as before). `opening_for`'s ``break_lock`` is Take Over's: a `LockInfo` takes the lock from that holder only
(one that took it since is not broken), as `ProjectLock.acquire` does; the app passes one for a holder on
another computer only (`app.video.lock_view`), a holder of this computer is never broken.

Left. A video closed while a disk that does not answer holds its saves is left to its save thread, its lock kept
until they end (`leave_to_saves`, then `release_lock`; `app.video.frame_editing.FrameEditor.leave_saves`). No
other opening writes the folder meanwhile: the old save, once the disk answers, could write an older mask over a
newer one and remove the log of a newer commit. An opening of the owner then is read-only, saying its last edits
are still being saved (not joining the lock); one that joined before (the shown video opened again, prepared
before the shown one closed) turns so, its share given up. An opening that joins first waits for the records the
open one's commits queued for their logs (`JOIN_WAIT_S` at most: on a slow disk a commit returns before its record
is written, and the folder read before it misses that commit); still queued then, it is read-only so too.

Lost. Another program may take the lock while the folder is open here (Take Over… on another computer)
or its lock file may be removed (by hand, as a read-only message of an older version advised). The next
write finds it out (`check_writable`, before every mask save or removal, for a commit's record on its log's
append thread: `append_check`; `flush_state`, before every ``video.json`` write; one read of the lock file each): nothing of it is written, the annotations turn
read-only saying why (`read_only_reason`; `locked_by` the new holder, None when the file was removed;
`lost_lock` True), a ``("taken_over", frame or None)`` event tells it once, and a refused mask save keeps
the stroke: the frame's open document's mask is written under ``rescued/`` in the folder (a folder no save
writes; `fosp_core.annotation.taken_over.rescue_mask`, as image projects do), the error (`LockLostError`)
names that file. A ``video.json`` change refused so (a keyframe) stays in memory only. The save thread's
jobs check it too (`save_check`, one read of the lock file before each PNG write or removal, as the images'
save thread does): a refused one writes nothing, its mask rescued there (`LockRefusal`), and the owner takes
it as the same loss (`refused_on_thread`); a save that ended once the lock was lost leaves the frame's
recovery log, now the new holder's, where it is (`found_lost`).
"""

from __future__ import annotations

import contextlib
import os
import threading
import weakref
from collections.abc import Callable, Hashable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fosp_core.annotation import log_sync
from fosp_core.annotation.entries import ProjectSaveError
from fosp_core.annotation.storage import LockInfo, ProjectLock, StorageError
from fosp_core.annotation.taken_over import rescue_mask
from fosp_core.video.errors import VideoAnnotationError
from fosp_core.video.lock_words import REMOVED_TAIL as _REMOVED_TAIL
from fosp_core.video.lock_words import TAKEN as _TAKEN
from fosp_core.video.lock_words import held_by as _held_by
from fosp_core.video.lock_words import refusal as _refusal
from fosp_core.video.lock_words import still_saving as _still_saving

if TYPE_CHECKING:
    from fosp_core.annotation.document import Signal
    from fosp_core.annotation.recent import RecentDocuments
    from fosp_core.annotation.save_worker import SaveJob

__all__ = ["LOCK_FILE", "READ_ONLY_ASKED", "FolderLock", "LockLostError", "LockRefusal", "opening_for"]

#: the lock file in the annotation folder (the name image projects use)
LOCK_FILE = "lock"
#: `read_only_reason` of annotations opened read-only on purpose (``lock=False``: ``fosp video export``)
READ_ONLY_ASKED = "opened for reading only"
#: the longest an opening joining one still open waits for that one's records queued for their logs before it reads
#: the folder (`open_folder`; an opening runs on the app's opener thread; a disk that answers: milliseconds)
JOIN_WAIT_S = 10.0


@dataclass
class _Share:
    """A lock this process holds, lent to `owner`'s openings (`count` of them not released; `left` of them left
    to saves a disk that does not answer holds: `FolderLock.leave_to_saves`)."""

    lock: ProjectLock
    owner: Hashable | None
    count: int
    left: int = 0
    openings: weakref.WeakSet[FolderLock] = field(default_factory=weakref.WeakSet)


#: the folder locks this process holds: lock file -> its share (module doc: owners)
_SHARED: dict[Path, _Share] = {}
#: each lock file's guard (`_guard`), and the guard of that table and of `_SHARED` (held briefly, no I/O)
_GUARDS: dict[Path, threading.Lock] = {}
_SHARED_GUARD = threading.Lock()
#: the owner and the Take Over of the annotations opened now on this thread (`opening_for`)
_OPENING: ContextVar[tuple[Hashable | None, bool | LockInfo]] = ContextVar("video_folder_opening",
                                                                           default=(None, False))


@contextlib.contextmanager
def opening_for(owner: Hashable | None, break_lock: bool | LockInfo = False) -> Iterator[None]:
    """Annotations opened in the block (on this thread) are `owner`'s (openings of another owner are
    read-only) and take the lock with `break_lock` (`ProjectLock.acquire`'s: a `LockInfo` takes it from
    that holder only); see the module doc."""
    token = _OPENING.set((owner, break_lock))
    try:
        yield
    finally:
        _OPENING.reset(token)


class LockLostError(VideoAnnotationError):
    """A save refused because the folder's lock was taken over or its lock file removed since the video was
    opened: frame `index`'s (None: ``video.json``), its mask `rescued` to that file (None: not at hand, or
    it could not be written)."""

    def __init__(self, path: Path, reason: str, index: int | None, rescued: Path | None) -> None:
        super().__init__(path, reason)
        self.index = index
        self.rescued = rescued


class LockRefusal(ProjectSaveError):
    """A save-thread job refused (nothing written) because the lock was `lost` (why, the new holder) since the
    opening; its mask `rescued` to that file (None: a removal, or it could not be written)."""

    def __init__(self, path: Path, reason: str, lost: tuple[str, LockInfo | None], rescued: Path | None) -> None:
        super().__init__(path, reason)
        self.lost = lost
        self.rescued = rescued


def _lost(lock: ProjectLock) -> tuple[str, LockInfo | None] | None:
    """(why, the new holder or None) when `lock`, held, was taken over or its file removed; None while held."""
    owner = lock.taken_by()
    if owner is not None:
        return f"{_TAKEN} {_held_by(owner, lock.path)}", owner
    if lock.held and not lock.path.exists():
        return f"its lock file ({lock.path}) was removed since it was opened{_REMOVED_TAIL}", None
    return None


def _guard(path: Path) -> threading.Lock:
    """The guard of lock file `path`: held by an opening from its look for a share through the lock file's
    creation, and by a close through the file's removal, so that two of this process never race for one
    file; one a folder, so that a folder answering slowly (a dead network drive) holds up no other's."""
    with _SHARED_GUARD:
        return _GUARDS.setdefault(path, threading.Lock())


class FolderLock:
    """The annotation folder's lock of a `VideoAnnotations` (see module doc)."""

    # provided by VideoAnnotations
    folder: Path
    events: Signal
    _recent: RecentDocuments[int]
    _load: Callable[[], None]
    last_error: VideoAnnotationError | None

    def __init__(self) -> None:
        super().__init__()
        #: the lock this process holds on the folder (None: not held)
        self.lock: ProjectLock | None = None
        self._share: _Share | None = None
        #: why these annotations are read-only (None: this process holds the lock and writes)
        self.read_only_reason: str | None = None
        #: the other process (or window) holding the lock, when that is why they are read-only
        self.locked_by: LockInfo | None = None
        #: the lock was held here and lost since (taken over, its file removed): module doc
        self.lost_lock = False
        #: while `open_folder` reads the folder for an opening that joined one still open (module doc: owners)
        self._joining = False
        self._left = False  # closed, left to its saves under way (`leave_to_saves`)

    @property
    def read_only(self) -> bool:
        """Nothing is written: another process holds the folder, it cannot be written, or read-only was asked
        (or, while it is read, this opening joined one still open: module doc)."""
        return self.read_only_reason is not None or self._joining

    def take_lock(self, lock: bool = True) -> None:
        """Take the folder's lock (its folder made first) for the owner of `opening_for`, or be read-only
        saying why (`lock` False: read-only asked for, nothing tried)."""
        if not lock:
            self.read_only_reason = READ_ONLY_ASKED
            return
        owner, break_lock = _OPENING.get()
        path = Path(os.path.realpath(self.folder)) / LOCK_FILE  # one folder reached through a link: one share
        with _guard(path):  # held through the acquire: two openings of this process never race for the file
            shared = _SHARED.get(path)
            if shared is not None and _lost(shared.lock) is None and shared.lock.held:  # module doc: owners
                if shared.owner != owner:
                    self.read_only_reason, self.locked_by = _held_by(shared.lock.me, path), shared.lock.me
                    return
                if shared.left:  # its save thread still writes the folder: not two writers (module doc: left)
                    self.read_only_reason = _still_saving(self.folder)
                    return
                shared.count += 1
                shared.openings.add(self)
                # a window's opening joining one still open reads as a reader (open_folder); scripts' as before
                self.lock, self._share, self._joining = shared.lock, shared, owner is not None
                return
            held = ProjectLock(path)
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                holder = held.acquire(break_lock=break_lock)
            except StorageError as exc:
                self.read_only_reason = (f"the annotation folder is not writable "
                                         f"({exc.reason.removeprefix('folder is not writable: ')})")
                return
            except OSError as exc:
                self.read_only_reason = f"the annotation folder is not writable ({exc.strerror or exc})"
                return
            if holder is not None:
                self.read_only_reason, self.locked_by = _held_by(holder, path), holder
                return
            share = _Share(held, owner, 1)
            share.openings.add(self)
            with _SHARED_GUARD:
                _SHARED[path] = share
        self.lock, self._share = held, share

    def open_folder(self, lock: bool = True) -> None:
        """Take the lock (`take_lock`), then read the folder (`_load`; as a reader does when this opening joined
        one still open: its recovery logs left to it, module doc); the lock released if that raises. Joining,
        the open one's records still queued for their logs are waited for first (`JOIN_WAIT_S` at most: a
        commit returned before its record was written on a slow disk); still queued then, read-only (module
        doc: left)."""
        self.take_lock(lock)  # `_joining` set when it joined one still open
        if self._joining and not log_sync.wait_folder_appends({self.folder, Path(os.path.realpath(self.folder))},
                                                              JOIN_WAIT_S):
            self.read_only_reason = _still_saving(self.folder)  # a disk that does not answer: not two writers
            self._release_share()
        try:
            self._load()
        except BaseException:
            self.release_lock()
            raise
        finally:
            self._joining = False

    def check_writable(self, path: Path, *, read_lock: bool = True) -> None:
        """Raise VideoAnnotationError (`path`, a frame's mask file, not saved) when these annotations are
        read-only, or turn them so and raise `LockLostError` (the frame's open mask rescued) when the lock
        was lost since (module doc). `read_lock` False: the lock file is not read here (a commit's: its log's
        append thread reads it, `append_check`)."""
        if read_lock and self.read_only_reason is None and self.lock is not None and (lost := _lost(self.lock)):
            raise self.lock_lost(lost, path)
        if self.read_only_reason is not None:
            raise VideoAnnotationError(path, f"not saved: the video's annotations are read-only "
                                             f"({self.read_only_reason})")

    def lock_lost(self, lost: tuple[str, LockInfo | None], path: Path) -> LockLostError:
        """Read-only from now on, the lock `lost` (why, the new holder: `_lost`) found by a save of mask file `path`:
        its error, the frame's open mask rescued (module doc)."""
        index, rescued, empty = self._rescue(path)
        error = LockLostError(path, _refusal(lost, rescued, empty), index, rescued)
        self._lose(lost, index)
        return error

    def append_check(self) -> Callable[[], tuple[str, LockInfo | None] | None]:
        """The lock read of a commit's record, run on its log's append thread before it writes (`check_writable`'s,
        off the GUI thread: a disk that does not answer holds that read): (why, the new holder) once the lock was
        lost since the opening (or given up here since), None while held or when no lock is held here."""
        lock = self.lock
        if lock is None:
            return lambda: None
        return lambda: _lost(lock) if lock.held else (self.read_only_reason or "closed", self.locked_by)

    def save_check(self) -> Callable[[SaveJob], ProjectSaveError | None] | None:
        """The check a frame's save-thread job runs before it writes or removes anything (None: no lock held
        here): a `LockRefusal` once the lock was lost (found on that thread, one read of the lock file, or
        given up here since), the job's mask rescued under ``rescued/`` first (module doc)."""
        lock = self.lock
        if lock is None:
            return None

        def check(job: SaveJob) -> ProjectSaveError | None:
            lost = _lost(lock) if lock.held else (self.read_only_reason or "closed", self.locked_by)
            if lost is None:
                return None
            rescued = None
            empty = job.mask is None or not job.mask.any()  # a removal's (size 0), or all erased: nothing to keep
            if not empty:
                with contextlib.suppress(Exception):  # not written: the words say where the mask is kept then
                    rescued = rescue_mask(self.folder, job.path.stem, job.mask)
            return LockRefusal(job.path, _refusal(lost, rescued, empty), lost, rescued)

        return check

    def refused_on_thread(self, index: int, error: LockRefusal) -> None:
        """Frame `index`'s save-thread job was refused (`save_check`): its `LockLostError` the last error, and
        read-only from now on, told once (as `check_writable`'s)."""
        self.last_error = LockLostError(error.path, error.reason, index, error.rescued)
        if not self.lost_lock and self.lock is not None:
            self._lose(error.lost, index)

    def found_lost(self, index: int) -> bool:
        """Whether the lock was lost since the opening (known, or found now: one read of the lock file; then
        read-only, told as `check_writable` does, frame `index`'s): frame files are the new holder's then."""
        if not self.lost_lock and self.read_only_reason is None and self.lock is not None:
            if (lost := _lost(self.lock)) is not None:
                self._lose(lost, index)
        return self.lost_lock

    def flush_state(self) -> None:
        """``video.json`` written (`StateSaves.flush_state`) unless the lock was lost since: then read-only
        from now on (module doc), the change kept in memory."""
        if self.read_only_reason is None and self.lock is not None and (lost := _lost(self.lock)) is not None:
            self._lose(lost, None)
        super().flush_state()  # type: ignore[misc]  # StateSaves's, next in VideoAnnotations' bases

    def _rescue(self, path: Path) -> tuple[int | None, Path | None, bool]:
        """(frame, rescued file, left empty) of the save of mask file `path`: its open document's mask written
        under ``rescued/`` (None, None, False: no document of it open; frame, None, False: it could not be
        written; frame, None, True: the mask holds nothing, an undo back to no mask or all erased: no file, as
        no one would want an empty mask back)."""
        for index, doc in self._recent.items():
            if doc.image_id == path.stem:
                if not doc.mask.any():
                    return index, None, True
                try:
                    return index, rescue_mask(self.folder, doc.image_id, doc.mask), False
                except OSError:
                    return index, None, False
        return None, None, False

    def _lose(self, lost: tuple[str, LockInfo | None], index: int | None) -> None:
        """Read-only from now on (`lost`: why, the new holder), the share of the lock given up, told once."""
        self.read_only_reason, self.locked_by = lost
        self.lost_lock = True
        self._release_share()
        self.events.emit(("taken_over", index))

    def leave_to_saves(self) -> None:
        """This opening is closed with saves under way that a disk that does not answer holds, its lock kept until
        they end (`release_lock` then): no other opening of the folder writes meanwhile (module doc: left): one
        opened since (the shown video opened again) turns read-only, saying why; a later one opens read-only."""
        share = self._share
        if share is None or self._left:
            return
        self._left = True
        share.left += 1
        for other in list(share.openings):
            if other is not self and not other._left and other.read_only_reason is None:
                other.read_only_reason = _still_saving(other.folder)
                other._release_share()

    def _release_share(self) -> None:
        """Give up this opening's share of the lock; the last one releases it (its file removed if still ours)."""
        share, self._share, lock, self.lock = self._share, None, self.lock, None
        if lock is None:
            return
        with _guard(lock.path):  # the file removed under it too: an opening meanwhile never finds it lent to none
            if share is not None:
                share.openings.discard(self)
                if self._left:
                    share.left -= 1
                share.count -= 1
                if share.count > 0:
                    return
                with _SHARED_GUARD:
                    if _SHARED.get(lock.path) is share:
                        del _SHARED[lock.path]
            lock.release()

    def release_lock(self) -> None:
        """Remove the folder's lock when this process holds it (the video closes); read-only from then on."""
        if self.lock is not None:
            self._release_share()
            if self.read_only_reason is None:
                self.read_only_reason = "closed"
