"""Image decoding off the GUI thread.

:class:`ImageLoader` runs :func:`fosp_core.io.images.read_image` on a small QThreadPool. Full
images and thumbnails are separate requests on separate pools, so the current image shows
promptly while a big folder's thumbnails are still being made (or a huge image's thumbnail is).
The image pool has a spare thread: a huge image still decoding does not hold up the next one. Every request
gets an id; the receiver compares it with the id it is waiting for and drops stale results.

A decode cannot be interrupted, so :meth:`ImageLoader.shutdown` does not wait for running ones:
their results go nowhere, and their pool is kept (outside any Qt parent, so deleting the window
does not wait either) until :func:`wait_for_detached_decodes`, which runs at interpreter exit so
that no pool thread is left running Python code in a finalizing interpreter.
"""

from __future__ import annotations

import atexit
import itertools
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage

from fosp_core.io.images import ImageReadError, LoadedImage, read_image

THUMBNAIL_SIZE = (128, 96)  # (width, height) box a thumbnail fits into
_IMAGE_THREADS = 2  # the image asked for now, and one previous image still decoding

# Pools (with their relays) of shut-down loaders whose decodes were still running.
_detached: list[tuple[QThreadPool, _Relay]] = []


def make_thumbnail(rgb: np.ndarray, box: tuple[int, int] = THUMBNAIL_SIZE) -> QImage:
    """Scale RGB uint8 HxWx3 down (never up) to fit `box` (w, h); returns an owning QImage.

    Safe in worker threads (QImage, unlike QPixmap, is not tied to the GUI thread).
    """
    height, width = rgb.shape[:2]
    scale = min(box[0] / width, box[1] / height, 1.0)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = np.ascontiguousarray(cv2.resize(rgb, size, interpolation=cv2.INTER_AREA) if scale < 1 else rgb)
    qimage = QImage(small.data, small.shape[1], small.shape[0], small.strides[0], QImage.Format.Format_RGB888)
    return qimage.copy()  # detach from the numpy buffer


@dataclass(frozen=True)
class _Result:
    request_id: int
    path: Path
    image: LoadedImage | None = None
    thumbnail: QImage | None = None
    error: str | None = None


class _Relay(QObject):
    """Carries results from pool threads to the loader's (GUI) thread via a queued signal."""

    done = Signal(object)


def wait_for_detached_decodes() -> None:
    """Block until decodes left running by :meth:`ImageLoader.shutdown` have finished (their
    results are dropped). Registered with :mod:`atexit`; the GIL is released while waiting."""
    while _detached:
        pool, _relay = _detached.pop()
        pool.waitForDone()


atexit.register(wait_for_detached_decodes)


class _ReadTask(QRunnable):
    def __init__(self, relay: _Relay, request_id: int, path: Path, thumbnail_only: bool) -> None:
        super().__init__()
        self._relay = relay
        self._request_id = request_id
        self._path = path
        self._thumbnail_only = thumbnail_only

    def run(self) -> None:
        try:  # a thumbnail's JPEG decodes at 1/2-1/8 scale, still covering the thumbnail's box
            image = read_image(self._path, min_side=max(THUMBNAIL_SIZE) if self._thumbnail_only else None)
        except ImageReadError as exc:
            self._relay.done.emit(_Result(self._request_id, self._path, error=exc.reason))
            return
        except Exception as exc:  # never let a worker die silently
            self._relay.done.emit(_Result(self._request_id, self._path, error=f"{type(exc).__name__}: {exc}"))
            return
        if self._thumbnail_only:
            self._relay.done.emit(_Result(self._request_id, self._path, thumbnail=make_thumbnail(image.rgb)))
        else:
            self._relay.done.emit(_Result(self._request_id, self._path, image=image))


class ImageLoader(QObject):
    """Decodes images on worker threads.

    Signals (delivered on the GUI thread):
        image_loaded(request_id, LoadedImage)
        thumbnail_ready(request_id, path, QImage)
        failed(request_id, path, reason)
        idle(): no request is pending any more.
    """

    image_loaded = Signal(int, object)
    thumbnail_ready = Signal(int, object, QImage)
    failed = Signal(int, object, str)
    idle = Signal()

    def __init__(self, parent: QObject | None = None, threads: int = 2) -> None:
        super().__init__(parent)
        # No Qt parents: deleting the window must not wait for a decode.
        self._image_pool = QThreadPool()
        self._image_pool.setMaxThreadCount(_IMAGE_THREADS)
        self._thumbnail_pool = QThreadPool()
        self._thumbnail_pool.setMaxThreadCount(max(1, threads))
        self._relay = _Relay()
        self._relay.done.connect(self._deliver)
        self._ids = itertools.count(1)
        self._pending = 0
        self._closed = False

    @property
    def pending(self) -> int:
        """Requests started whose result has not been delivered yet."""
        return self._pending

    @property
    def closed(self) -> bool:
        """shutdown() was called: no request may start any more."""
        return self._closed

    def request_image(self, path: Path) -> int:
        """Decode `path` fully; returns the request id carried by the result."""
        return self._start(path, thumbnail_only=False)

    def request_thumbnail(self, path: Path) -> int:
        """Make a thumbnail of `path`; returns the request id carried by the result."""
        return self._start(path, thumbnail_only=True)

    def shutdown(self) -> None:
        """Drop queued requests and disconnect running ones, without waiting for them (call
        before the window goes away). Running decodes finish in the background; their results
        go nowhere, and the process waits for them at exit (:func:`wait_for_detached_decodes`)."""
        if self._closed:
            return
        self._closed = True
        self._pending = 0
        self._relay.done.disconnect(self._deliver)
        for pool in (self._image_pool, self._thumbnail_pool):
            pool.clear()
            if pool.activeThreadCount():
                _detached.append((pool, self._relay))

    def _start(self, path: Path, thumbnail_only: bool) -> int:
        if self._closed:
            raise RuntimeError("ImageLoader used after shutdown()")
        request_id = next(self._ids)
        self._pending += 1
        pool = self._thumbnail_pool if thumbnail_only else self._image_pool
        pool.start(_ReadTask(self._relay, request_id, Path(path), thumbnail_only))
        return request_id

    def _deliver(self, result: _Result) -> None:
        if self._closed:  # a result queued before shutdown: nobody is listening any more
            return
        # Receivers run first: any request they start keeps the loader busy before idle is checked.
        if result.error is not None:
            self.failed.emit(result.request_id, result.path, result.error)
        elif result.image is not None:
            self.image_loaded.emit(result.request_id, result.image)
        elif result.thumbnail is not None:
            self.thumbnail_ready.emit(result.request_id, result.path, result.thumbnail)
        self._pending -= 1
        if self._pending == 0:
            self.idle.emit()
