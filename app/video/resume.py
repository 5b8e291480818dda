"""The frame last shown from each video, kept in QSettings, so that a video opened again (after another
video, images, or a restart) resumes there, as a folder resumes on the image last shown from it
(:mod:`app.recent`). Written once per video closed, never per frame."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings

__all__ = ["LAST_FRAMES_KEY", "LAST_FRAMES_LIMIT", "LastFrames"]

LAST_FRAMES_KEY = "video/last_frames"
LAST_FRAMES_LIMIT = 50  # videos whose last frame is kept (the most recent)


class LastFrames:
    """{resolved video path: frame last shown} under one QSettings key, most recent first."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def frame(self, video: str | Path) -> int:
        """The frame last shown from `video` (0 when unknown)."""
        key = str(Path(video).resolve())
        return next((frame for path, frame in self._pairs() if path == key), 0)

    def remember(self, video: str | Path, frame: int) -> None:
        """Record `frame` as the one last shown from `video`."""
        key = str(Path(video).resolve())
        pairs = [(key, int(frame)), *((p, f) for p, f in self._pairs() if p != key)]
        self._settings.setValue(LAST_FRAMES_KEY, json.dumps(pairs[:LAST_FRAMES_LIMIT]))

    def _pairs(self) -> list[tuple[str, int]]:
        try:
            pairs = json.loads(str(self._settings.value(LAST_FRAMES_KEY, "[]")))
            return [(str(path), max(0, int(frame))) for path, frame in pairs]
        except (ValueError, TypeError):  # hand-edited or from another version: start afresh
            return []
