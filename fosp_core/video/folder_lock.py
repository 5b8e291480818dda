"""The lock of a video's annotation folder: `FolderLock`, a base of
:class:`~fosp_core.video.timeline.VideoAnnotations`.

A video's annotation folder is locked as an image project is (`fosp_core.annotation.storage.ProjectLock`:
the same ``lock`` file, holding pid, host, user and start time; a lock left by a dead process on this host,
or unreadable, is stale and taken over). The first opener takes it and is the folder's only writer: it
applies the recovery logs a killed process left (`fosp_core.video.frame_saves.recover_logs`) and writes
masks and ``video.json``. Any other opener - a second FoSp Studio window on the same video, ``fosp video
export`` - gets the annotations read-only: `read_only_reason` says why ("locked by pid N on host H ..."),
`locked_by` names the holder; it reads masks with their logs applied in memory (`read_saved`) and writes,
renames and removes nothing (a save raises VideoAnnotationError, a keyframe change is refused). Without
the lock a second process could apply and remove a log the holder is still appending to, losing the
holder's later commit, and the two would overwrite each other's ``video.json``.

The lock is the process's: annotations of one folder opened again in the process holding it share its
lock (a video opened again before its first opening is closed: the app prepares the next video before
closing the shown one; tests reopening), and the lock file goes when the last of them is released
(`release_lock`: the video closing, the window closing; the app calls it). Two openings in one process
write the folder in turn on one thread (the app's GUI thread), so they need no lock between them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from fosp_core.annotation.storage import LockInfo, ProjectLock, StorageError
from fosp_core.video.errors import VideoAnnotationError

__all__ = ["LOCK_FILE", "READ_ONLY_ASKED", "FolderLock"]

#: the folder locks this process holds: lock file -> (lock, annotations opened on it and not released)
_SHARED: dict[Path, tuple[ProjectLock, int]] = {}
_SHARED_GUARD = threading.Lock()
#: the lock file in the annotation folder (the name image projects use)
LOCK_FILE = "lock"
#: `read_only_reason` of annotations opened read-only on purpose (``lock=False``: ``fosp video export``)
READ_ONLY_ASKED = "opened for reading only"


def _held_by(owner: LockInfo, lock: Path) -> str:
    """Why annotations locked by `owner` (in the lock file `lock`) are read-only, for the user (who holds them,
    what to do). A lock of another computer cannot be checked from here: if FoSp Studio no longer runs there,
    the user deletes it (videos have no Take Over…)."""
    who = owner.describe().split(";", 1)[0]  # "locked by pid N on host H (user U, since ...)"
    if owner.elsewhere:
        return (f"{who}, another computer, whose programs cannot be checked from here: close the video there, "
                f"then open it again here (if FoSp Studio no longer runs there, delete {lock} first)")
    return f"{who}: close the video there (or quit that program), then open it again here"


class FolderLock:
    """The annotation folder's lock of a `VideoAnnotations` (see module doc)."""

    # provided by VideoAnnotations
    folder: Path
    _load: Callable[[], None]

    def __init__(self) -> None:
        super().__init__()
        #: the lock this process holds on the folder (None: not held)
        self.lock: ProjectLock | None = None
        #: why these annotations are read-only (None: this process holds the lock and writes)
        self.read_only_reason: str | None = None
        #: the other process holding the lock, when that is why they are read-only
        self.locked_by: LockInfo | None = None

    @property
    def read_only(self) -> bool:
        """Nothing is written: another process holds the folder, it cannot be written, or read-only was asked."""
        return self.read_only_reason is not None

    def take_lock(self, lock: bool = True) -> None:
        """Take the folder's lock (its folder made first), or be read-only saying why (`lock` False: read-only
        asked for, nothing tried)."""
        if not lock:
            self.read_only_reason = READ_ONLY_ASKED
            return
        path = (self.folder / LOCK_FILE).absolute()
        with _SHARED_GUARD:
            shared = _SHARED.get(path)
            if shared is not None and shared[0].held and shared[0].taken_by() is None:  # shared: module doc
                _SHARED[path] = (shared[0], shared[1] + 1)
                self.lock = shared[0]
                return
        held = ProjectLock(path)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            owner = held.acquire()
        except StorageError as exc:
            self.read_only_reason = (f"the annotation folder is not writable "
                                     f"({exc.reason.removeprefix('folder is not writable: ')})")
            return
        except OSError as exc:
            self.read_only_reason = f"the annotation folder is not writable ({exc.strerror or exc})"
            return
        if owner is not None:
            self.read_only_reason, self.locked_by = _held_by(owner, path), owner
            return
        with _SHARED_GUARD:
            _SHARED[path] = (held, 1)
        self.lock = held

    def open_folder(self, lock: bool = True) -> None:
        """Take the lock (`take_lock`), then read the folder (`_load`); the lock released if that raises."""
        self.take_lock(lock)
        try:
            self._load()
        except BaseException:
            self.release_lock()
            raise

    def check_writable(self, path: Path) -> None:
        """Raise VideoAnnotationError (`path` not saved) when these annotations are read-only."""
        if self.read_only_reason is not None:
            raise VideoAnnotationError(path, f"not saved: the video's annotations are read-only "
                                             f"({self.read_only_reason})")

    def release_lock(self) -> None:
        """Remove the folder's lock when this process holds it (the video closes); read-only from then on."""
        if self.lock is not None:
            with _SHARED_GUARD:
                held, count = _SHARED.get(self.lock.path, (self.lock, 1))
                if count > 1:
                    _SHARED[self.lock.path] = (held, count - 1)
                else:
                    _SHARED.pop(self.lock.path, None)
                    self.lock.release()
            self.lock = None
            if self.read_only_reason is None:
                self.read_only_reason = "closed"
