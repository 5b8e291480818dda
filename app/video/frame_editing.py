"""Annotating the frames of the video view: the shown frame's mask document lent to the shared
annotation tools, keyframes, "carry mask from the previous frame", accepting the prediction, and
the keyframe / edited marks on the timeline and in the panel.

Each frame's document comes from :class:`~fosp_core.video.timeline.VideoAnnotations` (saved on every
commit, its PNG written on the timeline's save thread: :mod:`fosp_core.video.frame_saves`; the ends of
those saves are taken here, on the GUI thread, and a failure told in the status bar) and is handed to ``AnnotationController.attach_document``, so every image tool, undo/redo and
clean-up edit the frame. A ``video.json`` that cannot be written (keyframes, edited marks:
:mod:`fosp_core.video.state_saves`) is told once in a dialog and then in the status bar until a write works
again, which is said; the window closing first lets the frame and ``video.json`` saves under way end, asking
while a disk that does not answer holds them (`app.annotation.close_waits.settle_video`), then writes it once more and, while it still cannot, asks Retry /
Discard / Cancel as images do (`confirm_close`; `app.annotation.close_question`); the video closing otherwise
writes it once more and says what is lost if it still cannot. :class:`FrameEditor` belongs to a :class:`~app.video.mode.VideoMode` and
reads the open video's state from it (annotations, frame index, prediction), as :class:`FrameHost`
names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, Protocol

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.annotation import close_waits
from app.annotation.close_question import CloseChoice
from app.annotation.previous_mask import SAVED_MASKS, not_answered
from app.quiet_notice import tell_quietly
from app.video.frame_opening import FrameOpening
from fosp_core.annotation import log_sync
from fosp_core.annotation.document import AnnotationDocument
from fosp_core.annotation.recovery import log_path
from fosp_core.data.types import SMOKE
from fosp_core.video.timeline import VideoAnnotationError

if TYPE_CHECKING:
    import numpy as np

    from app.host import AppWindow
    from app.video.lock_view import VideoLockView
    from app.video.panel import VideoPanel
    from app.video.timeline_widget import TimelineWidget
    from fosp_core.video.reader import FrameReader
    from fosp_core.video.timeline import VideoAnnotations

__all__ = ["FrameEditor", "FrameHost"]


def _frame_list(frames: list[int]) -> str:
    """'frame 3' / 'frames 3, 4 and 20 more'."""
    return (f"frame{'' if len(frames) == 1 else 's'} {', '.join(map(str, frames[:12]))}"
            + (f" and {len(frames) - 12} more" if len(frames) > 12 else ""))


def _left_words(notes: VideoAnnotations) -> str:
    """What became of the saves of a video left to them (`FrameEditor.leave_saves`) once they ended: a failed frame
    is in its recovery log unless its record could not be written either (`log_sync.refuses`)."""
    if not notes.failed:
        return f"The frames of {notes.video.name} left to the disk are on disk now."
    unlogged = [i for i in sorted(notes.failed) if log_sync.refuses(log_path(notes.mask_path(i)))]
    logged = [i for i in sorted(notes.failed) if i not in unlogged]
    what = [f"{_frame_list(logged)} could not be written: in their recovery logs, back when the video opens next"
            ] if logged else []
    what += [f"{_frame_list(unlogged)} could not be written, nor their commits' records: lost"] if unlogged else []
    return f"The disk of {notes.folder} answered, but of {notes.video.name} {'; '.join(what)}."


class FrameHost(Protocol):
    """What :class:`FrameEditor` reads of the video view that owns it (`app.video.mode.VideoMode`)."""

    window: AppWindow
    annotations: VideoAnnotations | None
    reader: FrameReader | None
    index: int
    target: int
    failed_frames: set[int]
    panel: VideoPanel
    timeline: TimelineWidget
    lock_view: VideoLockView

    @property
    def threshold(self) -> float: ...

    def probability(self, index: int | None = None) -> np.ndarray | None: ...

    def show_prediction(self) -> None: ...

    def scrub(self, index: int) -> None: ...


def ask_close_unsaved_state(parent: QWidget | None, error: VideoAnnotationError) -> CloseChoice:
    """Ask (modal) what becomes of a video's keyframe and edited marks not saved when the window closes."""
    buttons = QMessageBox.StandardButton
    box = QMessageBox(QMessageBox.Icon.Warning, "Video annotations",
                      f"The keyframe and edited marks of this video are not saved ({error.reason}).",
                      buttons.Retry | buttons.Discard | buttons.Cancel, parent)
    box.setInformativeText(f"Cannot write {error.path}. Free some disk space (or make the folder writable), then "
                           "Retry to save them. Discard closes the window without them (the frames' masks are "
                           "saved: the video reopens with every mask, marked edited, and without the keyframe "
                           "marks changed since). Cancel keeps the window open.")
    box.setDefaultButton(buttons.Retry)
    box.setEscapeButton(buttons.Cancel)
    answer = box.exec()
    if answer == buttons.Retry:
        return CloseChoice.RETRY
    return CloseChoice.DISCARD if answer == buttons.Discard else CloseChoice.CANCEL


class _SavesEnded(QObject):
    """Carries "a frame save ended" from the timeline's save thread to the GUI thread."""

    ended = Signal(object)


class FrameEditor:
    """The per-frame annotation part of the video view (see module doc)."""

    def __init__(self, mode: FrameHost) -> None:
        self.mode = mode
        self.window = mode.window
        self.controller = mode.window.annotation.controller  # the shared annotation tools
        #: The shown frame's mask document (lent to the annotation tools), None when there is none.
        self.document: AnnotationDocument | None = None
        self._saves_ended = _SavesEnded(mode.window)
        self._saves_ended.ended.connect(lambda notes: notes.finish_saves())
        #: asks what becomes of a video.json not written when the window closes (tests replace it)
        self.ask_close: Callable[[QWidget | None, VideoAnnotationError], CloseChoice] = ask_close_unsaved_state
        self._state_discarded = False  # the user chose Discard: the closing tells no loss again
        #: the video whose saves the window's close left to its save thread (Close Anyway: `confirm_close`)
        self._left: VideoAnnotations | None = None
        #: videos closed while the window stays, left to saves a disk that does not answer holds (`leave_saves`):
        #: their locks released once those end (looked at every `close_waits.POLL_MS`)
        self._leaving: list[VideoAnnotations] = []
        self._leaving_look = QTimer(mode.window)
        self._leaving_look.setInterval(close_waits.POLL_MS)
        self._leaving_look.timeout.connect(self._look_at_leaving)
        #: the shown frame's document opened, its saved mask read off the GUI thread
        self.opening = FrameOpening(self)

    def save_in_background(self, notes: VideoAnnotations) -> None:
        """Have `notes` (the video just opened) write its frame masks on its save thread, their ends taken here."""
        notes.save_notify = lambda n=notes: self._saves_ended.ended.emit(n)
        notes.save_in_background = True

    def stop_saves(self, notes: VideoAnnotations) -> None:
        """The video closes (or the window): a failed save tried again, every pending save waited for (a lock
        lost found by one told with its rescued file: `VideoLockView.closing`), a ``video.json`` not written
        written again (said when it still cannot be). A video the window's close left to its saves (Close Anyway,
        a disk that does not answer holding them: `confirm_close`) waits for nothing and writes nothing."""
        if self.left_to_its_saves(notes):
            notes.save_notify = None
            return
        notes.stop_saves()
        self.mode.lock_view.closing(notes)
        if notes.state_error is None or self._state_discarded:
            return
        try:
            notes.flush_state()
        except VideoAnnotationError as exc:
            QMessageBox.warning(self.window, "Video annotations",
                                f"Cannot save {exc.path} ({exc.reason}): the keyframe and edited marks of "
                                f"{notes.video.name} changed since it was last saved are lost; the video reopens "
                                "without them.")

    def leave_saves(self, notes: VideoAnnotations) -> str | None:
        """The video `notes` closes while the window stays (back to the images, another file opened): its saves
        under way let end for `close_waits.STUCK_AFTER_S` (the event loop turning; none waited for). None: none
        is under way now. Else a disk that does not answer holds them: the video is left to its save thread
        (`left_to_its_saves`: its closing waits for nothing; its lock released once they end, or left when the
        window closes first: its close asks while their records are queued, `left_videos`) and the words for the
        status bar are returned (the frames not on disk yet: in their recovery logs, or not even, their records
        queued)."""
        if close_waits.video_settled_within(notes, close_waits.STUCK_AFTER_S):
            return None
        frames, state = close_waits.frames_not_on_disk(notes)
        if not frames and not state:
            return None
        self._left = notes
        notes.leave_to_saves()  # no other opening of its folder writes until they end (folder_lock: left)
        self._leaving.append(notes)
        self._leaving_look.start()
        queued = close_waits.frames_queued(notes, frames)  # their records not written yet: in no file
        what = [_frame_list([i for i in frames if i not in queued]) + " (in their recovery logs)"] \
            if len(queued) < len(frames) else []
        what += [_frame_list(queued) + " (not even in a recovery log yet: lost if the window closes before the "
                 "disk answers)"] if queued else []
        what += ["its keyframe and edited marks"] if state else []
        return (f"The disk of {notes.folder} does not answer: {' and '.join(what)} of {notes.video.name} not on "
                "disk yet; they are written when it answers (the video stays locked until then)")

    def _look_at_leaving(self) -> None:
        """The videos left to their saves (`leave_saves`) whose saves ended: their locks released, said."""
        for notes in list(self._leaving):
            if close_waits.frames_not_on_disk(notes) != ([], False):
                continue
            self._leaving.remove(notes)
            notes.release_lock()  # another program may write its annotations now
            self.window.statusBar().showMessage(_left_words(notes), 8000 if not notes.failed else 0)
        if not self._leaving:
            self._leaving_look.stop()

    def left_videos(self) -> list[VideoAnnotations]:
        """The videos closed while the window stays whose saves a disk that does not answer still holds
        (`leave_saves`): the window's close asks about those whose records are queued (`close_waits`)."""
        return list(self._leaving)

    def leave_to_its_saves(self, notes: VideoAnnotations) -> None:
        """Close Anyway answered for `notes` by the window's one dead-disk question (`close_waits.settle_before_close`,
        images and video together): the video is left to its saves (`left_to_its_saves`), `confirm_close` asks
        nothing more of it."""
        self._left = notes

    def left_to_its_saves(self, notes: VideoAnnotations) -> bool:
        """Whether the window's close left `notes` to its saves (`confirm_close`): nothing waits for them, nor
        touches its folder (its lock is left, a dead process's, taken back at the next opening)."""
        return notes is self._left

    def confirm_close(self, notes: VideoAnnotations | None, parent: QWidget | None = None) -> bool:
        """Before the window closes: the frame and ``video.json`` saves under way let end, and asked about
        while a disk that does not answer holds them (`close_waits.settle_video`: Close Anyway leaves the
        video to them, `left_to_its_saves`); then a ``video.json`` not written (`notes.state_error`) is
        written again; while it cannot be, ask (`ask_close`) Retry / Discard / Cancel. True: the window may
        close (written, discarded, or left); False: Cancel, all stays as it was."""
        if notes is None or self.left_to_its_saves(notes):  # left by the window's question already
            return True
        choice = close_waits.settle_video(notes, parent)  # the ends of those that ended taken, none waited for
        if choice is close_waits.StuckChoice.CANCEL:
            return False
        if choice is close_waits.StuckChoice.CLOSE_ANYWAY:
            self._left = notes
            return True
        while notes.state_error is not None and not notes.read_only:
            try:
                notes.flush_state()
            except VideoAnnotationError as exc:
                choice = self.ask_close(parent, exc)
                if choice is CloseChoice.CANCEL:
                    return False
                if choice is CloseChoice.DISCARD:
                    self._state_discarded = True
                    return True
        return True

    def open_document(self) -> None:
        """Lend the current frame's mask document (saved by the timeline on every commit) to the tools, its saved
        mask read off the GUI thread (`app.video.frame_opening`: none lent until it is read)."""
        self.opening.open()

    def read_only(self, notes: VideoAnnotations) -> bool:
        """Whether `notes` are read-only (another program holds the video: `fosp_core.video.folder_lock`); says
        why in the status bar when they are."""
        if notes.read_only_reason is not None:
            self.window.statusBar().showMessage(f"Read-only video: {notes.read_only_reason}", 6000)
        return notes.read_only_reason is not None

    def close_document(self, index: int) -> None:
        """Frame `index` has no picture (it cannot be decoded): the tools get nothing to paint blind, and
        carry and accept prediction nothing to change, until another frame is shown."""
        self.opening.leave()
        self.document = None
        self.controller.attach_document(None, f"frame {index}")

    def show_tools(self) -> None:
        """Bring the Annotate tool dock forward (its tools edit the frame)."""
        dock = self.window.annotation.tool_dock
        dock.show()
        dock.raise_()

    def jump(self, marks: Literal["keyframes", "edited"], direction: int) -> None:
        """Go to the next (`direction` 1) or previous (-1) keyframe or edited frame; where there is none,
        stay and say so."""
        mode, notes = self.mode, self.mode.annotations
        if notes is None:
            return
        here = mode.target
        frames = sorted(notes.keyframes if marks == "keyframes" else notes.edited)
        found = [f for f in frames if f > here] if direction > 0 else [f for f in frames if f < here][-1:]
        if found:
            mode.scrub(found[0])
            return
        what = "keyframe" if marks == "keyframes" else "edited frame"
        where = "after" if direction > 0 else "before"
        self.window.statusBar().showMessage(f"No {what} {where} frame {here}" if frames else f"No {what} yet", 4000)

    def toggle_keyframe(self) -> None:
        notes, index = self.mode.annotations, self.mode.index
        if notes is not None and not self.read_only(notes):
            self._guard(lambda: notes.toggle_keyframe(index))

    def carry(self) -> None:
        """Start this frame from the previous frame's mask (mode from the panel) and say what came of it. That mask
        is read on a worker, waited for `READ_WAIT_S` at most: a disk that does not answer is said, not waited for
        (`app.annotation.previous_mask`)."""
        mode = self.mode
        doc, notes = self.document, mode.annotations
        if (self.opening.says_reading() or self._undecodable("carry a mask to") or doc is None or notes is None
                or self.read_only(notes)):
            return
        if mode.index == 0:
            self.window.statusBar().showMessage("Frame 0 has no frame before it to carry a mask from", 4000)
            return
        previous, how = mode.index - 1, mode.panel.carry_mode.currentData()
        probability = mode.probability()
        say = self.window.statusBar().showMessage
        read = SAVED_MASKS.read(notes.mask_path(previous), lambda: notes.load_mask(previous))
        if read.waiting:
            say(not_answered(f"the mask of frame {previous}", "Carry"), 10000)
            return
        has_mask, error = read.mask is not None, read.error
        try:
            changed = error is None and has_mask and notes.carry(doc, previous, probability, how, mode.threshold,
                                                                 to=mode.index, source=read.mask)
        except VideoAnnotationError as exc:
            error = exc
        if error is not None:  # the read's (any: told, never raised) or the carry's
            reason = error.reason if isinstance(error, VideoAnnotationError) else str(error)
            say(f"Cannot carry the mask of frame {previous}: {reason}", 6000)
            return
        if not has_mask:
            say(f"Frame {previous} has no mask to carry", 4000)
        elif not changed and how == "intersect" and probability is not None and not (doc.mask == SMOKE).any():
            say(f"Nothing carried to frame {mode.index}: the mask of frame {previous} and the prediction of frame "
                f"{mode.index} (above the mask threshold {mode.threshold:g}) do not overlap; 'copy' carries it as is",
                6000)
        elif not changed:
            say(f"Frame {mode.index} has that mask already: nothing to carry", 4000)
        elif (how != "intersect" or probability is None) and not (doc.mask == SMOKE).any():  # smoke-free carried
            say(f"Frame {previous} is smoke-free: frame {mode.index} carried as smoke-free too, its empty mask saved "
                "(Undo takes it back)", 4000)
        elif how != "copy" and probability is None:  # carry_mask copies then: say so
            say(f"No prediction for frame {mode.index} yet: the mask of frame {previous} was carried as is", 6000)
        else:
            against = {"intersect": " ∩ its prediction", "merge": " ∪ its prediction"}.get(how, "")
            say(f"Mask of frame {previous} carried to frame {mode.index}{against} (Undo takes it back)", 4000)

    def accept_prediction(self) -> None:
        """Replace the frame's mask by the prediction (at the mask threshold, the Model panel's)."""
        if self.opening.says_reading() or self._undecodable("accept a prediction on"):
            return
        if self.document is None or self.mode.probability() is None:
            self.window.statusBar().showMessage("No prediction for this frame yet", 4000)
            return
        self.mode.show_prediction()  # the document holds the probability shown
        self.controller.accept_prediction()

    def _undecodable(self, what: str) -> bool:
        """Whether the frame shown could not be decoded (no picture, no document: `close_document`); says so."""
        index = self.mode.index
        if self.document is not None or index not in self.mode.failed_frames:
            return False
        self.window.statusBar().showMessage(f"Frame {index} could not be decoded: nothing to {what}", 4000)
        return True

    def _guard(self, operation: Callable[[], object]) -> None:
        try:
            operation()
        except VideoAnnotationError as exc:
            QMessageBox.warning(self.window, "Video annotations", str(exc))

    def on_annotation_event(self, event: tuple[str, int | None]) -> None:
        """A VideoAnnotations event: keyframes or edited frames changed, a save failed (told until it is
        saved)."""
        kind, index = event
        notes = self.mode.annotations
        if kind in ("keyframes", "edited"):
            self.update_marks()
        elif kind == "save_failed" and notes is not None and notes.last_error:
            self.window.statusBar().showMessage(f"Could not save frame {index}: {notes.last_error.reason}", 0)
        elif kind == "saved" and self.window.statusBar().currentMessage().startswith(f"Could not save frame {index}:"):
            self.window.statusBar().showMessage(f"Frame {index} saved", 4000)  # its failure told is over
        elif kind in ("state_failed", "state_saved") and notes is not None:
            self._state_told(notes, kind == "state_failed")

    def _state_told(self, notes: VideoAnnotations, failed: bool) -> None:
        """``video.json`` could not be written (told once a reason, in a dialog, then kept in the status bar),
        or is written again after failures."""
        bar = self.window.statusBar()
        if not failed:
            bar.showMessage("Keyframes and edited marks saved: video.json is up to date again", 6000)
            return
        error = notes.state_error
        if error is None:
            return
        bar.showMessage(f"Keyframes and edited marks not saved ({error.reason}): kept, saved again at the next "
                        "change and when the video closes", 0)
        fix = "free some disk space" if "disk full" in error.reason else "make its folder writable"
        tell_quietly(self.window, "Video annotations",  # told by the save thread: the keys stay the video's
                     f"Cannot save {error.path} ({error.reason}).\n\nThe keyframe and edited marks are kept "
                     f"and saved again at the next change and when the video closes: {fix}.")

    def update_marks(self) -> None:
        """Keyframe and edited marks on the timeline, the keyframe list in the panel."""
        mode = self.mode
        notes = mode.annotations
        if notes is None or mode.reader is None:
            return
        mode.timeline.set_marks(sorted(notes.keyframes), sorted(notes.edited))
        mode.panel.set_keyframes(sorted(notes.keyframes), mode.reader.time_of)
