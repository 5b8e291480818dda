"""Switching the video view to a video once opened, and back to the images: the reader, the frame
decoder, the prediction worker and its cache, the timeline and the panel set up for the new video
(:meth:`VideoSwitching._show_opened`), and all of it released again (:meth:`VideoSwitching.close_video`).

:class:`VideoSwitching` is a part of :class:`~app.video.mode.VideoMode` (a mixin, as
:class:`~app.video.opening.VideoOpening`, which calls ``_show_opened`` once a video is opened); VideoMode
sets the attributes it names.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from app.video.open_worker import OpenedVideo, close_fetcher
from app.video.panel import frames_text
from app.video.workers import FrameFetcher, PredictionWorker
from fosp_core.video.numbering_check import readable_count
from fosp_core.video.predictions import PredictionCache

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from app.annotation.controller import AnnotationController
    from app.host import AppWindow
    from app.video.chrome import ModeSwitch
    from app.video.frame_editing import FrameEditor
    from app.video.frame_layers import FrameLayers
    from app.video.lock_view import VideoLockView
    from app.video.open_worker import VideoOpener
    from app.video.overlay import ProbabilityOverlay
    from app.video.panel import VideoPanel
    from app.video.playback import Playback
    from app.video.predicting import VideoPredictions
    from app.video.preview import Frame0Preview
    from app.video.resume import LastFrames
    from app.video.timeline_widget import TimelineWidget
    from fosp_core.video.kept_predictions import Identity
    from fosp_core.video.reader import FrameReader
    from fosp_core.video.timeline import VideoAnnotations

__all__ = ["VideoSwitching", "cut_short", "first_words"]


def first_words(remark: str) -> str:
    """A reader's remark as the status bar gives it: up to its first colon (the Video panel has it in full:
    'variable frame rate: frames play one after another ...' -> 'variable frame rate')."""
    return remark.split(":", 1)[0]


def cut_short(readable: int, header: int) -> list[str]:
    """The status bar's remark on a file cut short (fewer frames readable than its header counts), if it is."""
    return [f"cut short: {readable} of the {header} frames its header counts"] if 0 < readable < header else []


class VideoSwitching:
    """Into a video and out of it (see module doc); VideoMode sets these attributes."""

    window: AppWindow
    reader: FrameReader | None
    fetcher: FrameFetcher | None
    worker: PredictionWorker | None
    cache: PredictionCache | None
    annotations: VideoAnnotations | None
    #: the open video's identity when it was opened (`OpenedVideo.identity`)
    opened_identity: Identity | None = None
    opener: VideoOpener
    preview: Frame0Preview
    predictions: VideoPredictions
    playback: Playback
    timeline: TimelineWidget
    panel: VideoPanel
    editor: FrameEditor
    lock_view: VideoLockView
    overlay: ProbabilityOverlay
    frame_layers: FrameLayers
    modes: ModeSwitch
    last_frames: LastFrames
    controller: AnnotationController
    failed_frames: set[int]
    opened: SignalInstance
    left: SignalInstance
    index: int
    target: int
    shown_index: int
    shown_rgb: object
    _frame_count: int
    _decoding: bool

    if TYPE_CHECKING:  # VideoMode's (and FrameNavigation's)
        @property
        def active(self) -> bool: ...

        @property
        def threshold(self) -> float: ...

        def cancel_open(self, say: bool = False) -> None: ...

        def seek(self, index: int) -> None: ...

        def _update_info(self) -> None: ...

        def _on_frame_ready(self, request_id: int, index: int, rgb: object) -> None: ...

        def _on_frame_failed(self, request_id: int, index: int, reason: str) -> None: ...

    def _show_opened(self, opened: OpenedVideo) -> None:
        """Switch the window to the video `opened` (closing the one open before)."""
        path, reader, annotations = opened.path, opened.reader, opened.annotations
        self.preview.finish()  # its frame 0 shown while indexed: the video takes over
        dropped = "; ".join(w for w in (self._whole_stopped(), self.close_video()) if w)
        meta = reader.meta
        count = self._frame_count = readable_count(reader)  # indexed by now: a file cut short reads fewer
        annotations.set_frame_count(count)  # (built with the header's count before the index was in)
        self.reader, self.annotations = reader, annotations
        self.fetcher = FrameFetcher(reader, self)
        self.fetcher.frame_ready.connect(self._on_frame_ready)
        self.fetcher.frame_failed.connect(self._on_frame_failed)
        self.opened_identity = opened.identity  # its files when opened: what its kept predictions are of
        kept = (self.predictions.kept.take(path, count, identity=opened.identity)  # opened again: what its model
                if opened.identity is not None else None)  # predicted of it (fosp_core.video.kept_predictions)
        self.cache = kept if kept is not None else PredictionCache(count, threshold=self.threshold)
        self.cache.set_threshold(self.threshold)
        self.worker = PredictionWorker(path, self.cache, self)
        self.predictions.watch(self.worker)
        annotations.events.connect(self.editor.on_annotation_event)
        annotations.events.connect(self.lock_view.on_annotation_event)
        self.editor.save_in_background(annotations)
        self.failed_frames.clear()
        self.playback.configure(count, meta.fps)
        self.timeline.set_video(count, meta.fps, self.reader.time_of)
        self.panel.progress.setRange(0, count)
        self.panel.progress.setValue(0)
        self.editor.update_marks()
        self._update_info()
        self.modes.enter()
        self.frame_layers.entered()
        self.index = self.target = -1
        resume = min(self.last_frames.frame(path), count - 1)  # a shorter file since: its last frame
        self.seek(resume)
        self.predictions.start()
        self.window.setWindowTitle(f"{self.window.windowTitle().split(' — ')[0]} — {path.name}")
        read_only = [f"read-only: {annotations.read_only_reason}"] if annotations.read_only else []
        self.window.statusBar().showMessage(
            f"Opened video {path.name}: {frames_text(count)} at {meta.fps:g} fps"
            + (f", back on frame {resume}" if resume > 0 else "")
            + (f" ({'; '.join(remarks)})" if (remarks := [*cut_short(count, meta.frame_count),
                                                   *map(first_words, meta.warnings), *annotations.warnings,
                                                   *read_only])
               else "")
            + (f"; {dropped}" if dropped else ""),
            8000 if not annotations.warnings and not dropped and not read_only else 0)
        self.opened.emit(path)
        self.lock_view.shown(annotations, asked=opened.taking_over)  # another computer's lock: Take Over?

    def leave(self) -> None:
        """Back to image mode: close the video and show the image session again (a video still opening
        is dropped)."""
        self.cancel_open()
        if not self.active:
            return
        stopped = "; ".join(w for w in (self._whole_stopped(), self.close_video()) if w)
        if stopped:
            self.window.statusBar().showMessage(f"{stopped[0].upper()}{stopped[1:]}.", 0)
        self.modes.show_images()
        self.lock_view.left()
        self.frame_layers.left()
        self.show_image_again()
        self.window._update_title()
        self.left.emit()

    def _whole_stopped(self) -> str | None:
        """'the whole-video prediction of <video> was stopped at ...': what closing the shown video stops of a
        whole-video run (`VideoPredictions.stopped_words`), None: nothing."""
        words = self.predictions.stopped_words() if self.reader is not None else None
        return None if words is None or self.reader is None else \
            f"the whole-video prediction of {self.reader.meta.path.name}{words}"

    def show_image_again(self) -> None:
        """The image session's current image on the canvas, its project document lent to the tools again."""
        w = self.window
        image = w.session.current_image
        w.canvas.set_image(image.rgb if image is not None else None)
        self.controller.detach_document()  # the tools edit the image's project document again
        w._update_navigation()

    def close_video(self, wait: bool = False) -> str | None:
        """Stop playback and the workers, release the file. The prediction worker finishes the frame
        it is predicting on its own, and the frame decoder stops and closes the reader on a thread of its
        own (:meth:`VideoOpener.close_later`), unless `wait` (the window closes). Unless `wait`, frame saves a
        disk that does not answer holds are not waited for (`FrameEditor.leave_saves`): what is not on disk
        yet is returned, for the status bar (None: all is)."""
        self.playback.stop()
        if self.reader is not None and self.index >= 0:  # opening it again resumes there
            self.last_frames.remember(self.reader.meta.path, self.index)
        self.overlay.clear()
        self.frame_layers.closed()
        self.editor.document = None
        self.predictions.closed()
        self.modes.frames_off()
        if self.worker is not None and not wait:
            kept = (self.reader is not None and self.cache is not None  # for when it opens again
                    and self.opened_identity is not None
                    and self.predictions.kept.keep(self.reader.meta.path, self.cache, self.opened_identity))
            self.worker.retire(keep_cache=kept)  # a model may take seconds a frame: the GUI does not wait for it
            self.worker = None
        if self.fetcher is not None and not wait:  # the frame it decodes and the reader's close: not waited for
            self.opener.close_later(partial(close_fetcher, self.fetcher))  # (a frame it still sends is dropped)
            self.fetcher = None
        for worker in (self.fetcher, self.worker):
            if worker is not None:  # its thread ends; what it queued is dropped (it is not the open video's)
                worker.shutdown()
                worker.deleteLater()  # with its caches of frames and maps: a child of this view otherwise
        held = None
        if self.annotations is not None:
            if not wait:  # the window stays: saves a dead disk holds are left to the save thread (said below)
                held = self.editor.leave_saves(self.annotations)
            self.editor.stop_saves(self.annotations)  # its pending frame saves waited for (a failure told)
            if not self.editor.left_to_its_saves(self.annotations):  # else its folder is not touched: lock left
                self.annotations.release_lock()  # another program may write its annotations now
            self.annotations.events.disconnect(self.editor.on_annotation_event)
            self.annotations.events.disconnect(self.lock_view.on_annotation_event)
        self.reader = self.fetcher = self.worker = self.cache = self.annotations = None
        self.lock_view.update()
        self.shown_index, self.shown_rgb = -1, None
        self._decoding = False
        return held
