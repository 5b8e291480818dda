"""The frame last shown from each video, kept in QSettings, so that a video opened again (after another
video, images, or a restart) resumes there, as a folder resumes on the image last shown from it
(:mod:`app.recent`). Written once per video closed, never per frame."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from app.last_position import LastPositions

__all__ = ["LAST_FRAMES_KEY", "LAST_FRAMES_LIMIT", "LastFrames"]

LAST_FRAMES_KEY = "video/last_frames"
LAST_FRAMES_LIMIT = 50  # videos whose last frame is kept (the most recent)


def _frame(value: Any) -> int:
    """A frame number read from the settings (a negative one is the first)."""
    return max(0, int(value))


class LastFrames:
    """{resolved video path: frame last shown} under one QSettings key, most recent first."""

    def __init__(self, settings: QSettings) -> None:
        self._frames = LastPositions(settings, LAST_FRAMES_KEY, LAST_FRAMES_LIMIT, parse=_frame, dump=int)

    def frame(self, video: str | Path) -> int:
        """The frame last shown from `video` (0 when unknown)."""
        return self._frames.get(Path(video).resolve()) or 0

    def videos(self) -> tuple[Path, ...]:
        """The videos whose last frame is kept, most recent first (resolved paths)."""
        return tuple(Path(p) for p, _frame in self._frames._pairs())

    def remember(self, video: str | Path, frame: int) -> None:
        """Record `frame` as the one last shown from `video`."""
        self._frames.put(Path(video).resolve(), int(frame))
