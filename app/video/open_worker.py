"""Opening a video off the GUI thread.

Opening a video file is slow work for a GUI thread: the reader's open
(:func:`fosp_core.video.reader.open_video`) probes the file - it decodes up to 48 frames to tell a
variable frame rate, and the first frame - 0.2-0.3 s on the demo clips, about 1 s at 4K, more on a
network file; the video's annotations are read from disk beside it. :class:`VideoOpener` does it on a
short-lived thread per open (the user asks for each) and hands the outcome to the GUI thread through
its relay (`app.relay`: the thread emits on the relay, never on the opener, whose signals are emitted on the
GUI thread, and not at all once the opener is deleted: a thread stuck on a dead drive past the window's close
emits into nothing). Only the latest request is answered: one superseded or cancelled finishes on its
thread, closes what it opened and emits nothing.

Once probed, a video file's packets are indexed (the reader's background scan: about 0.1 ms a packet, an
hour of 1080p holds 108 000 of them, more on a slow disk): the opener waits for that before handing the
video over (:func:`wait_for_index`), saying how far it got (``indexing``), cancel and Esc still dropping
it. A scan still running after :data:`PREVIEW_AFTER_S` first hands over the file's frame 0 (``probed``: its
number is certain from the probe on, the picture decoded then): the window shows it meanwhile
(:mod:`app.video.preview`). Frame numbers are display order from the index on (:mod:`fosp_core.video.reader`), and a reader
read before it waited for the scan holding its lock, then failed after 10 s ('still being indexed'): the
frame decoder's reads marked frames undecodable for good (a false, sticky mark on the timeline). Once
handed over, the video's reads never wait for the scan.

The reader is made on that thread and used on others after (the frame fetcher's, the GUI's): it is
thread-safe (one lock), and the prediction worker has always opened its own reader on its own thread.

Closing a video is the same kind of work (its frame decoder stopped, waiting for the frame it decodes,
then its reader closed: 0.2-41 ms measured, more on a slow disk): :meth:`VideoOpener.close_later` runs
it on a short-lived thread too, once the GUI thread no longer uses that reader; the window's close
waits for it (:meth:`VideoOpener.shutdown`).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.open_words import kept_elsewhere_text
from app.relay import Relay
from fosp_core.annotation.storage import LockInfo
from fosp_core.video.folder_lock import opening_for
from fosp_core.video.kept_predictions import Identity, video_identity
from fosp_core.video.left_behind import find_left_behind, left_behind_words
from fosp_core.video.reader import FrameReader, VideoOpenError, open_video, wait_for_index
from fosp_core.video.timeline import VideoAnnotationError, VideoAnnotations, own_folder, state_folder

if TYPE_CHECKING:
    from app.video.workers import FrameFetcher

__all__ = ["PREVIEW_AFTER_S", "OpenedVideo", "Prepare", "VideoOpener", "close_fetcher", "prepare_video"]

#: A packet scan still running this long after the probe: frame 0 is shown while it runs (a short file's
#: scan ends first, and its video opens without a preview flashing by).
PREVIEW_AFTER_S = 0.25


@dataclass(frozen=True)
class OpenedVideo:
    """An open video: its `reader` (the first frame decoded and cached) and its `annotations`;
    `taking_over`: opened by Take Over, or while a script waits (`app.video.lock_view`: its lock not asked
    about); `identity`:
    its files as they were when opened."""

    path: Path
    reader: FrameReader
    annotations: VideoAnnotations
    taking_over: bool = False
    #: the video's identity probed before its reader opened it (`fosp_core.video.kept_predictions`: its
    #: predictions kept under it at the close, and those kept given back to it; None: unreadable)
    identity: Identity | None = None
    #: `path` resolved on the opening thread (the recent list's and the last frames' key: not looked at on the GUI
    #: thread, which a share that stopped answering would hold); None: it could not be (a link loop)
    resolved: Path | None = None
    #: where its labels are kept when its folder is read-only (`app.open_words.kept_elsewhere_text`), looked at on the
    #: opening thread (the folder's `is_dir`, `writable_folder`: a share that stopped answering holds them); None: beside it
    kept_where: str | None = None


def prepare_video(path: Path, state_root: Path | None, owner: Hashable | None = None,
                  break_lock: bool | LockInfo = False, taking_over: bool = False,
                  remembered: tuple[Path, ...] = ()) -> OpenedVideo:
    """Open the video `path` and its annotations (under `state_root`, None: ``.fosp/`` beside it) for `owner`
    (a window's video view: its openings share the folder's lock, another window's are read-only), taking the
    lock with `break_lock` (Take Over's: `fosp_core.video.folder_lock.opening_for`); any thread. A video with
    no labels of its own gets a warning naming the labels it may have left behind, renamed or moved since (its
    folder's, and those of the `remembered` videos of its file name gone: `fosp_core.video.left_behind`; only
    those are looked for, not a remembered video on a drive gone that could hold this opening up). Raises
    VideoOpenError or VideoAnnotationError, having closed the reader then."""
    identity = video_identity(path)  # before any frame is read: what its predictions will be of, at most
    resolved = _resolved(path)
    reader = open_video(path)
    try:
        folder = own_folder(state_root, path, reader.meta.stem) if state_root is not None else None
        shape = (reader.meta.height, reader.meta.width)
        with opening_for(owner, break_lock):
            annotations = VideoAnnotations(path, reader.meta.frame_count, shape, stem=reader.meta.stem, folder=folder)
        if not (annotations.mask_files or annotations.keyframes):
            gone = [own_folder(state_root, r) if state_root is not None else state_folder(r)
                    for r in remembered if r.name == path.name and r != (resolved or path) and not r.exists()]
            annotations.warnings += left_behind_words(path, find_left_behind(annotations.folder,
                                                                             reader.meta.frame_count, shape, gone))
        absolute = path.absolute()  # an image sequence's folder is its own
        kept = kept_elsewhere_text(absolute if absolute.is_dir() else absolute.parent, annotations.folder, "this video")
    except BaseException:
        reader.close()
        raise
    return OpenedVideo(path, reader, annotations, taking_over, identity, resolved, kept)


def _resolved(path: Path) -> Path | None:
    """`path` resolved; None where it cannot be (a link loop)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def close_fetcher(fetcher: FrameFetcher) -> None:
    """Stop the frame decoder `fetcher` (waiting for the frame it decodes), close its reader, then let the
    GUI thread delete it; any thread (:meth:`VideoOpener.close_later`)."""
    fetcher.shutdown()
    fetcher.deleteLater()  # thread-safe: the deletion runs on the GUI thread, once its thread has ended


#: Opens a video on the opener's thread; raises VideoOpenError or VideoAnnotationError, having closed
#: what it opened.
Prepare = Callable[[Path], OpenedVideo]


class _OpenerRelay(Relay):
    """What the opener's threads emit on (`app.relay`), forwarded to the opener's signals of the same names."""

    opened = Signal(int, object)
    probed = Signal(int, object, object)
    failed = Signal(int, object, str)
    indexing = Signal(int, int, int)


class VideoOpener(QObject):
    """See the module doc. Signals: opened(request_id, OpenedVideo), failed(request_id, path, reason),
    probed(request_id, path, frame 0 as RGB uint8) once a long file is probed and its packets still being
    indexed, indexing(request_id, packets read, frames in the header) while they are."""

    opened = Signal(int, object)
    probed = Signal(int, object, object)
    failed = Signal(int, object, str)
    indexing = Signal(int, int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._wanted = 0  # the request whose outcome is awaited; 0: none
        self._closed = False
        self._threads: list[threading.Thread] = []
        #: whose the videos opened through this opener are (`prepare_video`'s owner: one window's video view)
        self.owner = object()
        self._relay = _OpenerRelay()  # held by the threads too (module doc)
        self._relay.forward_to(self, "opened", "probed", "failed", "indexing")

    def open(self, path: Path, prepare: Prepare) -> int:
        """Run `prepare(path)` on a new thread; the request before is dropped. Returns the request id."""
        request_id = next(self._ids)
        with self._lock:
            if self._closed:
                return 0
            self._wanted = request_id
        self._start(threading.Thread(target=self._run, args=(request_id, Path(path), prepare), name="video-open",
                                     daemon=True))
        return request_id

    def cancel(self) -> None:
        """Await nothing: the open under way closes what it opened and emits nothing."""
        with self._lock:
            self._wanted = 0

    def close_later(self, close: Callable[[], object]) -> None:
        """Run `close` (a video's release: its decoder stopped first, then its reader closed) on a thread
        of its own, the GUI thread no longer using what it closes; after :meth:`shutdown`, here and now."""
        with self._lock:
            closed = self._closed
        if closed:
            close()
            return
        self._start(threading.Thread(target=close, name="video-close", daemon=True))

    def _start(self, thread: threading.Thread) -> None:
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def shutdown(self, timeout_s: float = 10.0) -> None:
        """Cancel, and wait (at most `timeout_s`) for the opens still probing their files and the closes
        under way: the process may exit next, and no thread may be left inside FFmpeg then."""
        with self._lock:
            self._wanted, self._closed = 0, True
        deadline = time.monotonic() + timeout_s
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _wants(self, request_id: int) -> bool:
        with self._lock:
            return request_id == self._wanted and not self._closed

    def _preview(self, request_id: int, opened: OpenedVideo) -> None:
        """Emit `probed` with frame 0 (read here, off the GUI thread) when the scan outlasts PREVIEW_AFTER_S."""
        indexed = getattr(opened.reader, "wait_indexed", None)  # an image sequence has no scan
        if indexed is None or indexed(PREVIEW_AFTER_S) or not self._wants(request_id):
            return
        try:
            frame = opened.reader.read(0)  # the probe's picture: never waits for the scan
        except Exception:  # noqa: BLE001 - the preview is optional: the open goes on without it
            return
        with self._lock:  # as opened: nothing once cancel() returned
            if request_id == self._wanted and not self._closed:
                self._relay.probed.emit(request_id, opened.path, frame)

    def _run(self, request_id: int, path: Path, prepare: Prepare) -> None:
        relay = self._relay  # the thread's own reference: it outlives the opener if need be
        opened: OpenedVideo | None = None
        reason = ""
        try:
            opened = prepare(path)
        except (VideoOpenError, VideoAnnotationError) as exc:
            reason = exc.reason
        except Exception as exc:  # noqa: BLE001 - a worker must never die silently
            reason = f"{type(exc).__name__}: {exc}"
        if opened is not None:
            self._preview(request_id, opened)
        if opened is not None and not wait_for_index(opened.reader, lambda: self._wants(request_id),
                                                     partial(relay.indexing.emit, request_id)):
            opened.reader.close()  # cancelled or superseded while indexing: its scan stops
            opened.annotations.release_lock()
            return
        with self._lock:  # emitted under the lock: once cancel() or shutdown() returned, nothing is
            if request_id == self._wanted and not self._closed:
                self._wanted = 0
                if opened is not None:
                    relay.opened.emit(request_id, opened)
                else:
                    relay.failed.emit(request_id, path, reason)
                return
        if opened is not None:  # nobody waits for it
            opened.reader.close()
            opened.annotations.release_lock()
