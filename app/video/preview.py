"""Frame 0 of a video while its packets are indexed: a long file's scan takes seconds (an hour of 1080p: about
10 s, more on a slow disk), and only frame 0's number is certain before it ends (docs/benchmarks-video.md,
"The first frame while a video is indexed"): its picture is the one the probe decoded, whatever the scan
concludes. Any other frame, shown and edited under a partial index, could carry a mask saved onto another
picture.

:class:`Frame0Preview` is that state, between the probe (:attr:`~app.video.open_worker.VideoOpener.probed`,
frame 0 read on the opener's thread) and the index: the canvas shows frame 0 while what was open before
(a video, or the image session) stays open behind it, frozen:

- the annotation tools are detached from every document (a stroke would land on the other video's frame,
  or the image, under frame 0's picture): a stroke is refused and says why;
- the frame keys, playback, the timeline and the Video panel of a video open before are held, as are the
  image list's keys and the image analysis (its runs, its layers over the canvas); the frame keys say why
  (:func:`~app.keys_say_why.keys_say_why`);
- the title says the video is being indexed; the status bar counts its packets and has a Cancel button
  (Esc, and the Video panel's Cancel, do the same);
- Annotate > Save Now is held too: its Ctrl+S says that nothing of the video can be saved until it is in (it said
  a video frame's words, "each frame's edit is saved as it is made", with no frame to edit or save).

Once the index is in, :meth:`finish` hands over to the video's own mode (on frame 0, or the frame it was left
on: :mod:`app.video.resume`), which closes the video behind; Cancel (:meth:`cancel`) shows what was there
before (its frame decoded again, its document lent to the tools again, or the image's given back).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
from PySide6.QtCore import QObject, QSignalBlocker, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QGraphicsObject, QPushButton, QStackedWidget, QWidget

from app.keys_say_why import keys_say_why
from app.video.preview_timeline import IndexingTimeline, show_indexing

if TYPE_CHECKING:
    from app.annotation.controller import AnnotationController
    from app.host import AppWindow
    from app.video.chrome import ModeSwitch
    from app.video.overlay import ProbabilityOverlay
    from app.video.panel import VideoPanel
    from app.video.playback import Playback
    from app.video.timeline_widget import TimelineWidget


class _Predictions(Protocol):
    def preview_cancelled(self) -> None: ...


class PreviewHost(Protocol):
    """What the preview reads and calls of the window's video mode (app.video.mode.VideoMode, which owns
    the preview: a protocol, so that this module does not import the mode back)."""

    window: AppWindow
    active: bool
    actions: list[QAction]
    modes: ModeSwitch
    playback: Playback
    panel: VideoPanel
    overlay: ProbabilityOverlay
    controller: AnnotationController
    predictions: _Predictions
    timeline: TimelineWidget
    timeline_dock: QDockWidget
    timeline_stack: QStackedWidget

    def cancel_open(self, say: bool = ...) -> object: ...
    def show_again(self) -> None: ...
    def show_image_again(self) -> None: ...

__all__ = ["Frame0Preview", "PreviewHost", "held_tools_key"]


def held_tools_key(name: str) -> str:
    """What the tools name while they edit nothing ('No mask to edit for {key}')."""
    return f"{name} while it is being indexed (its frames are numbered once it is in)"


class Frame0Preview(QObject):
    """See the module doc; `mode` is the window's VideoMode, which calls :meth:`enter`, :meth:`finish` and
    :meth:`cancel`."""

    def __init__(self, mode: PreviewHost) -> None:
        super().__init__(mode)  # type: ignore[arg-type]  (the mode is a QObject)
        self.mode = mode
        self.window = mode.window
        #: The video whose frame 0 is shown (None: no preview).
        self.path: Path | None = None
        self._title = ""
        self._behind_video = False  # a video is open behind the preview (else the image session)
        self._held: list[QAction] = []  # actions enabled before, off meanwhile
        self._hidden: list[QAction | QWidget | QGraphicsObject] = []  # the image analysis's, hidden meanwhile
        self._panel_parts: list[QWidget] = []  # the Video panel's parts disabled meanwhile
        self._show_prediction = True
        self.timeline: IndexingTimeline | None = None  # the Timeline dock's page meanwhile (preview_timeline)
        self.cancel_button = QPushButton("Cancel indexing")
        self.cancel_button.setToolTip("Stop indexing the video and show what was open before (Esc)")
        self.cancel_button.clicked.connect(lambda: mode.cancel_open(say=True))
        self.window.statusBar().addPermanentWidget(self.cancel_button)
        self.cancel_button.hide()
        # the frame keys while they are held: on (disabled and visible) only during a preview
        self.keys = QAction("Frame keys while a video is indexed", self)
        self.keys.setEnabled(False)
        self.keys.setVisible(False)
        keys_say_why(self.window, self.keys, self.why, 6000)
        # Save Now while it is held (`enter`): its keys say why, through a stand-in of its own, on only meanwhile
        self.save_now: QAction = mode.window.annotation.actions.save_now
        self.save_keys = QAction("Save Now while a video is indexed", self)
        self.save_keys.setEnabled(False)
        self.save_keys.setVisible(False)
        keys_say_why(self.window, self.save_keys, self.save_why, 8000)

    @property
    def active(self) -> bool:
        """A video's frame 0 is shown while its packets are indexed."""
        return self.path is not None

    def why(self) -> str:
        """What the held frame keys say."""
        name = self.path.name if self.path is not None else "The video"
        return (f"{name} is being indexed: only frame 0 is shown until its frames are numbered; the frame keys "
                "and the annotation tools work once it is in (Esc cancels)")

    def save_why(self) -> str:
        """What Save Now's keys say while it is held: nothing of the video can be edited, so nothing saved, yet."""
        name = self.path.name if self.path is not None else "The video"
        return (f"Nothing to save: {name} is being indexed and none of its frames can be edited until they are "
                "numbered; the edits made before it were saved as they were made (a save that failed is told in "
                "the status bar)")

    def enter(self, path: Path, frame: np.ndarray) -> None:
        """Show `frame` (frame 0 of `path`, whose packets are being indexed) and hold the rest (module doc)."""
        if self.active:
            self._release()  # another video's preview: what was behind it stays behind this one
        mode, w = self.mode, self.window
        self.path = path
        self._title = w.windowTitle()
        self._behind_video = mode.active
        mode.playback.stop()
        held: list[QAction] = [*mode.actions, self.save_now]
        if self._behind_video:
            mode.modes.frames_off()
            mode.timeline.setEnabled(False)
            self._panel_parts = [part for part in mode.panel.findChildren(
                QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                if part is not mode.panel.opening and part.isEnabled()]
            for part in self._panel_parts:  # the opening's Cancel stays
                part.setEnabled(False)
            box = mode.panel.show_prediction
            self._show_prediction = box.isChecked()
            with QSignalBlocker(box):  # a prediction of the video behind arriving meanwhile is not drawn
                box.setChecked(False)
            mode.overlay.clear()
        else:
            held += [w.action_next, w.action_previous, *mode.modes.image_actions()]
            self._hidden = [part for part in mode.modes.image_analysis() if part.isVisible()]
            for part in self._hidden:
                part.setVisible(False)
            analysis = getattr(w, "analysis", None)
            if analysis is not None:
                held += [analysis.action_run, analysis.action_run_all]
        self._held = [action for action in held if action.isEnabled()]
        for action in self._held:
            action.setEnabled(False)
        self.keys.setShortcuts(sorted({key for action in mode.actions for key in action.shortcuts()},
                                      key=lambda k: k.toString(QKeySequence.SequenceFormat.PortableText)))
        self.keys.setVisible(True)
        self.save_keys.setShortcuts(self.save_now.shortcuts())  # as remapped now
        self.save_keys.setVisible(True)
        mode.controller.attach_document(None, held_tools_key(path.name))
        self.timeline = show_indexing(mode.timeline_stack)  # the new video's frame 0, not the one behind
        if not self._behind_video:  # from images: the dock shows up now, not once the index is in
            mode.timeline_dock.show()
            w.resizeDocks([mode.timeline_dock], [200], Qt.Orientation.Vertical)
        w.canvas.set_image(frame)
        w.setWindowTitle(f"{self._title.split(' — ')[0]} — {path.name} (indexing: frame 0 only)")
        self.cancel_button.show()

    def _release(self) -> None:
        """Undo what :meth:`enter` held (the tools stay detached: the caller lends them on)."""
        mode = self.mode
        self.path = None
        self.keys.setVisible(False)
        self.save_keys.setVisible(False)
        self.cancel_button.hide()
        self.window.setWindowTitle(self._title)
        for action in self._held:
            action.setEnabled(True)
        for part in self._hidden:
            part.setVisible(True)
        for part in self._panel_parts:
            part.setEnabled(True)
        self._held, self._hidden, self._panel_parts = [], [], []
        mode.timeline_stack.setCurrentWidget(mode.timeline)
        if self._behind_video:
            mode.timeline.setEnabled(True)
            with QSignalBlocker(mode.panel.show_prediction):
                mode.panel.show_prediction.setChecked(self._show_prediction)
        else:
            mode.timeline_dock.hide()  # the video's own mode shows it again once in

    def set_progress(self, done: int, total: int) -> None:
        """The scan's progress (`done` packets of the header's `total` frames) on the preview's timeline."""
        if self.active and self.timeline is not None:
            self.timeline.set_progress(done, total)

    def finish(self) -> None:
        """The index is in: the video's own mode takes over (it closes the video behind and lends the tools
        the frame it shows). Also the window closing: nothing behind is shown (nor predicted) again."""
        if self.active:
            self._release()

    def cancel(self) -> None:
        """Cancelled (or failed): show what was open before, as it was."""
        if not self.active:
            return
        behind_video = self._behind_video
        self._release()
        mode = self.mode
        if behind_video and mode.active:
            mode.modes.frames_on()
            mode.show_again()
            mode.predictions.preview_cancelled()  # a whole-video run that waited out the preview
            return
        mode.show_image_again()
