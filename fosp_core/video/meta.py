"""What is known about an opened video (:class:`VideoMeta`), the interface every frame reader offers
(:class:`FrameReader`), and telling a variable frame rate from the frames' timestamps
(:func:`detect_variable_rate`). The readers themselves are in :mod:`fosp_core.video.reader`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

__all__ = ["FrameReader", "VideoMeta", "detect_variable_rate"]


@dataclass(frozen=True)
class VideoMeta:
    """What is known about an opened video.

    path: the file (or the image-sequence folder); width, height: frame size in pixels;
    fps: nominal frames per second (> 0); frame_count: frames addressable by ``read`` (> 0);
    variable_fps: the container's timestamps are irregular (a file reader's ``time_of`` gives the
        frames' own times once its packet scan is done; ``VideoMeta.time_of`` stays nominal);
    warnings: user-facing remarks made while opening (variable rate, count corrected, ...).
    """

    path: Path
    width: int
    height: int
    fps: float
    frame_count: int
    variable_fps: bool = False
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def duration(self) -> float:
        """Nominal duration in seconds (frame_count / fps)."""
        return self.frame_count / self.fps

    @property
    def stem(self) -> str:
        """Name used in frame ids (``<stem>_<frame:06d>``)."""
        return self.path.stem if self.path.suffix else self.path.name

    def time_of(self, index: int) -> float:
        """Nominal time in seconds of frame `index`."""
        return index / self.fps


class FrameReader(Protocol):
    """A random-access source of RGB frames."""

    meta: VideoMeta

    def read(self, index: int) -> np.ndarray:
        """Frame `index` as RGB uint8 (H, W, 3); raises FrameDecodeError or IndexError."""
        ...

    def time_of(self, index: int) -> float:
        """Time in seconds at which frame `index` is shown, from the first frame."""
        ...

    def close(self) -> None:
        """Release the file handle (reading afterwards raises)."""
        ...


def detect_variable_rate(timestamps_ms: list[float], fps: float, tolerance: float = 0.25) -> bool:
    """Whether frame timestamps (ms, display order) stray from a constant 1000/fps spacing.

    More than 10 % of the intervals off by more than `tolerance` (relative) counts as variable.
    """
    if len(timestamps_ms) < 3 or fps <= 0:
        return False
    steps = np.diff(np.asarray(timestamps_ms, np.float64))
    nominal = 1000.0 / fps
    off = np.abs(steps - nominal) > tolerance * nominal
    return bool(np.count_nonzero(off) > max(1, 0.1 * len(steps)))
