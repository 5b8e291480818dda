"""The compare grid's prediction panel and outlines, made off the GUI thread on huge photos.

At every switch of image (and threshold move) with the grid's dock shown, the grid thresholded the
probability (`Prediction.mask`), scaled it to a 0/255 picture and traced the outlines of that mask
and of the ground truth (`outline_path`) on the GUI thread: 0.3-1.2 s at 48 MP under load (session
28, C: ``bench/bench_huge_turns.py``). :func:`mask_pictures` is that very work (the same calls: the
same arrays), and :class:`GridMasks` runs it on a worker thread for images of
:data:`WORKER_PIXELS` pixels or more, `ready` bringing the pictures back to the GUI thread; a request
asked again meanwhile (another image, another threshold) makes the older one's answer stale, dropped
(and skipped when the worker had not reached it). Smaller images (a few ms) are made where asked.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.analysis.grid_maps import wait_settled
from app.analysis.render import outline_path
from fosp_core.infer.result import Prediction

__all__ = ["WORKER_PIXELS", "GridMasks", "MaskPictures", "mask_pictures"]

#: Images of this many pixels or more have their grid mask and outlines made on the worker.
WORKER_PIXELS = 1 << 20

Outline = tuple[np.ndarray, np.ndarray, np.ndarray]  # x, y, connect (outline_path)


@dataclass(frozen=True)
class MaskPictures:
    """What the prediction panel and the outlines show: `picture` uint8 (H, W) 0/255 (None: no
    prediction shown), the outlines' (x, y, connect) (None: none drawn)."""

    picture: np.ndarray | None
    prediction_outline: Outline | None
    truth_outline: Outline | None


def mask_pictures(prediction: Prediction | None, label: np.ndarray | None, threshold: float,
                  keep: str = "plain") -> MaskPictures:
    """The prediction panel's picture and outline of `prediction` at mask `threshold` (regions of rule
    `keep`), and the ground truth `label`'s outline (uint8 (H, W) 0/1/255; None: none). Any thread."""
    picture = outline = truth = None
    if prediction is not None:
        mask = prediction.mask(threshold, keep)
        picture = mask * np.uint8(255)
        outline = outline_path(mask)
    if label is not None:
        truth = outline_path(label == 1)
    return MaskPictures(picture, outline, truth)


class GridMasks(QObject):
    """Makes :func:`mask_pictures` where asked (small images) or on its worker (huge ones) and hands
    them to `show` on the GUI thread; `settled` once none is awaited."""

    ready = Signal(int, object)  # (token, MaskPictures), from the worker
    settled = Signal()

    def __init__(self, show: Callable[[MaskPictures], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._show = show
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fosp-grid-mask")
        self._token = 0  # the request still wanted (an int: read across threads)
        self._alive = True
        self._lock = threading.Lock()
        self.ready.connect(self._ready)
        self.pending = False
        #: the thread each of the last :func:`mask_pictures` ran on (tests; bounded: one a switch all session)
        self.threads: deque[threading.Thread] = deque(maxlen=16)

    def request(self, prediction: Prediction | None, label: np.ndarray | None, threshold: float,
                keep: str, shape: tuple[int, int]) -> bool:
        """Make the pictures of an image of `shape` (H, W): shown now below :data:`WORKER_PIXELS` or
        with nothing to draw (False), else on the worker (True: `show` comes later; an earlier request's answer is dropped)."""
        self._token += 1
        if shape[0] * shape[1] < WORKER_PIXELS or (prediction is None and label is None):  # (nothing to make)
            self.threads.append(threading.current_thread())
            self._show(mask_pictures(prediction, label, threshold, keep))
            self._settle()  # a huge image's answer awaited is not any more
            return False
        self.pending = True
        try:
            self._pool.submit(self._work, self._token, prediction, label, threshold, keep)
        except RuntimeError:  # the worker was stopped (the window closes): no one waits for it
            self._settle()
        return self.pending

    def cancel(self) -> None:
        """No answer awaited any more (the panels were cleared)."""
        self._token += 1
        self._settle()

    def _settle(self) -> None:
        """No answer awaited: `settled` when one was (an export waiting in :meth:`wait` goes on)."""
        if self.pending:
            self.pending = False
            self.settled.emit()

    def _work(self, token: int, prediction: Prediction | None, label: np.ndarray | None, threshold: float,
              keep: str) -> None:
        if token != self._token:
            return  # asked again meanwhile: not worth its seconds
        self.threads.append(threading.current_thread())
        pictures = mask_pictures(prediction, label, threshold, keep)
        with self._lock:
            if self._alive and token == self._token:
                try:
                    self.ready.emit(token, pictures)
                except RuntimeError:  # the QObject was deleted meanwhile (the window closed)
                    pass

    def _ready(self, token: int, pictures: MaskPictures) -> None:
        if not self._alive:  # queued before `close` (the grid destroyed): its panels are gone
            self.pending = False
            return
        if token != self._token or not self.pending:
            return  # stale: other content asked for meanwhile
        self.pending = False
        self._show(pictures)
        self.settled.emit()

    def wait(self) -> None:
        """Return once the pictures asked for are shown (the GUI thread's events run meanwhile)."""
        wait_settled(self.settled, lambda: self.pending)  # (its limit: a failed worker would keep an export waiting)

    def close(self) -> None:
        """Stop: a queued request is dropped, the one running finishes and tells no one."""
        with self._lock:
            self._alive = False
        self._pool.shutdown(wait=False, cancel_futures=True)
