"""Image decoding off the GUI thread.

:class:`ImageLoader` runs :func:`fosp_core.io.images.read_image` on worker threads. Full images and
thumbnails are separate requests in separate queues, so the current image shows promptly while a
big folder's thumbnails are still being made (or a huge image's thumbnail is). Every request gets
an id; the receiver compares it with the id it is waiting for and drops stale results.

The user moves on faster than huge images decode (Next, Next, Next over 20000 x 20000 PNGs), so a
full-image request supersedes the older ones: those still waiting are dropped, running ones are
cancelled (the reader stops within a block of data), and none of them delivers anything. The image
queue has a spare thread, so the image the user is on starts at once even when an older decode
cannot stop at once (a slow disk, a step between blocks). Thumbnails are all made, in order.

Workers are daemon threads: nothing waits for them at exit. :meth:`ImageLoader.shutdown` cancels
what runs and drops what waits, without waiting either, and closing the window is immediate.
(Python's ThreadPoolExecutor would join its threads at interpreter exit, and a QThreadPool's
destructor waits for its runnables.) A worker never runs Qt code: it hands numpy arrays to the GUI
thread, which makes the thumbnails' QImages, so a thread still decoding at exit only holds C code
of Pillow or numpy (see :mod:`fosp_core.io.images` for its few C++ calls).
"""

from __future__ import annotations

import itertools
import math
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication, QImage

from app.relay import ValueRelay
from fosp_core.io.images import ImageReadError, LoadedImage, ReadCancelled, read_image

THUMBNAIL_SIZE = (128, 96)  # (width, height) box a thumbnail fits into, in logical pixels
MAX_THUMBNAIL_SCALE = 3.0  # device pixels per logical pixel that thumbnails are made for, at most
_IMAGE_THREADS = 2  # the image asked for now, and one superseded decode that has not stopped yet
_IDLE_EXIT_S = 30.0  # a worker with nothing to do for this long ends (a new request starts another)


def thumbnail_array(rgb: np.ndarray, box: tuple[int, int] = THUMBNAIL_SIZE) -> np.ndarray:
    """Scale RGB uint8 HxWx3 down (never up) to fit `box` (w, h), averaging the pixels each output
    pixel covers; returns RGB uint8, C-contiguous. Pillow (C, thread-safe, GIL released)."""
    height, width = rgb.shape[:2]
    scale = min(box[0] / width, box[1] / height, 1.0)
    if scale >= 1:
        return np.ascontiguousarray(rgb)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = Image.fromarray(np.ascontiguousarray(rgb)).resize(size, Image.Resampling.BOX, reducing_gap=3.0)
    return np.ascontiguousarray(np.asarray(small, dtype=np.uint8))


def thumbnail_box(scale: float = 1.0) -> tuple[int, int]:
    """:data:`THUMBNAIL_SIZE` in device pixels on a screen of device pixel ratio `scale` (1 to
    :data:`MAX_THUMBNAIL_SCALE`): a 4K monitor at 200 % draws a 128 x 96 icon in 256 x 192 pixels."""
    scale = min(max(float(scale), 1.0), MAX_THUMBNAIL_SCALE)
    return (math.ceil(THUMBNAIL_SIZE[0] * scale), math.ceil(THUMBNAIL_SIZE[1] * scale))


def screens_scale() -> float:
    """The largest device pixel ratio of the screens (1.0 without any): a thumbnail stays sharp on
    the HiDPI screen of two, wherever the window goes. GUI thread."""
    return max((screen.devicePixelRatio() for screen in QGuiApplication.screens()), default=1.0)


def to_qimage(rgb: np.ndarray) -> QImage:
    """An owning QImage of RGB uint8 HxWx3 (a copy: the array may go)."""
    rgb = np.ascontiguousarray(rgb)
    qimage = QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0], QImage.Format.Format_RGB888)
    return qimage.copy()


def make_thumbnail(rgb: np.ndarray, box: tuple[int, int] = THUMBNAIL_SIZE) -> QImage:
    """:func:`thumbnail_array` as an owning QImage."""
    return to_qimage(thumbnail_array(rgb, box))


@dataclass(frozen=True)
class _Result:
    request_id: int
    path: Path
    image: LoadedImage | None = None
    thumbnail: np.ndarray | None = None
    error: str | None = None


class _Job:
    """One request: decoded by a worker unless cancelled first (then it delivers nothing)."""

    def __init__(self, request_id: int, path: Path, thumbnail_only: bool, relay: ValueRelay,
                 box: tuple[int, int] = THUMBNAIL_SIZE) -> None:
        self.request_id = request_id
        self.path = path
        self.thumbnail_only = thumbnail_only
        self.box = box  # a thumbnail's, in device pixels
        self.cancelled = False  # set by the GUI thread, read by the worker (a plain flag)
        self._relay = relay

    def is_cancelled(self) -> bool:
        return self.cancelled

    def run(self) -> None:
        if self.cancelled:
            return
        try:  # a thumbnail's JPEG decodes at 1/2-1/8 scale, still covering the thumbnail's box
            image = read_image(self.path, min_side=max(self.box) if self.thumbnail_only else None,
                               cancelled=self.is_cancelled)
            result = (_Result(self.request_id, self.path, thumbnail=thumbnail_array(image.rgb, self.box))
                      if self.thumbnail_only else _Result(self.request_id, self.path, image=image))
        except ReadCancelled:
            return
        except ImageReadError as exc:
            result = _Result(self.request_id, self.path, error=exc.reason)
        except Exception as exc:  # never let a worker die silently
            result = _Result(self.request_id, self.path, error=f"{type(exc).__name__}: {exc}")
        if not self.cancelled:
            self._relay.done.emit(result)


# Jobs that workers are running now, of all loaders (see wait_for_decodes).
_running_lock = threading.Condition()
_running = 0


def wait_for_decodes(timeout: float | None = None) -> bool:
    """Wait until no worker of any loader is decoding (for tests: no decode outlives a test);
    True when none is, False when `timeout` (seconds) ran out first."""
    with _running_lock:
        return _running_lock.wait_for(lambda: _running == 0, timeout)


class _Queue:
    """Jobs run in order by up to `threads` daemon threads, started as jobs come and ending when
    idle. latest_only: a new job supersedes the others, waiting (dropped) or running (cancelled)."""

    def __init__(self, name: str, threads: int, latest_only: bool) -> None:
        self._name = name
        self._threads = max(1, threads)
        self._latest_only = latest_only
        self._lock = threading.Condition()
        self._waiting: deque[_Job] = deque()
        self._running: set[_Job] = set()
        self._workers = 0
        self._idle = 0
        self._closed = False

    def submit(self, job: _Job) -> list[_Job]:
        """Queue `job`; returns the jobs it superseded (cancelled, and dropped if waiting)."""
        with self._lock:
            superseded = [*self._waiting, *self._running] if self._latest_only else []
            for old in superseded:
                old.cancelled = True
            if self._latest_only:
                self._waiting.clear()
            self._waiting.append(job)
            if self._idle:
                self._lock.notify()
            if len(self._waiting) > self._idle and self._workers < self._threads:
                self._workers += 1
                threading.Thread(target=self._work, name=f"fosp-{self._name}-decode", daemon=True).start()
        return superseded

    def close(self) -> None:
        """Cancel every job, running or waiting; idle workers end. Does not wait."""
        with self._lock:
            self._closed = True
            for job in (*self._waiting, *self._running):
                job.cancelled = True
            self._waiting.clear()
            self._lock.notify_all()

    def _work(self) -> None:
        global _running
        while True:
            with self._lock:
                self._idle += 1
                self._lock.wait_for(lambda: self._waiting or self._closed, _IDLE_EXIT_S)
                self._idle -= 1
                if self._closed or not self._waiting:
                    self._workers -= 1
                    return
                job = self._waiting.popleft()
                self._running.add(job)
            with _running_lock:
                _running += 1
            try:
                job.run()
            finally:
                with self._lock:
                    self._running.discard(job)
                with _running_lock:
                    _running -= 1
                    _running_lock.notify_all()


class ImageLoader(QObject):
    """Decodes images on worker threads.

    Signals (delivered on the GUI thread):
        image_loaded(request_id, LoadedImage)
        thumbnail_ready(request_id, path, QImage)
        failed(request_id, path, reason)
        idle(): no request is pending any more.

    A superseded image request (see the module doc) delivers none of them.
    """

    image_loaded = Signal(int, object)
    thumbnail_ready = Signal(int, object, QImage)
    failed = Signal(int, object, str)
    idle = Signal()

    def __init__(self, parent: QObject | None = None, threads: int = 2) -> None:
        super().__init__(parent)
        self._images = _Queue("image", _IMAGE_THREADS, latest_only=True)
        self._thumbnails = _Queue("thumbnail", threads, latest_only=False)
        self._relay = ValueRelay()
        self._relay.done.connect(self._deliver)
        self._ids = itertools.count(1)
        self._pending: set[int] = set()
        self._closed = False

    @property
    def pending(self) -> int:
        """Requests still wanted whose result has not been delivered yet."""
        return len(self._pending)

    @property
    def closed(self) -> bool:
        """shutdown() was called: no request may start any more."""
        return self._closed

    def request_image(self, path: Path) -> int:
        """Decode `path` fully; returns the request id carried by the result. Supersedes the
        image requests before it."""
        return self._start(path, self._images, thumbnail_only=False)

    def request_thumbnail(self, path: Path) -> int:
        """Make a thumbnail of `path` with a device pixel per screen pixel (:func:`thumbnail_box` of
        :func:`screens_scale`); returns the request id carried by the result."""
        return self._start(path, self._thumbnails, thumbnail_only=True, box=thumbnail_box(screens_scale()))

    def shutdown(self) -> None:
        """Cancel running requests and drop waiting ones, without waiting for anything (call
        before the window goes away). Nothing is delivered after this."""
        if self._closed:
            return
        self._closed = True
        self._pending.clear()
        self._relay.done.disconnect(self._deliver)
        self._images.close()
        self._thumbnails.close()

    def _start(self, path: Path, queue: _Queue, thumbnail_only: bool,
               box: tuple[int, int] = THUMBNAIL_SIZE) -> int:
        if self._closed:
            raise RuntimeError("ImageLoader used after shutdown()")
        request_id = next(self._ids)
        self._pending.add(request_id)
        for old in queue.submit(_Job(request_id, Path(path), thumbnail_only, self._relay, box)):
            self._pending.discard(old.request_id)
        return request_id

    def _deliver(self, result: _Result) -> None:
        if self._closed or result.request_id not in self._pending:  # shut down, or superseded
            return
        # Receivers run first: any request they start keeps the loader busy before idle is checked.
        if result.error is not None:
            self.failed.emit(result.request_id, result.path, result.error)
        elif result.image is not None:
            self.image_loaded.emit(result.request_id, result.image)
        elif result.thumbnail is not None:
            self.thumbnail_ready.emit(result.request_id, result.path, to_qimage(result.thumbnail))
        self._pending.discard(result.request_id)
        if not self._pending:
            self.idle.emit()
