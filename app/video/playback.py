"""Playback clock: a QTimer at the video's frame rate that says which frame should be on screen now.

The frame is computed from the elapsed wall time, not counted per tick, so a slow display drops
frames instead of falling behind (the frame fetcher also coalesces requests). Playback stops at the
last frame.

While it plays, Python's thread switch interval is :data:`PLAYING_SWITCH_INTERVAL_S` (1 ms instead of
5): the prediction thread runs the model's Python between torch operators holding the GIL, and the
GUI thread, which gives the GIL up in most Qt calls (paints, image conversions), waited up to the
interval each time it wanted it back (docs/benchmarks-gui.md, "The event loop's gaps during video
playback"). The interval before is restored when playback stops.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal

#: sys.setswitchinterval while a video plays (None: leave Python's as it is).
PLAYING_SWITCH_INTERVAL_S: float | None = 0.001


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
        self._switch_before: float | None = None  # the interval playback replaced (None: it did not)

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
        if PLAYING_SWITCH_INTERVAL_S is not None and self._switch_before is None:
            self._switch_before = sys.getswitchinterval()
            sys.setswitchinterval(PLAYING_SWITCH_INTERVAL_S)
        self.playing_changed.emit(True)

    def stop(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            if self._switch_before is not None:
                sys.setswitchinterval(self._switch_before)
                self._switch_before = None
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
