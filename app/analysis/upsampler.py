"""Layer maps held at the network's grid brought to the image's size off the GUI thread.

A letterboxed prediction holds its Focus Map, τ hole, separated background, foreground energies and
side maps as :class:`~fosp_core.infer.gridmap.GridMap` (a few MB at any image size). Drawing one
needs its full-size array (``GridMap.full()``: 0.5-2.6 s for the Focus Map, hole and background of
a 48 MP photo under load, most of it the background's three channels). :class:`LayerUpsampler`
makes it on a worker thread: :meth:`~LayerUpsampler.request` with a token (the view's generation:
which result it was asked for), `ready` (token, layer name, the map asked for, its full array)
comes back on the GUI thread. A request whose token is no longer the current one when the worker
reaches it is skipped (the user moved on: its seconds are not spent), and the receiver drops an
answer that is stale when it arrives. One worker, requests in order: the layers of one result
come one after the other, each drawn as it is ready.

Other readers share that worker (``LayerUpsampler(share=...)``: the compare grid, the legend's
range), each with its own tokens and `ready`. A map is made once whoever asks: :func:`upsample`
hands back a full array it made recently while someone still holds it (weakly remembered: the
canvas's array, drawn, is the grid's too), and :func:`made_stats` says whether a map's min/max are
known already (no worker needed for the legend then).
"""

from __future__ import annotations

import threading
import weakref
from collections import deque
from functools import partial
from typing import Protocol

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.analysis.worker_lane import WorkerLane
from app.relay import Relay

__all__ = ["LayerUpsampler", "Upsamplable", "deferred", "made_stats", "upsample"]

#: Recently made full arrays, weakly: (the map, its full array), the newest last.
_RECENT: deque[tuple[object, weakref.ref[np.ndarray]]] = deque(maxlen=8)
_RECENT_LOCK = threading.Lock()


class Upsamplable(Protocol):
    """What the worker upsamples: a map with a ``full()`` (a GridMap)."""

    def full(self) -> np.ndarray: ...


def deferred(array: object) -> bool:
    """Whether layer `array` is a map whose full-size array is made on demand (not an ndarray): its
    drawing waits for :class:`LayerUpsampler`."""
    return not isinstance(array, np.ndarray) and callable(getattr(array, "full", None))


def _recent(source: object) -> np.ndarray | None:
    with _RECENT_LOCK:
        for held, ref in reversed(_RECENT):
            if held is source:
                return ref()
    return None


def upsample(source: Upsamplable) -> np.ndarray:
    """`source`'s full array (``full()``; the one made recently when someone still holds it), its
    min/max/any remembered by a GridMap (``note_stats``: the legend's range, read later, costs
    nothing then). Any thread."""
    full = _recent(source)
    if full is None:
        full = source.full()
        if isinstance(full, np.ndarray):
            with _RECENT_LOCK:
                _RECENT.append((source, weakref.ref(full)))
    note = getattr(source, "note_stats", None)
    if note is not None:
        note(full)
    return full


def made_stats(source: object) -> bool:
    """Whether `source`'s min/max are known without making its full array (an ndarray, or a GridMap
    whose full array was made once: ``GridMap.note_stats``)."""
    if not deferred(source):
        return True
    return bool(getattr(source, "_stats", None))


class _ReadyRelay(Relay):
    """What the worker says an upsample is done on (:mod:`app.relay`): queued on to the owner's `ready`."""

    ready = Signal(int, str, object, object)


class LayerUpsampler(QObject):
    """See the module docstring. ``ready(token, name, source, full)``. Its worker thread and token
    rules: a :class:`~app.analysis.worker_lane.WorkerLane`."""

    ready = Signal(int, str, object, object)

    def __init__(self, parent: QObject | None = None, share: LayerUpsampler | None = None) -> None:
        """`share`: another upsampler whose worker thread this one queues its requests on (closed by it)."""
        super().__init__(parent)
        self.lane = WorkerLane("fosp-upsample", None if share is None else share.lane)
        # the worker emits on this relay, never on the upsampler: a reader whose lane is never closed (the
        # legend's) may be deleted while the worker runs, and its jobs hold the relay only
        self._relay = _ReadyRelay()
        self._relay.forward_to(self, "ready")

    def set_current(self, token: int) -> None:
        """Requests of tokens other than `token` still queued are skipped."""
        self.lane.current = token

    def request(self, token: int, name: str, source: Upsamplable) -> None:
        """Make `source`'s full array on the worker; `ready` brings it back unless `token` is no
        longer the current one by then (skipped)."""
        relay = self._relay
        self.lane.submit(token, partial(upsample, source), lambda t, full: relay.ready.emit(t, name, source, full))

    def close(self) -> None:
        """Stop: queued requests are dropped, the one running finishes and tells no one."""
        self.lane.close()
