"""An LRU of decoded frames bounded in bytes (thread-safe), shared by the frame readers."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

__all__ = ["DEFAULT_CACHE_BYTES", "FrameCache"]

DEFAULT_CACHE_BYTES = 192 * 1024 * 1024  # a reader's cache unless told otherwise


class FrameCache:
    """Frames by index, least recently used dropped first once `max_bytes` is exceeded.

    A frame larger than `max_bytes` is not kept (``max_bytes=0`` turns the cache off).
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, int(max_bytes))
        self._frames: OrderedDict[int, np.ndarray] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, index: int) -> np.ndarray | None:
        with self._lock:
            frame = self._frames.get(index)
            if frame is not None:
                self._frames.move_to_end(index)
            return frame

    def put(self, index: int, frame: np.ndarray) -> None:
        if frame.nbytes > self.max_bytes:
            return
        with self._lock:
            old = self._frames.pop(index, None)
            if old is not None:
                self._bytes -= old.nbytes
            self._frames[index] = frame
            self._bytes += frame.nbytes
            while self._bytes > self.max_bytes and self._frames:
                _, dropped = self._frames.popitem(last=False)
                self._bytes -= dropped.nbytes

    def clear(self) -> None:
        """Forget every frame."""
        with self._lock:
            self._frames.clear()
            self._bytes = 0

    def __contains__(self, index: object) -> bool:
        return index in self._frames

    def __len__(self) -> int:
        return len(self._frames)
