"""Playback clock: a QTimer at the video's frame rate that says which frame should be on screen now.

The frame is computed from the elapsed wall time, not counted per tick, so a slow display drops
frames instead of falling behind (the frame fetcher also coalesces requests). Playback stops at the
last frame.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal


class Playback(QObject):
    """Signals: frame_due(index) when another frame should show; playing_changed(playing)."""

    frame_due = Signal(int)
    playing_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fps = 25.0
        self.frame_count = 0
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_tick)
        self._clock = QElapsedTimer()
        self._start_frame = 0
        self._last = -1
        self.dropped = 0

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def configure(self, frame_count: int, fps: float) -> None:
        self.stop()
        self.frame_count, self.fps = frame_count, max(0.1, fps)

    def start(self, from_frame: int) -> None:
        """Play from `from_frame` (from 0 when at the end)."""
        if self.frame_count <= 1:
            return
        self._start_frame = 0 if from_frame >= self.frame_count - 1 else from_frame
        self._last = self._start_frame
        self.dropped = 0
        self._clock.start()
        self._timer.start(max(1, int(1000.0 / self.fps)))
        self.playing_changed.emit(True)

    def stop(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.playing_changed.emit(False)

    def _on_tick(self) -> None:
        due = self._start_frame + int(self._clock.elapsed() * self.fps / 1000.0)
        if due >= self.frame_count - 1:
            due = self.frame_count - 1
            self.stop()
        if due != self._last:
            self.dropped += max(0, due - self._last - 1)
            self._last = due
            self.frame_due.emit(due)
