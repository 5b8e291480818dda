"""The frame last shown from each video, kept in QSettings, so that a video opened again (after another
video, images, or a restart) resumes there, as a folder resumes on the image last shown from it
(:mod:`app.recent`). Written when the video closes and once the playhead rests on a frame
(`RestingFrame`: `REST_MS` after the last frame shown, so a kill or crash loses at most those moments),
never per frame played or scrubbed over."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, QTimer

from app.last_position import LastPositions

__all__ = ["LAST_FRAMES_KEY", "LAST_FRAMES_LIMIT", "REST_MS", "LastFrames", "RestingFrame"]

LAST_FRAMES_KEY = "video/last_frames"
LAST_FRAMES_LIMIT = 50  # videos whose last frame is kept (the most recent)
REST_MS = 1000  # the playhead rests on a frame this long: it is recorded (RestingFrame)


def _frame(value: Any) -> int:
    """A frame number read from the settings (a negative one is the first)."""
    return max(0, int(value))


class LastFrames:
    """{resolved video path: frame last shown} under one QSettings key, most recent first."""

    def __init__(self, settings: QSettings) -> None:
        self._frames = LastPositions(settings, LAST_FRAMES_KEY, LAST_FRAMES_LIMIT, parse=_frame, dump=int)
        self._opened: tuple[str, Path] | None = None  # the video opened last: its path as given, resolved

    def resolved_as(self, video: str | Path, resolved: Path | None) -> None:
        """`video` (the one opened now) is `resolved`, resolved where it was opened: :meth:`frame` and
        :meth:`remember` (each time its playhead rests) do not look at the disk for it (a share that stopped
        answering held the GUI thread there); None: each resolves it."""
        self._opened = None if resolved is None else (str(video), resolved)

    def _resolved(self, video: str | Path) -> Path:
        opened = self._opened
        return opened[1] if opened is not None and opened[0] == str(video) else Path(video).resolve()

    def frame(self, video: str | Path) -> int:
        """The frame last shown from `video` (0 when unknown)."""
        return self._frames.get(self._resolved(video)) or 0

    def videos(self) -> tuple[Path, ...]:
        """The videos whose last frame is kept, most recent first (resolved paths)."""
        return tuple(Path(p) for p, _frame in self._frames.items())

    def remember(self, video: str | Path, frame: int) -> None:
        """Record `frame` as the one last shown from `video`."""
        self._frames.put(self._resolved(video), int(frame))


class RestingFrame(QObject):
    """Records the frame shown (`current`: (video, frame), None when no video is open) in `frames` once no
    other frame was shown for `REST_MS`: call `shown` at each frame shown (module doc)."""

    def __init__(self, frames: LastFrames, current: Callable[[], tuple[Path, int] | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._frames, self._current = frames, current
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REST_MS)
        self._timer.timeout.connect(self._record)

    def shown(self) -> None:
        """A frame reached the screen: recorded once it rests there."""
        self._timer.start()

    def _record(self) -> None:
        now = self._current()
        if now is not None:
            self._frames.remember(*now)
