"""The save thread of a project's background mask saves (`fosp_core.annotation.mask_saves`): one
worker per project writes `SaveJob`s in commit order, one waiting per image (a later commit of an
image replaces its waiting job, keeping its place), and hands the ended jobs back (`MaskSaver.done`)
to the owner's thread, which journals them. A job with `settles` is the journal's fsync after the
owner appended lines (one waiting: a later one merges into it; see `mask_saves`)."""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fosp_core.annotation.entries import ProjectSaveError
from fosp_core.annotation.save_copies import MaskParts, SavedCopies

__all__ = ["SETTLE_KEY", "MaskSaver", "SaveJob"]


@dataclass
class SaveJob:
    """One PNG save: image `image_id`'s mask, made of `parts`, of `mask_version` at document
    `revision`, `seq` its place in commit order, `log` the recovery log to fsync before the PNG
    (None: none), `check` what may refuse it (the project taken over); on the worker: the `mask` made; after it: `signature` of the written file, its
    `smoke_ratio`, or the `error`."""

    seq: int
    image_id: str
    path: Path
    parts: MaskParts
    mask_version: int
    revision: int
    log: Path | None = None
    #: run on the worker before anything is written: an error to fail with (nothing written)
    check: Callable[[SaveJob], ProjectSaveError | None] | None = None
    mask: np.ndarray | None = None
    signature: tuple[int, int, int] | None = None
    smoke_ratio: float = 0.0
    error: ProjectSaveError | None = None
    #: a journal fsync (`path`: the journal), not a PNG: image id -> (the version of its recovery
    #: log when its journal line was written before this was queued, the document revision that
    #: line saved); their logs may go once it worked (`fosp_core.annotation.journal_settles`)
    settles: dict[str, tuple[int, int]] | None = None


#: the queue's key of the journal fsync job (no image has an empty id)
SETTLE_KEY = ""


class MaskSaver:
    """The worker thread of one project: writes `SaveJob`s in order, one waiting per image.

    notify: called on the worker thread after each job (the owner then takes `done()` on its own);
    write: writes a job whose mask is made (`fosp_core.annotation.mask_saves`), putting its outcome
    into the job.
    """

    def __init__(self, notify: Callable[[], None] | None = None, *,
                 write: Callable[[SaveJob], None]) -> None:
        self.notify = notify
        self._write = write
        self._cond = threading.Condition()
        self._waiting: OrderedDict[str, SaveJob] = OrderedDict()  # image id -> its job, in order
        self._running: SaveJob | None = None
        self._done: list[SaveJob] = []
        self._thread: threading.Thread | None = None
        self._stop = False
        self._copies = SavedCopies()
        #: which thread wrote each PNG, for tests: image ids by thread name
        self.written_by: list[tuple[str, str]] = []

    def submit(self, job: SaveJob) -> SaveJob | None:
        """Queue `job`; returns the job of the same image it replaced (coalesced), if any."""
        with self._cond:
            replaced = self._waiting.get(job.image_id)
            if replaced is not None and job.settles is not None:  # one fsync makes both jobs' lines durable
                job.settles = {**(replaced.settles or {}), **job.settles}
            elif replaced is not None:
                job.parts = replaced.parts.then(job.parts)
            self._waiting[job.image_id] = job  # a replaced job's place in the queue is kept
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="fosp-mask-saves", daemon=True)
                self._thread.start()
            self._cond.notify_all()
        return replaced

    def keep_only(self, image_id: str) -> None:
        """Keep the worker's copy of `image_id`'s mask alone, once the saves of the others ran."""
        with self._cond:
            self._copies.keep = image_id

    def held(self) -> list[str]:
        """The images whose mask the worker keeps a copy of (for tests)."""
        with self._cond:
            return self._copies.held()

    def busy(self, image_id: str | None = None) -> bool:
        """Whether a job (of `image_id`, or any) waits or runs."""
        with self._cond:
            return self._busy(image_id)

    def _busy(self, image_id: str | None) -> bool:
        if image_id is None:
            return bool(self._waiting) or self._running is not None
        return image_id in self._waiting or (self._running is not None and self._running.image_id == image_id)

    def wait(self, image_id: str | None = None, timeout: float | None = None) -> bool:
        """Until no job (of `image_id`, or any) waits or runs, or `timeout` seconds passed (None: no end;
        a disk that does not answer holds a write for good). Whether none waits or runs now."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._busy(image_id), timeout)

    def done(self) -> list[SaveJob]:
        """The jobs ended since the last call, in the order they ran."""
        with self._cond:
            done, self._done = self._done, []
        return done

    def stop(self) -> None:
        """End the thread once its jobs are written."""
        with self._cond:
            self._stop = True
            self._cond.notify_all()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._waiting and not self._stop:
                    self._cond.wait()
                if not self._waiting:
                    return
                _, job = self._waiting.popitem(last=False)
                self._running = job
            try:
                self._serve(job)
            except Exception as exc:  # noqa: BLE001 - any failure is this job's (told); the thread goes on
                if job.error is None:
                    reason = str(exc) or type(exc).__name__
                    job.error = ProjectSaveError(job.path, f"cannot write: {reason}")
            finally:
                job.mask = None  # the worker's copy stays with it (`SavedCopies`)
                with self._cond:
                    self._running = None
                    with contextlib.suppress(Exception):  # only memory to let go: the next job tries again
                        self._copies.drop_idle(self._busy)
                    self._done.append(job)
                    self._cond.notify_all()
            notify = self.notify  # read once: the owner may set it to None meanwhile (`SaveNotify`)
            if notify is not None:
                with contextlib.suppress(Exception):  # its receiver gone (a window closed), or its bug:
                    notify()  # the job waits in `done()` for the owner's next look

    def _serve(self, job: SaveJob) -> None:
        """Make `job`'s mask and write it. A copy that could not be made whole is dropped: a later
        job of the image that patches it fails as the mask lost, and the owner hands the whole mask
        over at the next commit. A journal fsync (`settles`) is `write`'s alone."""
        if job.settles is not None:
            self._write(job)
            return
        with self._cond:
            try:
                job.mask = self._copies.make(job.image_id, job.parts)
            except KeyError:
                job.error = ProjectSaveError(job.path, "cannot write: the mask to save was lost")
            except Exception:
                self._copies.forget(job.image_id)  # maybe patched in part: not the mask of any commit
                raise
            finally:
                job.parts = MaskParts(None)  # let the copies go
        if job.error is None:
            self._write(job)
            self.written_by.append((job.image_id, threading.current_thread().name))


class SaveNotify:
    """``save_notify`` of an owner of a `MaskSaver` (``_saver``), called on the save thread when a save ended:
    set, it reaches the save thread made before too. A window that lets a project go with a save held by a
    dead disk (`app.annotation.close_waits.let_go`) sets it to None, and the save, when the disk answers,
    must then call nothing of the window being torn down (a Qt signal emitted onto a deleted controller
    crashed the process)."""

    _saver: MaskSaver | None
    _save_notify: Callable[[], None] | None = None

    @property
    def save_notify(self) -> Callable[[], None] | None:
        return self._save_notify

    @save_notify.setter
    def save_notify(self, notify: Callable[[], None] | None) -> None:
        self._save_notify = notify
        saver = getattr(self, "_saver", None)  # none before the first background save
        if saver is not None:
            saver.notify = notify
