"""Video mode of the main window: opens a video (or image sequence), shows its frames on the canvas,
plays and scrubs it, predicts frames in the background, and edits, marks and exports frames.

:class:`VideoMode` binds the Qt-free parts (`fosp_core.video`: reader, prediction cache, annotations)
to the widgets (timeline dock, side panel, canvas overlays). The window opens a video on a
:class:`~app.video.open_worker.VideoOpener` (the reader's open probes the file: :meth:`VideoMode.open_async`),
the video panel saying so meanwhile; the latest open wins (:class:`~app.video.opening.VideoOpening`). Decoding for display runs on a
:class:`~app.video.workers.FrameFetcher` (latest request wins) and predictions on a
:class:`~app.video.workers.PredictionWorker`, so neither scrubbing nor playback waits for the model;
which frame is asked for and shown is :class:`~app.video.navigation.FrameNavigation`'s (seek, scrub,
step, play). Closing a video never waits for the frame the model is predicting (the worker retires).

Each shown frame's mask document (from `VideoAnnotations`, saved on every commit) is lent to the
annotation tools by :class:`~app.video.frame_editing.FrameEditor` (keyframes, carry, accept
prediction too); leaving video mode gives the tools back to the image. Which model predicts, the
Model panel's Regions rule and threshold on every frame's map, whole-video runs and showing a
frame's prediction are :class:`~app.video.predicting.VideoPredictions`' (the overlay, the timeline's
area curve, "accept prediction" and the tools' threshold see only the regions the rule keeps; the
mask threshold is carry's too). The full analysis layers of a frame that settles (paused) are
:class:`~app.video.frame_layers.FrameLayers`'. Exports come from :class:`~app.video.exporting.VideoExporter`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QStackedWidget

from app.esc_cancel import EscCancel
from app.esc_keys_back import EscKeysBack
from app.video.chrome import ModeSwitch, add_hidden_dock, add_open_sequence_action, create_frame_actions
from app.video.exporting import VideoExporter
from app.video.frame_editing import FrameEditor
from app.video.frame_layers import FrameLayers
from app.video.lock_view import VideoLockView
from app.video.navigation import FrameNavigation
from app.video.open_worker import VideoOpener
from app.video.opening import VideoOpening
from app.video.overlay import ProbabilityOverlay
from app.video.panel import VideoPanel
from app.video.playback import Playback
from app.video.predicting import VideoPredictions, with_regions
from app.video.preview import Frame0Preview
from app.video.resume import LastFrames, RestingFrame
from app.video.switching import VideoSwitching
from app.video.timeline_widget import TimelineWidget
from app.video.workers import FrameFetcher, PredictionWorker, ProbabilityFn, wait_for_retired
from fosp_core.annotation.document import AnnotationDocument
from fosp_core.video.predictions import PredictionCache
from fosp_core.video.reader import FrameReader
from fosp_core.video.timeline import VideoAnnotations

if TYPE_CHECKING:
    from app.host import AppWindow

__all__ = ["FRAME_STEP", "VideoMode", "with_regions"]

#: Frames that Page Down / Page Up move (CVAT's default step).
FRAME_STEP = 10


class VideoMode(QObject, VideoOpening, VideoSwitching, FrameNavigation):
    """See module doc. Signals: frame_shown(index) after a frame reached the canvas; frame_failed(index)
    after a frame could not be decoded (counted in failed_frames); opened(path); left() once back in image
    mode, the image shown (the image analysis, idle meanwhile, catches up); export_finished(report
    or error message) (the exporter's `finished`)."""

    frame_shown = Signal(int)
    frame_failed = Signal(int)
    opened = Signal(object)
    left = Signal()

    def __init__(self, window: AppWindow) -> None:
        super().__init__(window)
        self.window = window
        self.reader: FrameReader | None = None
        self.fetcher: FrameFetcher | None = None
        self.worker: PredictionWorker | None = None
        self.cache: PredictionCache | None = None
        self.annotations: VideoAnnotations | None = None
        self.index = 0
        self._frame_count = 0
        #: The frame asked for last (`index` until a seek waits for the frame being decoded).
        self.target = 0
        self._decoding = False  # a frame of the current request is being decoded
        self.shown_index = -1
        self.shown_rgb: np.ndarray | None = None  # the picture of frame shown_index on the canvas
        self.failed_frames: set[int] = set()
        #: Where video annotations are kept (None: ``.fosp/`` next to the video); tests point it elsewhere.
        self.state_root: Path | None = None
        #: A throw-away folder for state_root (``--screenshot``), removed when the window closes.
        self.scratch: tempfile.TemporaryDirectory[str] | None = None
        self._request = 0
        self.opener = VideoOpener(self)
        #: The open under way on the opener: (request id, path, what to do once the video is shown).
        self._opening: tuple[int, Path, Callable[[], object] | None] | None = None
        self.esc = EscCancel(window, lambda: self.cancel_open(say=True), self)  # Esc cancels it, as an image open
        self.timeline = TimelineWidget()
        self.panel = VideoPanel()
        #: The dock's pages: the open video's timeline, and a frame-0 preview's (app.video.preview_timeline)
        self.timeline_stack = QStackedWidget()
        self.timeline_stack.addWidget(self.timeline)
        self.timeline_dock = add_hidden_dock(window, "Timeline", "video_timeline_dock", self.timeline_stack,
                                             Qt.DockWidgetArea.BottomDockWidgetArea)
        self.panel_dock = add_hidden_dock(window, "Video", "video_panel_dock", self.panel,
                                          Qt.DockWidgetArea.RightDockWidgetArea, scroll=True)
        self.overlay = ProbabilityOverlay(window.canvas, self)
        self.controller = window.annotation.controller  # the shared annotation tools
        self.editor = FrameEditor(self)
        self.lock_view = VideoLockView(self)  # Annotate ▸ Take Over… for the video, a lock lost said
        self.predictions = VideoPredictions(self, self)
        self.models = self.predictions.models
        self.exporter = VideoExporter(window)
        self.export_finished = self.exporter.finished
        self.playback = Playback(self)
        #: The analysis layers of the frame shown, once it settles (app.video.frame_layers).
        self.frame_layers = FrameLayers(self)
        #: The frame last shown from each video: opening one again resumes there.
        self.last_frames = LastFrames(window.services.settings)
        self.resting = RestingFrame(self.last_frames, self._resting_frame, self)  # recorded as it rests too
        self.actions = self._create_actions()
        self.modes = ModeSwitch(window, self.timeline_dock, self.panel_dock, self.actions, self.export_dialog,
                                self.predict_whole, self.cancel_whole)
        #: A long video's frame 0 while its packets are indexed (app.video.preview).
        self.preview = Frame0Preview(self)
        self._bind()

    @property
    def document(self) -> AnnotationDocument | None:
        """The shown frame's mask document (lent to the annotation tools), None when there is none."""
        return self.editor.document

    @property
    def active(self) -> bool:
        """A video is open (the window is in video mode)."""
        return self.reader is not None

    # --- building ------------------------------------------------------------------------------
    def _create_actions(self) -> list[QAction]:
        specs = [("Play / Pause", ["Space"], self.toggle_play), ("Next Frame", ["Right", "."], lambda: self.step(1)),
                 ("Previous Frame", ["Left", ","], lambda: self.step(-1)),
                 ("Forward 10 Frames", ["PgDown"], lambda: self.step(FRAME_STEP)),  # CVAT's step (its V, C)
                 ("Back 10 Frames", ["PgUp"], lambda: self.step(-FRAME_STEP)),
                 ("Go to Frame…", ["Ctrl+G"], self.go_to_frame),  # as Go to Image in image mode
                 ("First Frame", ["Home"], lambda: self.seek(0)),
                 ("Last Frame", ["End"], lambda: self.seek(self.frame_count - 1)),
                 ("Next Keyframe", ["Ctrl+Right"], lambda: self.editor.jump("keyframes", 1)),
                 ("Previous Keyframe", ["Ctrl+Left"], lambda: self.editor.jump("keyframes", -1)),
                 ("Next Edited Frame", ["Shift+Right"], lambda: self.editor.jump("edited", 1)),
                 ("Previous Edited Frame", ["Shift+Left"], lambda: self.editor.jump("edited", -1)),
                 ("Toggle Keyframe", ["K"], self.toggle_keyframe), ("Carry Mask from Previous Frame", ["C"], self.carry)]
        self.open_sequence_action = add_open_sequence_action(self.window, self.open_sequence_dialog)
        return create_frame_actions(self.window, specs)

    def _bind(self) -> None:
        t, p = self.timeline, self.panel
        t.seek_requested.connect(self.scrub)
        self.frame_shown.connect(self.resting.shown)
        t.step_requested.connect(self.step)
        t.play_toggled.connect(self.toggle_play)
        t.frame_entered.connect(self.window.canvas.setFocus)  # Space, arrows, K act on the frame again
        self._esc_back = [EscKeysBack(box, self.window.canvas) for box in (t.frame_box, p.smoothing_radius)]
        self.playback.frame_due.connect(self.scrub)
        self.playback.playing_changed.connect(t.set_playing)
        self.playback.playing_changed.connect(self._on_playing_changed)
        p.keyframe_button.clicked.connect(self.toggle_keyframe)
        p.keyframe_list.itemClicked.connect(lambda item: self.seek(int(item.data(256))))
        p.keyframe_list.currentItemChanged.connect(  # Up/Down in the list, as a click
            lambda item, _previous: item is not None and self.seek(int(item.data(256))))
        p.carry_button.clicked.connect(self.carry)
        p.accept_button.clicked.connect(self.accept_prediction)
        p.undo_button.clicked.connect(self.controller.undo)
        p.tools_button.clicked.connect(self.editor.show_tools)
        p.export_button.clicked.connect(self.export_dialog)  # the model's buttons: VideoPredictions
        p.opening_cancel.clicked.connect(lambda: self.cancel_open(say=True))
        self.opener.opened.connect(self._on_open_done)
        self.opener.failed.connect(self._on_open_failed)
        self.opener.probed.connect(self._on_probed)
        self.opener.indexing.connect(self._on_indexing)
        self.frame_shown.connect(self._show_place)  # the status bar's place: the frame's, not the images'
        self.left.connect(lambda: self._show_place(None))
        analysis = getattr(self.window, "analysis", None)
        if analysis is not None:  # idle while a video is open, a Run on All paused (app.analysis.standby)
            self.opened.connect(lambda _path: analysis.video_entered())
            self.left.connect(analysis.video_left)

    def _show_place(self, index: int | None) -> None:
        """The status bar's place readout says frame `index` as the timeline does (None: the image's place)."""
        readouts = getattr(self.window, "readouts", None)  # (made after the video mode)
        if readouts is not None:
            last = max(self.frame_count - 1, 0)
            readouts.position.show_frame(None if index is None else f"frame {index:>{len(str(last))}} / {last}")

    def _resting_frame(self) -> tuple[Path, int] | None:
        """(video, frame shown) for `RestingFrame`; None when no frame of a video is shown."""
        return (self.reader.meta.path, self.shown_index) if self.reader is not None and self.shown_index >= 0 else None

    def go_to_frame(self) -> None:
        """The cursor in the timeline's Go to box (its dock shown again if it was closed)."""
        self.timeline_dock.show()
        self.timeline_dock.raise_()
        self.timeline.focus_frame_box()

    @property
    def frame_count(self) -> int:
        """The frames of the open video (0: none): those its reader can read, fewer than its header counts in
        a file cut short (:func:`~fosp_core.video.numbering_check.readable_count`, once indexed)."""
        return self._frame_count if self.reader is not None else 0

    # --- behind a preview (app.video.preview) ---------------------------------------------------
    def _on_indexing(self, request_id: int, done: int, total: int) -> None:
        """The opening file's packets indexed: the open's busy bar (and a preview's timeline) counts them."""
        if self._opening is not None and self._opening[0] == request_id:
            text, bar = self.panel.set_indexing(done, total), self.window.statusBar()
            if not bar.currentMessage() or bar.currentMessage().startswith(("Indexing ", "Opening video ")):
                bar.showMessage(text)  # every 50 ms: what a held key or a refused stroke says stays up
            self.preview.set_progress(done, total)

    def _on_frame_ready(self, request_id: int, index: int, rgb: np.ndarray) -> None:
        if self.preview.active:  # the video behind it: its picture waits (Cancel decodes it again)
            if self._from_fetcher() and request_id == self._request:
                self._decoding = False
            return
        super()._on_frame_ready(request_id, index, rgb)

    def _on_frame_failed(self, request_id: int, index: int, reason: str) -> None:
        if self.preview.active:  # counted and marked, the canvas left to the preview
            if self._from_fetcher():
                self.note_undecodable(index)
                self._decoding = self._decoding and request_id != self._request
            return
        super()._on_frame_failed(request_id, index, reason)

    def show_again(self) -> None:
        """Show the current frame again, its document lent to the tools (a preview cancelled)."""
        index, self.shown_index = self.index, -1
        if self.fetcher is not None:
            self._go(max(0, index))

    def open_sequence_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "Open Image Sequence as Video")
        if folder:
            self.open_async(folder)

    # --- predictions (app.video.predicting) -----------------------------------------------------
    def set_model(self, fn: ProbabilityFn | None, name: str = "model") -> None:
        """Predict frames with `fn` (RGB uint8 (H, W, 3) -> float (H, W) probability); None: none."""
        self.predictions.set_model(fn, name)

    @property
    def keep(self) -> str:
        """The region rule of the frames' masks: the analysis panel's Regions (plain without one)."""
        return self.predictions.keep

    @property
    def threshold(self) -> float:
        """The frames' mask threshold: the analysis panel's (0.5 without one)."""
        return self.predictions.threshold

    def load_model(self, path: Path, device: str = "auto") -> None:
        """Predict with another checkpoint than the analysis panel's (loaded on a thread)."""
        self.predictions.load_model(path, device)

    def predict_whole(self) -> None:
        """Predict every frame; asked for while the model loads, once it is ready."""
        self.predictions.predict_whole()

    def cancel_whole(self) -> None:
        self.predictions.cancel_whole()

    def probability(self, index: int | None = None) -> np.ndarray | None:
        """The (optionally temporally smoothed) probability of frame `index` (default: current)."""
        return self.predictions.probability(index)

    def show_prediction(self) -> None:
        """Show the current frame's (smoothed) probability and give it to the frame's document."""
        self.predictions.show_prediction()

    def _update_curves(self) -> None:
        self.predictions.update_curves()

    # --- annotation (app.video.frame_editing) ----------------------------------------------------
    def toggle_keyframe(self) -> None:
        self.editor.toggle_keyframe()

    def carry(self) -> None:
        """Start this frame from the previous frame's mask (mode from the panel)."""
        self.editor.carry()

    def accept_prediction(self) -> None:
        """Replace the frame's mask by the prediction (at the mask threshold, the Model panel's)."""
        self.editor.accept_prediction()

    def _update_info(self) -> None:
        reader = self.reader
        self.panel.set_info(reader.meta if reader is not None else None, len(self.failed_frames),
                            getattr(reader, "frames_in_file", None),  # a file cut short: known once scanned
                            frame_count=self.frame_count, duration=self.timeline.duration())  # as the timeline

    # --- export --------------------------------------------------------------------------------
    def export_dialog(self) -> None:
        if self.annotations is not None and self.reader is not None:
            self.exporter.dialog(self.annotations, self.reader.meta.path)

    def export(self, frames: list[int], dst: Path, resize_to: int | None = None, overwrite: bool = False) -> None:
        """Export `frames` to `dst` on a thread (its own reader; a non-empty `dst` is replaced only with
        `overwrite`); export_finished tells the outcome."""
        if self.annotations is not None and self.reader is not None:
            self.exporter.export(self.annotations, self.reader.meta.path, frames, dst, resize_to, overwrite)

    def confirm_close(self) -> bool:
        """Before the window closes: the open video's ``video.json`` written, or Retry / Discard / Cancel asked
        while it cannot be (`FrameEditor.confirm_close`). False: Cancel."""
        return self.editor.confirm_close(self.annotations, self.window)

    def shutdown(self) -> None:
        """The window closes (and saves its layout next: that of image mode, which the next start shows)."""
        active = self.active
        self.preview.finish()  # not cancel(): the video behind it is not decoded, nor its waiting run started, again
        self.cancel_open()
        self.opener.shutdown()  # an open still probing its file ends (and closes it) first
        self.close_video(wait=True)
        if active:
            self.modes.show_images()
        wait_for_retired()  # the workers of videos closed before, still finishing a frame
        self.frame_layers.shutdown()
        self.models.shutdown()
        self.exporter.shutdown()
        self.controller.detach_document()
        if self.scratch is not None:
            self.scratch.cleanup()
            self.scratch = None

