"""Background threads of the video view: frame decoding for display here, per-frame predictions in
:mod:`app.video.prediction_worker` (its classes and :func:`wait_for_retired` re-exported: ``from
app.video.workers import PredictionWorker`` still works; its constants, such as ``PLAYING_THREADS``, are
not: a bench or test sets them on :mod:`app.video.prediction_worker`, whose code reads them).

Both run a plain Python thread (numpy in, numpy out; OpenCV and torch release the GIL) and hand
results to the GUI thread through queued Qt signals. Every request carries an id; receivers drop
answers to requests they no longer wait for.

:class:`FrameFetcher` decodes the frame to display. Requests are coalesced: while one frame decodes,
newer requests replace older queued ones, so fast scrubbing shows the latest position instead of
working through a backlog. Its thread emits on a relay of its own (:class:`_FrameRelay`, no parent: it
lives as long as the thread holds it) queued on to the fetcher's signals, which Qt drops once the
fetcher is deleted; the thread stops, joined, at :meth:`FrameFetcher.shutdown` or, at the latest, as the
fetcher is destroyed (a window deleted with ``deleteLater()`` and never closed, its video open).

:class:`~app.video.prediction_worker.PredictionWorker` keeps the prediction cache filled around the
playhead and runs the "predict whole video" job (see its module).
"""

from __future__ import annotations

import itertools
import threading

from PySide6.QtCore import QObject, Signal

from app.relay import Relay
from app.video.prediction_worker import PredictionWorker, ProbabilityFn, wait_for_retired
from fosp_core.video.reader import FrameDecodeError, FrameReader

__all__ = ["FrameFetcher", "PredictionWorker", "ProbabilityFn", "wait_for_retired"]


class _FrameRelay(Relay):
    """What a FrameFetcher's thread emits on: never deleted while the thread holds it (see module doc)."""

    frame_ready = Signal(int, int, object)
    frame_failed = Signal(int, int, str)


class FrameFetcher(QObject):
    """Decodes frames of one reader on a worker thread, latest request first (see module doc).

    Signals: frame_ready(request_id, index, rgb), frame_failed(request_id, index, reason).
    """

    frame_ready = Signal(int, int, object)
    frame_failed = Signal(int, int, str)

    def __init__(self, reader: FrameReader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay = _FrameRelay()  # made on this (the GUI) thread; queued on to this object, dropped with it
        self._relay.forward_to(self, "frame_ready", "frame_failed")
        self.reader = reader
        self._ids = itertools.count(1)
        self._pending: tuple[int, int] | None = None
        self._busy = False
        self._closed = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="video-frames", daemon=True)
        self._thread.start()
        # deleted without shutdown() (its window deleted, never closed): the thread stops all the same, once
        # the frame being decoded ends; the slot holds the Python side (the lock, the flag, the reader)
        self.destroyed.connect(lambda _obj=None, fetcher=self: fetcher._finish())

    @property
    def busy(self) -> bool:
        """A decode is running or queued."""
        with self._cond:
            return self._busy or self._pending is not None

    def request(self, index: int) -> int:
        """Decode frame `index`; replaces any request not started yet. Returns the request id."""
        request_id = next(self._ids)
        with self._cond:
            self._pending = (request_id, index)
            self._cond.notify()
        return request_id

    def shutdown(self) -> None:
        """Stop the thread (waits for the frame being decoded; nothing more is emitted) and close the
        reader; again, nothing."""
        self._finish()

    def _finish(self) -> None:
        with self._cond:
            if self._closed and not self._thread.is_alive():
                return
            self._closed = True
            self._cond.notify()
        self._thread.join(timeout=10)
        self.reader.close()

    def _run(self) -> None:
        relay = self._relay
        while True:
            with self._cond:
                while self._pending is None and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                assert self._pending is not None
                request_id, index = self._pending
                self._pending, self._busy = None, True
            rgb, reason = None, ""
            try:
                rgb = self.reader.read(index)
            except (FrameDecodeError, IndexError) as exc:
                reason = getattr(exc, "reason", str(exc))
            except Exception as exc:  # noqa: BLE001 - a worker must never die silently
                reason = f"{type(exc).__name__}: {exc}"
            with self._cond:
                self._busy = False
                if self._closed:
                    return  # shut down (or deleted) meanwhile: nobody waits for it
            if rgb is not None:
                relay.frame_ready.emit(request_id, index, rgb)
            else:
                relay.frame_failed.emit(request_id, index, reason)
