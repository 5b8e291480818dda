"""Per-frame predictions of a video: a memory-bounded cache of probability maps and summaries of all
frames.

Probability maps are big (a 1080p map is 4 MB as float16), so :class:`PredictionCache` keeps at most
``max_bytes`` of them and, when full, evicts the frames farthest from the playhead. The per-frame
:class:`FrameSummary` (peak probability and the share of pixels above each hundredth, 202 bytes) is
small and kept for every frame ever predicted, so the plots over time stay complete after the maps
themselves were evicted, and follow a new mask threshold at once (:meth:`PredictionCache.set_threshold`).

Which frames to compute next is :meth:`PredictionCache.wanted`: the playhead first, then frames
ahead of it (playback goes forward), then a few behind.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import numpy as np

__all__ = ["AREA_STEPS", "DEFAULT_PREDICTION_BYTES", "FrameSummary", "PredictionCache", "summarize"]

DEFAULT_PREDICTION_BYTES = 256 * 1024 * 1024


#: The thresholds a summary keeps the smoke area at: 0, 0.01, ..., 1 (others are interpolated).
AREA_STEPS = 100


@dataclass(frozen=True, eq=False)
class FrameSummary:
    """peak: the highest probability; above: float16 (AREA_STEPS + 1,), the share of pixels with
    probability > k / AREA_STEPS; area: that share at the threshold the summary was made for."""

    area: float
    peak: float
    above: np.ndarray

    def area_at(self, threshold: float) -> float:
        """Share of pixels above `threshold` (exact at hundredths, linear between them)."""
        x = min(1.0, max(0.0, float(threshold))) * AREA_STEPS
        k = min(int(x), AREA_STEPS - 1)
        low, high = float(self.above[k]), float(self.above[k + 1])
        return low + (high - low) * (x - k)


def summarize(probability: np.ndarray, threshold: float = 0.5) -> FrameSummary:
    """The summary of one float (H, W) probability map in [0, 1]."""
    if probability.size == 0:
        return FrameSummary(0.0, 0.0, np.zeros(AREA_STEPS + 1, np.float16))
    flat = np.asarray(probability, dtype=np.float32).ravel()
    # q = ceil(p * S): p in ((q-1)/S, q/S], so p > k/S exactly when q >= k + 1 (float32 and uint8
    # throughout: a 1080p frame takes a few ms)
    q = np.multiply(flat, np.float32(AREA_STEPS))
    np.ceil(q, out=q)
    np.clip(q, 0, AREA_STEPS, out=q)
    counts = np.bincount(q.astype(np.uint8), minlength=AREA_STEPS + 1)
    at_least = np.cumsum(counts[::-1])[::-1]  # at_least[j]: pixels with q >= j
    above = np.zeros(AREA_STEPS + 1, np.float64)
    above[:AREA_STEPS] = at_least[1:] / flat.size
    return FrameSummary(float(np.count_nonzero(flat > threshold)) / flat.size, float(flat.max()),
                        above.astype(np.float16))


class PredictionCache:
    """Probability maps per frame index (stored float16) and summaries (see module doc).

    Thread-safe: a prediction worker puts, the GUI reads. ``model_key`` names the model (and settings)
    the maps came from; :meth:`reset` clears everything when it changes.
    """

    def __init__(self, frame_count: int, max_bytes: int = DEFAULT_PREDICTION_BYTES, threshold: float = 0.5) -> None:
        self.frame_count = int(frame_count)
        self.max_bytes = int(max_bytes)
        self.threshold = threshold
        self.model_key = ""
        self._maps: dict[int, np.ndarray] = {}
        self._summaries: dict[int, FrameSummary] = {}
        self._bytes = 0
        self._playhead = 0
        self._lock = threading.Lock()
        # the curves' arrays, kept as frames are put (summary_arrays asked every summary each call: 128 ms at
        # 90,000 frames, five times a second while frames are predicted); _area_at: the threshold of _area
        self._area = np.full(self.frame_count, np.nan)
        self._peak = np.full(self.frame_count, np.nan)
        self._area_at = threshold

    # --- state ---------------------------------------------------------------------------------
    @property
    def playhead(self) -> int:
        return self._playhead

    @property
    def nbytes(self) -> int:
        """Bytes held by the cached maps."""
        return self._bytes

    def __contains__(self, index: object) -> bool:
        return index in self._maps

    def cached_frames(self) -> list[int]:
        with self._lock:
            return sorted(self._maps)

    def reset(self, model_key: str = "") -> None:
        """Forget every map and summary (another model, threshold or video)."""
        with self._lock:
            self._maps.clear()
            self._summaries.clear()
            self._bytes = 0
            self.model_key = model_key
            self._area.fill(np.nan)
            self._peak.fill(np.nan)

    def set_playhead(self, index: int) -> None:
        """Where the user is; eviction keeps the frames nearest to it."""
        self._playhead = max(0, min(int(index), self.frame_count - 1))

    # --- maps ----------------------------------------------------------------------------------
    def put(self, index: int, probability: np.ndarray) -> FrameSummary:
        """Store frame `index`'s float (H, W) probability; returns its summary. Evicts far frames."""
        return self.put_prepared(index, *self.prepare(probability))

    def prepare(self, probability: np.ndarray) -> tuple[np.ndarray, FrameSummary]:
        """(float16 map, summary) of a float (H, W) probability: the arithmetic of :meth:`put`, for a
        caller to do outside its own locks before :meth:`put_prepared`."""
        return np.asarray(probability, dtype=np.float16), summarize(probability, self.threshold)

    def put_prepared(self, index: int, stored: np.ndarray, summary: FrameSummary) -> FrameSummary:
        """Store frame `index`'s map and summary from :meth:`prepare`; returns the summary."""
        with self._lock:
            self._summaries[index] = summary
            if 0 <= index < self.frame_count:
                self._area[index] = summary.area_at(self._area_at)
                self._peak[index] = summary.peak
            old = self._maps.pop(index, None)
            if old is not None:
                self._bytes -= old.nbytes
            self._maps[index] = stored
            self._bytes += stored.nbytes
            self._evict()
        return summary

    def get(self, index: int) -> np.ndarray | None:
        """Frame `index`'s probability as float32 (H, W), or None when not cached."""
        with self._lock:
            stored = self._maps.get(index)
        return None if stored is None else stored.astype(np.float32)

    def _evict(self) -> None:
        while self._bytes > self.max_bytes and len(self._maps) > 1:
            far = max(self._maps, key=lambda i: (abs(i - self._playhead), i))
            self._bytes -= self._maps.pop(far).nbytes

    def trim(self, max_bytes: int) -> None:
        """Drop the maps farthest from the playhead until at most `max_bytes` of them are left (the
        summaries stay): the cache of a video closed, kept for when it opens again."""
        with self._lock:
            while self._bytes > max(0, int(max_bytes)) and self._maps:
                far = max(self._maps, key=lambda i: (abs(i - self._playhead), i))
                self._bytes -= self._maps.pop(far).nbytes

    def capacity_frames(self, frame_bytes: int) -> int:
        """How many maps of `frame_bytes` (float16) fit in the budget (at least 1)."""
        return max(1, self.max_bytes // max(1, frame_bytes))

    # --- summaries -----------------------------------------------------------------------------
    def summary(self, index: int) -> FrameSummary | None:
        return self._summaries.get(index)

    def has_summary(self, index: int) -> bool:
        return index in self._summaries

    def summary_count(self) -> int:
        """How many frames have a summary (were predicted with the current model)."""
        return len(self._summaries)

    def set_threshold(self, threshold: float) -> None:
        """The mask threshold the areas are reported at; every summary follows (no map is needed)."""
        self.threshold = float(threshold)

    def summary_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(area at the cache's threshold, peak) float arrays of length frame_count, NaN where a frame
        was never predicted: copies of the arrays kept as frames are put (each summary is asked again only
        after the threshold changed, once)."""
        with self._lock:
            threshold = self.threshold
            if threshold != self._area_at:
                self._area_at = threshold
                for index, summary in self._summaries.items():
                    if 0 <= index < self.frame_count:
                        self._area[index] = summary.area_at(threshold)
            return self._area.copy(), self._peak.copy()

    # --- scheduling ----------------------------------------------------------------------------
    def wanted(self, ahead: int, behind: int = 2, frame_bytes: int = 0,
               skip: Iterable[int] | AbstractSet[int] = ()) -> list[int]:
        """Frames worth computing now, most urgent first: the playhead, then `ahead` frames after it,
        then `behind` before it, leaving out cached ones and `skip` (e.g. undecodable frames). The
        window shrinks to what the memory budget can hold when `frame_bytes` is given."""
        if frame_bytes:
            room = self.capacity_frames(frame_bytes) - 1
            ahead = min(ahead, room)
            behind = min(behind, max(0, room - ahead))
        head = self._playhead
        # a set is used as it is (the worker's failed frames: thousands in a damaged hour, copied at each pick)
        skipped = skip if isinstance(skip, AbstractSet) else set(skip)
        order = [head, *range(head + 1, head + 1 + ahead), *range(head - 1, head - 1 - behind, -1)]
        return [i for i in order if 0 <= i < self.frame_count and i not in self._maps and i not in skipped]
