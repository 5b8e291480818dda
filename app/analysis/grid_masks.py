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
from dataclasses import dataclass
from functools import partial

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.analysis.grid_maps import wait_settled
from app.analysis.render import outline_path
from app.analysis.worker_lane import WorkerLane
from app.relay import Relay
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


class _ReadyRelay(Relay):
    """What the worker answers on (:mod:`app.relay`): queued on to the owner's `ready`."""

    ready = Signal(int, object)


class GridMasks(QObject):
    """Makes :func:`mask_pictures` where asked (small images) or on its worker (huge ones) and hands
    them to `show` on the GUI thread; `settled` once none is awaited. Its token (the request still
    wanted) is its lane's `current`."""

    ready = Signal(int, object)  # (token, MaskPictures), from the worker through the relay
    settled = Signal()

    def __init__(self, show: Callable[[MaskPictures], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._show = show
        self.lane = WorkerLane("fosp-grid-mask")  # its token: the request still wanted
        self._relay = _ReadyRelay()  # what the worker emits on: its jobs hold the relay, never this object
        self._relay.forward_to(self, "ready")
        self.ready.connect(self._ready)
        self.pending = False
        #: what the answer awaited brings: (the prediction's picture and outline, the ground truth's outline)
        self.awaited = (False, False)

    @property
    def threads(self) -> deque[threading.Thread]:
        """The thread each of the last :func:`mask_pictures` ran on (tests; the last 16)."""
        return self.lane.threads

    def request(self, prediction: Prediction | None, label: np.ndarray | None, threshold: float,
                keep: str, shape: tuple[int, int]) -> bool:
        """Make the pictures of an image of `shape` (H, W): shown now below :data:`WORKER_PIXELS` or
        with nothing to draw (False), else on the worker (True: `show` comes later; an earlier request's answer is dropped)."""
        self.lane.current += 1
        if shape[0] * shape[1] < WORKER_PIXELS or (prediction is None and label is None):  # (nothing to make)
            self.lane.threads.append(threading.current_thread())
            self._show(mask_pictures(prediction, label, threshold, keep))
            self._settle()  # a huge image's answer awaited is not any more
            return False
        self.pending, self.awaited = True, (prediction is not None, label is not None)
        relay = self._relay
        if not self.lane.submit(self.lane.current, partial(mask_pictures, prediction, label, threshold, keep),
                                lambda token, pictures: relay.ready.emit(token, pictures)):
            self._settle()  # the worker was stopped (the window closes): no one waits for it
        return self.pending

    def cancel(self) -> None:
        """No answer awaited any more (the panels were cleared)."""
        self.lane.current += 1
        self._settle()

    def _settle(self) -> None:
        """No answer awaited: `settled` when one was (an export waiting in :meth:`wait` goes on)."""
        if self.pending:
            self.pending = False
            self.settled.emit()

    def _ready(self, token: int, pictures: MaskPictures) -> None:
        if not self.lane.alive:  # queued before `close` (the grid destroyed): its panels are gone
            self.pending = False
            return
        if token != self.lane.current or not self.pending:
            return  # stale: other content asked for meanwhile
        self.pending = False
        self._show(pictures)
        self.settled.emit()

    def wait(self) -> None:
        """Return once the pictures asked for are shown (the GUI thread's events run meanwhile)."""
        wait_settled(self.settled, lambda: self.pending)  # (its limit: a failed worker would keep an export waiting)

    def close(self) -> None:
        """Stop: a queued request is dropped, the one running finishes and tells no one."""
        self.lane.close()
