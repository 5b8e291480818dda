"""Image decoding off the GUI thread.

:class:`ImageLoader` runs :func:`fosp_core.io.images.read_image` on a small QThreadPool. Full
images and thumbnails are separate requests; full images jump the queue (higher priority) so the
current image shows promptly while a big folder's thumbnails are still being made. Every request
gets an id; the receiver compares it with the id it is waiting for and drops stale results.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage

from fosp_core.io.images import ImageReadError, LoadedImage, read_image

THUMBNAIL_SIZE = (128, 96)  # (width, height) box a thumbnail fits into
_IMAGE_PRIORITY = 10
_THUMBNAIL_PRIORITY = 0


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
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max(1, threads))
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
        return self._start(path, thumbnail_only=False, priority=_IMAGE_PRIORITY)

    def request_thumbnail(self, path: Path) -> int:
        """Make a thumbnail of `path`; returns the request id carried by the result."""
        return self._start(path, thumbnail_only=True, priority=_THUMBNAIL_PRIORITY)

    def shutdown(self) -> None:
        """Drop queued requests and wait for running ones (call before the window goes away)."""
        self._pool.clear()
        self._pool.waitForDone()
        self._closed = True
        self._pending = 0

    def _start(self, path: Path, thumbnail_only: bool, priority: int) -> int:
        if self._closed:
            raise RuntimeError("ImageLoader used after shutdown()")
        request_id = next(self._ids)
        self._pending += 1
        self._pool.start(_ReadTask(self._relay, request_id, Path(path), thumbnail_only), priority)
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
