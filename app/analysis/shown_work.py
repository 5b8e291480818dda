"""The shown result's layer arrays made off the GUI thread on huge photos.

Showing a result the inference thread did not prepare (a cached one, another image's, a threshold
or rule other than the run's) made its layer arrays on the GUI thread
(:func:`~app.analysis.prepared.shown_layers`: the prediction mask at the threshold, the ground
truth's mask, the error map): 129-679 ms a switch at 48 MP under load (session 28, C), most of it
`Prediction.mask`. :class:`ShownWork` makes them, with the same call, on a worker thread for images
of :data:`WORKER_PIXELS` pixels or more (a :class:`~app.analysis.worker_lane.WorkerLane`), and hands
them to `take` on the GUI thread; a request asked again meanwhile (another result, a threshold move)
makes the older one's answer stale, dropped (and skipped when the worker had not reached it).
Smaller images (a few ms) are made where asked.

A threshold or region-rule move (the τ slider) on such an image makes only the threshold-dependent
arrays (:func:`thresholded_traced`: the prediction mask and the error map, with the shown mask's
outline) the same way: 48 MP took 0.4-1 s of the GUI thread a move (session 29, N).

An export asked while such work is pending (Export View in the ~0.2 s after a switch) waits for it
(:meth:`ShownWork.wait`, the GUI thread's events running meanwhile): it read the layers before they
came, and wrote the image with none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.analysis.grid_maps import wait_settled
from app.analysis.layer_drawing import TracedOutline, trace_outlines
from app.analysis.prepared import PreparedResult, shown_layers
from app.analysis.worker_lane import WorkerLane
from app.relay import Relay
from fosp_core.analysis.layers import Outline, thresholded_arrays
from fosp_core.infer.result import Prediction

__all__ = ["WORKER_PIXELS", "ShownLayers", "ShownWork", "huge", "shown_layers_traced", "thresholded_traced"]

#: Images of this many pixels or more have their layer arrays made on the worker.
WORKER_PIXELS = 1 << 20


def huge(shape: tuple[int, ...]) -> bool:
    """Whether an image of `shape` (H, W, ...) has its layer arrays made on the worker."""
    return int(shape[0]) * int(shape[1]) >= WORKER_PIXELS


class ShownLayers(NamedTuple):
    """The layer arrays of a result to show: :func:`~app.analysis.prepared.shown_layers`'s `arrays`
    and `codes`, and the `outlines` traced of some of them (name -> :class:`TracedOutline`)."""

    arrays: dict[str, np.ndarray]
    codes: np.ndarray | None
    outlines: dict[str, TracedOutline]


def shown_layers_traced(prediction: Prediction, threshold: float, label: np.ndarray | None, keep: str,
                        prepared: PreparedResult | None, outlined: Iterable[tuple[str, Outline]] = ()) -> ShownLayers:
    """:func:`~app.analysis.prepared.shown_layers`, with the outlines of the layers `outlined` (name,
    its outline: those shown now) traced where their array is at the image's size already (the
    prediction mask, the ground truth; a map held at the grid is traced with its drawing,
    :mod:`app.analysis.layer_drawing`). Any thread."""
    arrays, codes = shown_layers(prediction, threshold, label, keep, prepared)
    return ShownLayers(arrays, codes, trace_outlines(arrays, outlined))


def thresholded_traced(prediction: Prediction, threshold: float, label: np.ndarray | None, keep: str,
                       codes: np.ndarray | None, outlined: Iterable[tuple[str, Outline]] = ()) -> ShownLayers:
    """:func:`~fosp_core.analysis.layers.thresholded_arrays` (what a threshold move makes: the
    prediction mask, the error map against `label` and its `codes`), with the outlines of the layers
    `outlined` (name, its outline: the shown outlined ones) traced; `codes` handed back as they are.
    Any thread."""
    arrays = thresholded_arrays(prediction, threshold, label, keep, codes)
    return ShownLayers(arrays, codes, trace_outlines(arrays, outlined))


class _ReadyRelay(Relay):
    """What the worker answers on (:mod:`app.relay`): queued on to the owner's `ready`."""

    ready = Signal(int, object)


class ShownWork(QObject):
    """Runs one piece of work at a time for the shown result on its worker; the answer of the last
    one asked goes to `take` (on the GUI thread) unless cancelled or closed meanwhile; `settled` once
    none is awaited any more (taken, cancelled, closed)."""

    ready = Signal(int, object)  # (token, the work's result), from the worker
    settled = Signal()

    def __init__(self, take: Callable[[Any], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._take = take
        self._taker = take  # who takes the answer of the last request
        self.lane = WorkerLane("fosp-shown-layers")
        self._relay = _ReadyRelay()  # what the worker emits on: its jobs hold the relay, never this object
        self._relay.forward_to(self, "ready")
        self.ready.connect(self._ready)
        self.pending = False

    def request(self, work: Callable[[], Any], take: Callable[[Any], None] | None = None) -> bool:
        """Run `work` on the worker (an earlier request's answer is dropped); its answer goes to `take`
        (None: the one given at construction). False: the worker is stopped (the window closes),
        nothing will come."""
        self.lane.current += 1
        self._taker = take or self._take
        relay = self._relay
        self.pending = self.lane.submit(self.lane.current, work, lambda token, result: relay.ready.emit(token, result))
        return self.pending

    def cancel(self) -> None:
        """No answer awaited any more (the view shows something else now)."""
        self.lane.current += 1
        self._settle()

    def wait(self) -> None:
        """Return once the answer awaited is taken (at once when none is; the GUI thread's events run
        meanwhile, a failed worker's at most :func:`~app.analysis.grid_maps.wait_settled`'s limit)."""
        wait_settled(self.settled, lambda: self.pending)

    def _settle(self) -> None:
        if self.pending:
            self.pending = False
            self.settled.emit()

    def _ready(self, token: int, result: object) -> None:
        if not self.lane.alive or token != self.lane.current or not self.pending:
            return  # stale (asked again, or cancelled, meanwhile), or closed: the view is gone
        self.pending = False
        try:
            self._taker(result)
        finally:
            self.settled.emit()

    def close(self) -> None:
        """Stop: a queued request is dropped, the one running finishes and tells no one."""
        self._settle()
        self.lane.close()
