"""Opening what the user asks for (image files, folders, SmokeSeg and SMOKE5K datasets) in the
main window, without holding the GUI thread for a big folder.

An open has two slow parts: listing the folders (:func:`~fosp_core.session.collect_image_paths`)
and creating or reopening their annotation projects
(:func:`~app.annotation.projects.prepare_projects`: about a second for 100 000 images; a folder
opened alone hands it its listing, so that the folder is not listed twice): that work is
:mod:`app.open_task`'s. Both run on a worker thread, one open at a time in the order asked; the status
bar shows how many images were found so far, with a busy bar and a Cancel button, and Esc cancels too
(:mod:`app.esc_cancel`). The outcome is applied on
the GUI thread when it arrives: the projects handed to the registry (with what the worker read of a dataset
open already for its new images, which its join only applies), errors reported, the images
appended to the session, the current image set (the one last shown from a folder opened before,
when it is still there). Cancelling leaves the window as it was; projects the worker opened
meanwhile are closed again.

Every open runs on the worker, listing, look-ups of the paths and projects made (a network share slow to list
or to answer, a disk that stopped answering, must not freeze the window), the GUI thread waiting for a small one
:data:`LIST_WAIT_S` at most (`app.open_task.AtOnce`): a small open (up to :data:`SYNC_LIMIT` images: a few
hundred) done by then is applied at once, so :meth:`Opener.open` returns its images as ``MainWindow.open_paths``
always did (not one that gives a dataset of more images open already a new image: its join reads that dataset);
a bigger one, one not done by then, or any while another is under way, returns [] and continues in the
background (`opened` tells when it is applied, the first image shown then; :meth:`Opener.wait` waits for it).
Applying it does not look at the paths again: their folders, sources and resolved forms for the recent list come
with the outcome. Only ``background=False`` (a screenshot) opens on the GUI thread.

The opener works on the window through :class:`OpenWindow` (its session, recent paths, video mode,
annotation tools and status bar): the main window makes it and it knows nothing of the main window.

The videos of the folders opened are not opened with their images (a video opens alone): the status bar
names them and how to open one (:mod:`app.open_words`), and links to them stay in it
(:class:`~app.folder_videos.FolderVideos`: a click opens one) until other images open.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from app.annotation.opening_notes import opened_with
from app.annotation.projects import close_prepared
from app.esc_cancel import EscCancel
from app.folder_videos import FolderVideos
from app.icons import icon
from app.open_split import Split, VideoSplit, named_as_video
from app.open_task import (
    PROGRESS_INTERVAL_S,
    AtOnce,
    OpenOutcome,
    OpenRelay,
    OpenRequest,
    OpenTask,
    Sources,
    detach,
    gather,
    start_open,
)
from app.open_words import opened_text
from fosp_core.home_folder import expanded
from fosp_core.session import split_video_paths

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar

    from app.annotation import AnnotationUI
    from app.recent import RecentPaths
    from app.video.mode import VideoMode
    from fosp_core.session import ImageSession

__all__ = ["LIST_WAIT_S", "PROGRESS_INTERVAL_S", "SYNC_LIMIT", "OpenProgress", "OpenWindow", "Opener"]

#: Images an open may find and still be done at once on the GUI thread, listing and project included
#: (about 0.1 ms an image there to make the project, 0.04 ms to reopen it: a folder of 2 000 held the GUI
#: thread 250 ms, one of 10 000 a second); past this many the open goes to the worker thread, with its
#: progress and Cancel (bench/bench_big_folder_day.py).
SYNC_LIMIT = 500
#: The longest the GUI thread waits for a small open on the worker (a folder of a few hundred images on a disk
#: that answers is listed in a few ms, 75 ms at most with the pool thread's start on a busy 2-core machine, its
#: project made in a few ms more: the tests' small opens must stay at once; the scan reports every 4 096 entries,
#: so a big one is known as big after that many): past it the open goes on on the worker, the window turning.
LIST_WAIT_S = 0.5


class OpenProgress(QWidget):
    """The status bar's part while an open runs: what is being opened and how far it got, a
    busy bar and a Cancel button (`cancel_button`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # how many images a folder holds is known only at the end
        self.bar.setMaximumSize(100, 14)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton()
        self.cancel_button.setIcon(icon("fa6s.xmark"))
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.setToolTip("Stop opening (Esc); what is open stays as it was")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(6)
        for widget in (self.label, self.bar, self.cancel_button):
            layout.addWidget(widget)
        self.hide()


class OpenWindow(Protocol):
    """What the opener uses of the window it opens in (a QMainWindow underneath: the opener's Qt
    parent and the window Esc is watched in). `annotation` and `video` are read when an open is
    applied: the window may make them after the opener."""

    session: ImageSession
    recent: RecentPaths
    annotation: AnnotationUI
    video: VideoMode

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 (Qt's name)


class Opener(QObject):
    """Opens paths in `window` (its session, annotation projects, recent paths); see the module.

    Signals (GUI thread): opened(added: list[Path]) after an open was applied; busy_changed(bool).
    """

    opened = Signal(object)  # list[Path]: a Signal(list) would convert 100 000 paths for Qt
    busy_changed = Signal(bool)

    def __init__(self, window: OpenWindow) -> None:
        super().__init__(window)
        self._window = window
        self._pool = QThreadPool()  # no Qt parent: closing the window must not wait for a listing
        self._pool.setMaxThreadCount(1)
        self._relay = OpenRelay()
        self._relay.progress.connect(self._on_progress)
        self._relay.done.connect(self._on_done)
        self._ids = itertools.count(1)
        self._queue: deque[OpenRequest] = deque()
        self._split = VideoSplit(self)  # paths named as videos looked at on a thread (app.open_split)
        self._running: tuple[OpenRequest, threading.Event] | None = None
        self._folders: list[Path] = []  # folders opened, newest first: their last shown image is kept
        self._closed = False
        self.progress = OpenProgress()
        self.progress.cancel_button.clicked.connect(self.cancel)
        self.esc = EscCancel(window, self.cancel, self)  # Esc cancels while the progress shows
        window.statusBar().insertPermanentWidget(0, self.progress)
        self.folder_videos = FolderVideos()  # links to the videos of the folder last opened
        self.folder_videos.open_video.connect(lambda path: self.open([path]))
        window.statusBar().insertPermanentWidget(1, self.folder_videos)

    # --- asking ----------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """An open is under way (or waiting for one): its outcome is still to come."""
        return bool(self._queue) or self._split.pending or bool(self._running and not self._running[1].is_set())

    @property
    def running(self) -> bool:
        """A worker is at work, also one cancelled that has not finished yet (the next open waits
        for it: it may hold a project the next one opens)."""
        return self._running is not None

    def open(self, paths: Sequence[str | Path], remember: bool = True, background: bool | None = None) -> list[Path]:
        """Open image files, folders and datasets (a video opens alone, in video mode: its file probed on
        a worker, unless `background` is False).

        background: None: at once up to :data:`SYNC_LIMIT` images, else on the worker; True:
        always on the worker; False: always at once (the GUI thread waits). An open asked for
        while another is under way waits for it. Returns the images added to the session, [] when
        the open goes on in the background. Paths named as videos are looked at on a thread first (app.open_split)."""
        if background is not False and named_as_video(paths):
            split = self._split.start(paths, partial(self._open_split, remember=remember, background=background))
            return [] if split is None else self._open_split(split, remember, background)  # None: when it comes
        self._split.drop()  # a later open drops one whose paths are still looked at
        return self._open_split(split_video_paths(paths), remember, background)  # no look at the disk here

    def _open_split(self, split: Split, remember: bool, background: bool | None) -> list[Path]:
        window, (videos, rest) = self._window, split
        if videos:  # a video switches the window into video mode; images switch it back
            self.cancel()  # what was still opening would switch it back
            then = partial(self._video_opened, Path(videos[0]), remember, len(videos) - 1 + len(rest))
            if background is False:  # the GUI thread waits (a screenshot)
                if window.video.open(videos[0]):
                    then()
            else:  # its file is probed on a worker: the window stays responsive
                window.video.open_async(videos[0], then)
            return []
        if not rest or self._closed:
            return []
        window.video.cancel_open()  # images replace a video still opening
        what = Path(rest[0]).name if len(rest) == 1 else f"{len(rest)} items"
        request = OpenRequest(next(self._ids), tuple(rest), remember, what)
        if background is False and self._running is None and not self._queue:
            return self._apply(self._gather_here(request))  # the GUI thread waits, listing included (a screenshot)
        if background is None and self._running is None and not self._queue:
            done = self._open_at_once(request)
            return [] if done is None else self._apply(done)  # None: it goes on on the worker
        self._queue.append(request)
        if self._running is not None:  # shown at once, though it waits for the one under way
            self.progress.label.setText(f"Opening {what} …")
            self._set_busy(True)
        self._start_next()
        return []

    def _video_opened(self, path: Path, remember: bool, skipped: int) -> None:
        if remember:
            known = self._window.video.opened_resolved  # resolved where the video was opened, not here
            if known is None:
                self._window.recent.add(path)
            else:
                self._window.recent.add_resolved(known)
        if skipped:  # one video at a time; images given with it wait
            status = self._window.statusBar()
            status.showMessage(f"{status.currentMessage()} — {skipped} other item"
                               f"{'s' if skipped != 1 else ''} not opened (a video opens alone)", 8000)

    def cancel(self) -> bool:
        """Stop the open under way and drop those waiting; the window stays as it was. Returns
        whether there was one."""
        had = self.busy
        self._queue.clear()
        self._split.drop()
        if self._running is not None:
            self._running[1].set()  # the worker stops at its next progress call
        if had:
            self._set_busy(False)
            self._window.statusBar().showMessage("Opening cancelled", 4000)
        return had

    def wait(self, timeout_s: float = 30.0) -> bool:
        """Process events until no open is under way (tests, benchmarks); False on timeout."""
        clock = QElapsedTimer()
        clock.start()
        while self.busy and clock.elapsed() < 1000 * timeout_s:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.002)
        return not self.busy

    def shutdown(self) -> None:
        """Cancel (before the window goes away) without waiting for the worker; it finishes in the
        background, closing what it opened, and the process waits for it at exit."""
        if self._closed:
            return
        self.cancel()
        self._closed = True
        self._relay.done.disconnect(self._on_done)
        if self._pool.activeThreadCount():
            detach(self._pool, self._relay)

    # --- resuming --------------------------------------------------------------------------------
    def remember_current(self) -> None:
        """Record the current image as the last one shown from the opened folder holding it."""
        path = self._window.session.current_path
        folder = next((f for f in self._folders if path is not None and path.is_relative_to(f)), None)
        if folder is not None and path is not None:
            self._window.recent.set_last_image(folder, path)

    def _last_image(self, folders: Sequence[Path]) -> Path | None:
        """The image last shown from the first of `folders` that has one on record."""
        for folder in folders:
            last = self._window.recent.last_image(folder)
            if last is not None and last.is_relative_to(folder):
                return last
        return None

    # --- running ---------------------------------------------------------------------------------
    def _registry_pending(self, request: OpenRequest) -> Callable[[], Sources]:
        registry = self._window.annotation.controller.registry
        return lambda: registry.pending(request.paths)

    @contextmanager
    def _waiting(self, request: OpenRequest) -> Iterator[None]:
        """A wait cursor and what is opening in the status bar, for the moment the GUI thread takes."""
        status = self._window.statusBar()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        status.showMessage(f"Opening {request.what} …")
        status.repaint()
        try:
            yield
        finally:
            QApplication.restoreOverrideCursor()
            status.clearMessage()

    def _gather_here(self, request: OpenRequest) -> OpenOutcome:
        """The whole open on the GUI thread, listing included (``background=False``)."""
        with self._waiting(request):
            return gather(request, self._registry_pending(request), lambda _found: None, lambda _text: None)

    def _open_at_once(self, request: OpenRequest) -> OpenOutcome | None:
        """The request opened on the worker, waited for `LIST_WAIT_S` at most: its outcome when it is small and done
        by then (to apply here), else None: it goes on there, running (its outcome through the relay)."""
        cancel = threading.Event()
        at_once = AtOnce(SYNC_LIMIT)
        with self._waiting(request):
            start_open(self._pool, self._task(request, cancel, at_once))
            outcome = at_once.take(LIST_WAIT_S)
        if outcome is None:  # slow to open, or big: the worker goes on, with the progress and Cancel
            self._running = (request, cancel)
            self.progress.label.setText(f"Opening {request.what} …")
            self._set_busy(True)
        return outcome

    def _task(self, request: OpenRequest, cancel: threading.Event, at_once: AtOnce | None = None) -> OpenTask:
        """The open of `request` on the worker: which projects to open, which datasets open already its images join
        (read there if changed) and what its paths are are asked there once listed (each path's folder looked at: a
        share that does not answer must not hold the GUI thread); earlier opens are applied by now, and the
        registry's look-ups there read what only this thread changes (a change meanwhile that fails them: the join
        reads the dataset itself, as without)."""
        registry = self._window.annotation.controller.registry
        return OpenTask(self._relay, request, self._registry_pending(request), cancel,
                        partial(registry.open_datasets, request.paths), partial(registry.look, request.paths), at_once)

    def _start_next(self) -> None:
        if self._running is not None or not self._queue or self._closed:
            return
        request = self._queue.popleft()
        cancel = threading.Event()
        self._running = (request, cancel)
        self.progress.label.setText(f"Opening {request.what} …")
        self._set_busy(True)
        start_open(self._pool, self._task(request, cancel))

    def _on_progress(self, request_id: int, text: str) -> None:
        if self._running is not None and self._running[0].id == request_id and not self._running[1].is_set():
            self.progress.label.setText(text)

    def _on_done(self, outcome: OpenOutcome) -> None:
        running, self._running = self._running, None
        if running is None or running[0] is not outcome.request or running[1].is_set() or outcome.cancelled:
            close_prepared(outcome.projects)  # cancelled after the worker's last look
        else:
            self._apply(outcome)
        if not self._queue:
            self._set_busy(False)
        self._start_next()

    def _apply(self, outcome: OpenOutcome) -> list[Path]:
        """Show what was found: on the GUI thread, the part of an open that touches the window."""
        window, request, found, errors = self._window, outcome.request, outcome.found, outcome.errors
        said = None
        if found or not window.video.active:  # nothing to show: an open video stays
            window.video.leave()
            window.annotation.controller.registry.adopt(outcome.projects, outcome.found)
            window.annotation.controller.registry.adopt_read(outcome.read)  # datasets read on the worker
            window.annotation.controller.registry.adopt_looked(outcome.looked)  # its paths, looked at there
            window.annotation.open_paths(request.paths)  # create or reopen the annotation projects first
            said = window.annotation.controller.notes.last  # read-only, recovered...: kept in the line below
        else:
            close_prepared(outcome.projects)
        window.session.record_errors(errors)
        if request.remember:
            failed = {e.path for e in errors}
            resolved = outcome.remembered or [None] * len(request.paths)  # resolved where the open ran
            for path, known in zip(request.paths, resolved, strict=True):
                if expanded(path) in failed:
                    continue
                if known is None:
                    window.recent.add(path)
                else:
                    window.recent.add_resolved(known)
        folders = outcome.folders  # looked at where the open ran (on the worker for its opens)
        resume = self._last_image(folders)
        added = window.session.add(found, resolved=True, names=outcome.names)  # the list asks for the thumbnails of the rows it shows
        self._folders = [*folders, *(f for f in self._folders if f not in folders)]
        if found or outcome.videos:  # the links follow the images shown; a folder of videos only: its own
            self.folder_videos.set_videos(outcome.videos)
        if found:  # a folder opened before resumes on the image last shown from it, if still there
            session = window.session
            start = session.index_of(resume) if resume is not None else -1
            session.set_current(start if start >= 0 else session.index_of(found[0]))
            self.remember_current()  # also when it was current already
            window.statusBar().showMessage(*opened_with((opened_text(len(found), outcome.videos, outcome.gifs),
                                                         15000 if outcome.videos else 5000), said))
        elif outcome.videos:  # a folder of videos only: its error says so too
            window.statusBar().showMessage(opened_text(0, outcome.videos), 15000)
        self.opened.emit(added)
        return added

    # --- showing ---------------------------------------------------------------------------------
    def _set_busy(self, busy: bool) -> None:
        if busy == self.progress.isVisible():
            return
        self.progress.setVisible(busy)
        # Esc anywhere in the window cancels while the progress shows: a filter on the window's focus
        (self.esc.start if busy else self.esc.stop)()  # not on every event of the app
        self.busy_changed.emit(busy)
