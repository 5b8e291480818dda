"""Patch-based undo/redo history for uint8 masks: only changed rectangles are stored.

A step is what one user action changed (one brush stroke, one fill, one clean-up): a list of
`Patch` objects, each the old and the new values of one rectangle, plus the document status
before and after. Patches larger than `COMPRESS_MIN_BYTES` are kept zlib-compressed (masks are
long runs of 0/1/255, which compress 50-500x), so memory is bounded by what changed, not by the
image size.

Rectangles are (y0, y1, x0, x1): rows y0..y1-1 and columns x0..x1-1 of the HxW mask
(row/column order, end exclusive, like numpy slicing ``mask[y0:y1, x0:x1]``).

Bounds: the stack keeps at most `max_steps` undo steps and at most `max_bytes` bytes of stored
patches (oldest steps are dropped first; the newest step is always kept).
"""

from __future__ import annotations

import zlib
from collections import deque
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Rect", "Patch", "Step", "History", "COMPRESS_MIN_BYTES", "union_rect"]

Rect = tuple[int, int, int, int]  # (y0, y1, x0, x1), end exclusive

COMPRESS_MIN_BYTES = 2048
_ZLIB_LEVEL = 1  # fast; mask patches compress well even at level 1


def union_rect(a: Rect | None, b: Rect | None) -> Rect | None:
    """The smallest rectangle holding both (None counts as empty)."""
    if a is None:
        return b
    if b is None:
        return a
    return (min(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3]))


def _pack(values: np.ndarray) -> bytes:
    raw = np.ascontiguousarray(values, dtype=np.uint8).tobytes()
    return zlib.compress(raw, _ZLIB_LEVEL) if len(raw) >= COMPRESS_MIN_BYTES else raw


def _unpack(data: bytes, shape: tuple[int, int]) -> np.ndarray:
    size = shape[0] * shape[1]
    raw = data if size < COMPRESS_MIN_BYTES else zlib.decompress(data)
    return np.frombuffer(raw, dtype=np.uint8).reshape(shape)


@dataclass
class Patch:
    """Old and new uint8 values of one rectangle `rect` = (y0, y1, x0, x1) of the mask."""

    rect: Rect
    _old: bytes
    _new: bytes

    @classmethod
    def from_arrays(cls, rect: Rect, old: np.ndarray, new: np.ndarray) -> Patch:
        """Build from two uint8 arrays of shape (y1-y0, x1-x0)."""
        return cls(rect, _pack(old), _pack(new))

    @property
    def shape(self) -> tuple[int, int]:
        y0, y1, x0, x1 = self.rect
        return (y1 - y0, x1 - x0)

    @property
    def old(self) -> np.ndarray:
        """Values before the step (read-only uint8 array of `shape`)."""
        return _unpack(self._old, self.shape)

    @property
    def new(self) -> np.ndarray:
        """Values after the step (read-only uint8 array of `shape`)."""
        return _unpack(self._new, self.shape)

    @property
    def nbytes(self) -> int:
        """Bytes held by this patch (compressed sizes)."""
        return len(self._old) + len(self._new)


@dataclass
class Step:
    """One undo step: its label ("brush", "fill holes", ...), patches and status before/after."""

    label: str
    patches: list[Patch] = field(default_factory=list)
    status_before: str | None = None
    status_after: str | None = None

    @property
    def nbytes(self) -> int:
        return sum(p.nbytes for p in self.patches) + 64

    @property
    def rect(self) -> Rect | None:
        """Union of the patch rectangles (None for a status-only step)."""
        out: Rect | None = None
        for p in self.patches:
            out = union_rect(out, p.rect)
        return out


class History:
    """Undo and redo stacks of `Step`, bounded by step count and stored bytes."""

    def __init__(self, max_steps: int = 256, max_bytes: int = 160 * 1024 * 1024) -> None:
        if max_steps < 1:
            raise ValueError("max_steps must be >= 1")
        self.max_steps = max_steps
        self.max_bytes = max_bytes
        self._undo: deque[Step] = deque()
        self._redo: list[Step] = []
        self._bytes = 0

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_count(self) -> int:
        return len(self._undo)

    @property
    def redo_count(self) -> int:
        return len(self._redo)

    @property
    def nbytes(self) -> int:
        """Bytes of all stored patches, undo and redo stacks together."""
        return self._bytes

    def labels(self) -> list[str]:
        """Undo step labels, oldest first (for a history panel)."""
        return [s.label for s in self._undo]

    def push(self, step: Step) -> None:
        """Record a new step; clears the redo stack and trims the oldest steps to the bounds."""
        for old in self._redo:
            self._bytes -= old.nbytes
        self._redo.clear()
        self._undo.append(step)
        self._bytes += step.nbytes
        self._trim()

    def pop_undo(self) -> Step | None:
        """Take the newest step for undoing and move it to the redo stack."""
        if not self._undo:
            return None
        step = self._undo.pop()
        self._redo.append(step)
        return step

    def pop_redo(self) -> Step | None:
        """Take the most recently undone step for redoing and move it back to the undo stack."""
        if not self._redo:
            return None
        step = self._redo.pop()
        self._undo.append(step)
        return step

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
        self._bytes = 0

    def _trim(self) -> None:
        while len(self._undo) > 1 and (len(self._undo) > self.max_steps or self._bytes > self.max_bytes):
            self._bytes -= self._undo.popleft().nbytes
