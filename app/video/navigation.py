"""Going from frame to frame in the video view: seeking, scrubbing, stepping, playing, and the frames
the decoder hands back (shown, or undecodable).

:class:`FrameNavigation` is a part of :class:`~app.video.mode.VideoMode` (a mixin: its methods are the
view's ``seek``, ``scrub``, ``step``, ...), kept apart because the rule for which frame is shown is a
concept of its own: a seek shows its frame number, document and prediction at once, and the picture
once decoded; playback and scrubbing never drop a decoded frame for a newer request (see ``scrub``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.video.overlay import undecodable_frame

if TYPE_CHECKING:
    import numpy as np
    from PySide6.QtCore import QObject, SignalInstance

    from app.host import AppWindow
    from app.video.frame_editing import FrameEditor
    from app.video.playback import Playback
    from app.video.timeline_widget import TimelineWidget
    from app.video.workers import FrameFetcher, PredictionWorker
    from fosp_core.video.reader import FrameReader

__all__ = ["FrameNavigation"]


class FrameNavigation:
    """Frame navigation of the video view (see module doc); VideoMode sets these attributes."""

    window: AppWindow
    reader: FrameReader | None
    fetcher: FrameFetcher | None
    worker: PredictionWorker | None
    timeline: TimelineWidget
    editor: FrameEditor
    playback: Playback
    frame_shown: SignalInstance
    frame_failed: SignalInstance
    failed_frames: set[int]
    index: int
    target: int
    shown_index: int
    shown_rgb: np.ndarray | None
    _request: int
    _decoding: bool

    if TYPE_CHECKING:  # VideoMode's (and QObject's)
        @property
        def active(self) -> bool: ...

        @property
        def frame_count(self) -> int: ...

        def sender(self) -> QObject | None: ...

        def show_prediction(self) -> None: ...

        def _update_info(self) -> None: ...

    def seek(self, index: int) -> None:
        """Show frame `index` (clamped) now: its number, document and prediction at once, its picture
        once decoded. Never waits: decoding and prediction run elsewhere."""
        if self.reader is None or self.fetcher is None:
            return
        self.target = index = max(0, min(int(index), self.frame_count - 1))
        if index != self.index:
            self._go(index)

    def scrub(self, index: int) -> None:
        """Go to frame `index` (clamped) as playback, the timeline and frame steps do: while a frame
        decodes, only say where to go next (`target`); the frame being decoded is shown when it comes,
        then the latest target is decoded. Playback and scrubbing slower to decode than they ask keep
        moving (dropping frames) instead of dropping every picture, and the frame number shown is the
        picture's once it is on the canvas."""
        if self.reader is None or self.fetcher is None:
            return
        index = max(0, min(int(index), self.frame_count - 1))
        if index == self.target:
            return
        self.target = index
        if not self._decoding:
            self._go(index)

    def _go(self, index: int) -> None:
        """Decode frame `index` and make it the current frame (number, document, prediction)."""
        assert self.fetcher is not None
        self.index = index
        self.timeline.set_position(index)
        self._request = self.fetcher.request(index)
        self._decoding = True
        if self.worker is not None:
            self.worker.playhead_moved(index)
        self.editor.open_document()
        self.show_prediction()

    def _decoded(self, request_id: int) -> None:
        """The frame of request `request_id` was shown or failed: go on to the latest target."""
        if request_id != self._request:
            return
        self._decoding = False
        if self.target != self.index and self.reader is not None:
            self._go(self.target)

    def step(self, delta: int) -> None:
        self.playback.stop()
        self.scrub(self.target + delta)  # from where the last key press went, even before it is shown

    def toggle_play(self) -> None:
        if self.playback.playing:
            self.playback.stop()
        elif self.active:
            self.playback.start(self.target)

    def _from_fetcher(self) -> bool:
        """The frame being handled comes from the open video's fetcher: a closed video's fetcher may
        have queued one just before it stopped (its request ids are no different from the new one's)."""
        return self.fetcher is not None and self.sender() is self.fetcher

    def _on_frame_ready(self, request_id: int, index: int, rgb: np.ndarray) -> None:
        if not self._from_fetcher() or (request_id != self._request and self.shown_index >= 0):
            return  # another video's, or a newer frame is on its way
        self.window.canvas.set_image(rgb)
        self.window.size_label.setText(f"{rgb.shape[1]} × {rgb.shape[0]} px")
        self.shown_index, self.shown_rgb = index, rgb
        self.frame_shown.emit(index)
        self._decoded(request_id)

    def _on_frame_failed(self, request_id: int, index: int, reason: str) -> None:
        if not self._from_fetcher():
            return
        self.note_undecodable(index)
        self.window.statusBar().showMessage(f"Frame {index}: {reason}", 4000)
        if request_id == self._request and not self.playback.playing:  # playback skips it: the last frame stays
            self._show_undecodable(index)
        self.frame_failed.emit(index)
        self._decoded(request_id)

    def note_undecodable(self, index: int) -> None:
        """Frame `index` could not be decoded (here or by the prediction worker): count and mark it."""
        if index not in self.failed_frames and self.reader is not None:
            self.failed_frames.add(index)
            self._update_info()
            self.timeline.set_failed(sorted(self.failed_frames))

    def _show_undecodable(self, index: int) -> None:
        """The frame the user is on cannot be decoded: the canvas says so (never another frame's picture
        under its number) and the tools get nothing to paint blind."""
        if self.reader is None:
            return
        meta = self.reader.meta
        self.window.canvas.set_image(undecodable_frame(meta.height, meta.width, index))
        self.editor.close_document(index)

    def _on_playing_changed(self, playing: bool) -> None:
        if not playing and self.index in self.failed_frames:  # stopped on a frame it skipped
            self._show_undecodable(self.index)
