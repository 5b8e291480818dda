"""What Accept Prediction needs of a probability map, read once per map: its row and column maxima.

`cleanup.prediction_bounds` finds the bounding box of ``p > threshold`` from the row maxima of the
float32 (H, W) map and the column maxima of its rows in that box: a read of the whole map (48 MB at
4000x3000, 7-8 ms on the GUI thread) every time Shift+A is pressed. Every pixel above a threshold lies
in a row whose maximum is above it, so the columns of the box are those whose maximum over the whole
map is above it: both maxima are the threshold's business only through one comparison each, and one
`PredictionProfile` per map serves every threshold (``bounds``: two comparisons of H and W values).

`PROFILES` keeps the profiles of the last few maps, keyed by the map itself (its identity, held
weakly: a map that is let go is never confused with a new one at the same address). The app calls
`prepare` when a map reaches the current document (the prediction arrives), which reads it on a
worker thread; `ready` hands the profile to Accept Prediction, waiting for the rest of a computation
still running, or None when the map was never prepared (the caller then reads the map as before).
A map given to a document is not written afterwards (`fosp_core.metrics.decision.drop_outside`
returns a copy): the profile of a map written in place after `prepare` would be stale.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np

from fosp_core.annotation.history import Rect

__all__ = ["PROFILES", "PredictionProfile", "ProfileCache"]


@dataclass(frozen=True)
class PredictionProfile:
    """Row maxima (H,) and column maxima (W,) of a float (H, W) probability map, in its dtype;
    `has_nan` when a maximum is NaN (then `bounds` cannot answer from them)."""

    shape: tuple[int, int]
    row_max: np.ndarray
    col_max: np.ndarray
    has_nan: bool

    @classmethod
    def of(cls, probability: np.ndarray) -> PredictionProfile:
        """Read the whole map once per axis (no full-size temporary)."""
        probability = np.asarray(probability)
        row_max, col_max = probability.max(axis=1), probability.max(axis=0)
        has_nan = bool(np.isnan(row_max).any())
        return cls((int(probability.shape[0]), int(probability.shape[1])), row_max, col_max, has_nan)

    def bounds(self, threshold: float) -> Rect | None:
        """Bounding (y0, y1, x0, x1) of the pixels where p > threshold, or None where there is none;
        the same as ``cleanup.prediction_bounds`` reading the map (callers check `has_nan` first)."""
        rows = np.flatnonzero(self.row_max > threshold)
        if rows.size == 0:
            return None
        cols = np.flatnonzero(self.col_max > threshold)
        return (int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1)


class ProfileCache:
    """The profiles of the last `size` maps prepared (see module doc). Thread-safe."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._entries: OrderedDict[int, tuple[weakref.ref[np.ndarray], Future[PredictionProfile]]] = OrderedDict()
        self._lock = threading.Lock()

    def prepare(self, probability: np.ndarray | None) -> None:
        """Start reading `probability`'s profile on a worker thread (nothing when None, not an
        ndarray, or prepared already); returns at once."""
        if not isinstance(probability, np.ndarray) or probability.ndim != 2:
            return
        with self._lock:
            if self._find(probability) is not None:
                return
            future: Future[PredictionProfile] = Future()
            self._entries.pop(id(probability), None)  # a dead map's at this address: this one is the newest
            self._entries[id(probability)] = (weakref.ref(probability), future)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        worker = threading.Thread(target=_compute, args=(probability, future), name="fosp-prediction-profile",
                                  daemon=True)
        worker.start()

    def ready(self, probability: np.ndarray | None) -> PredictionProfile | None:
        """The profile of `probability` (waiting for a computation still running), or None when it
        was not prepared (or its computation failed)."""
        if probability is None:
            return None
        with self._lock:
            future = self._find(probability)
        if future is None:
            return None
        try:
            profile = future.result()
        except Exception:  # e.g. MemoryError on the worker: read the map as before
            return None
        return profile if profile.shape == probability.shape else None

    def clear(self) -> None:
        """Forget every profile."""
        with self._lock:
            self._entries.clear()

    def _find(self, probability: np.ndarray) -> Future[PredictionProfile] | None:
        entry = self._entries.get(id(probability))
        if entry is None or entry[0]() is not probability:
            return None
        self._entries.move_to_end(id(probability))
        return entry[1]


def _compute(probability: np.ndarray, future: Future[PredictionProfile]) -> None:
    if not future.set_running_or_notify_cancel():
        return
    try:
        future.set_result(PredictionProfile.of(probability))
    except BaseException as exc:  # handed to the waiter, who reads the map itself
        future.set_exception(exc)


#: The app's cache: the controller prepares the current document's map, Accept Prediction reads it.
PROFILES = ProfileCache()
