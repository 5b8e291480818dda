"""Opening the shown video frame's mask document with its saved mask read off the GUI thread, for
:class:`~app.video.frame_editing.FrameEditor`.

Showing a frame whose document is not kept (`VideoAnnotations.reads_mask_file`: a mask file, the frame not
among the last few shown) decoded its mask PNG on the GUI thread: a few ms, and for ever on a network share
that stopped answering (stepping through frames froze the window). The PNG is now read as Carry reads the
previous frame's (`app.annotation.previous_mask.SAVED_MASKS`, keyed by the mask file: one read of a file at a
time, its answer shared), the GUI thread waiting `READ_WAIT_S` at most, and not at all while the read of a
frame left before has not answered (the disk is known not to answer: scrubbing does not wait at every frame).

A read not done by then goes on (`FrameOpening.waiting`): the frame is lent to the tools with no document, named
:func:`reading_key` so that the tools, the Annotate dock and a stroke say its saved mask is being read (as an
image's: `app.annotation.document_opening`), and its document is opened once the read lands (looked at every
`LOOK_MS`), if the frame is still the one shown: nothing can be edited meanwhile, so nothing is lost or
overwritten by the late read. A frame left before its read landed keeps nothing of it (the frame's files are
untouched): its answer is dropped when it lands, and coming back reads the file again (the same read while it is
still under way: no second read beside one a dead disk holds).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QTimer

from app.annotation.previous_mask import READ_WAIT_S, SAVED_MASKS, MaskRead
from fosp_core.video.timeline import UNREAD, VideoAnnotationError

if TYPE_CHECKING:
    import numpy as np

    from app.annotation.controller import AnnotationController
    from app.host import AppWindow
    from fosp_core.annotation.document import AnnotationDocument
    from fosp_core.video.timeline import Unread, VideoAnnotations

__all__ = ["LOOK_MS", "FrameOpening", "OpeningEditor", "reading_key", "reading_words"]

#: how often a read under way is looked at (its answer taken on the GUI thread)
LOOK_MS = 40


class OpeningMode(Protocol):
    """What the opening reads of the video view (`app.video.mode.VideoMode`)."""

    annotations: VideoAnnotations | None
    index: int

    def show_prediction(self) -> None: ...


class OpeningEditor(Protocol):
    """What the opening uses of :class:`~app.video.frame_editing.FrameEditor`, named here so that this module does
    not import the editor that imports it."""

    document: AnnotationDocument | None

    @property
    def mode(self) -> OpeningMode: ...

    @property
    def window(self) -> AppWindow: ...

    @property
    def controller(self) -> AnnotationController: ...


def reading_key(index: int) -> str:
    """The name the tools give frame `index` while its saved mask is being read ("No mask to edit for …")."""
    return f"frame {index} (reading its saved mask…)"


def reading_words(index: int) -> str:
    """What the status bar says while frame `index`'s saved mask is being read."""
    return (f"Frame {index}: reading its saved mask… the tools wait for it (the disk has not given it in "
            f"{READ_WAIT_S:g} s: a network share or disk not answering?)")


class FrameOpening:
    """Opens the shown frame's document for `editor` (see module doc)."""

    def __init__(self, editor: OpeningEditor) -> None:
        self.editor = editor
        #: the shown frame whose read is waited for (its document opened when it lands), None when none is
        self.waiting: tuple[VideoAnnotations, int] | None = None
        self._left: set[Path] = set()  # mask files of frames left before their reads landed
        self._timer = QTimer(editor.window)
        self._timer.setInterval(LOOK_MS)
        self._timer.timeout.connect(self._look)

    def open(self) -> None:
        """Lend the current frame's mask document to the tools: at once when it is kept or has no mask file (or
        its file is read within the wait), else with no document until its file is read (`waiting`)."""
        editor, mode = self.editor, self.editor.mode
        notes, index = mode.annotations, mode.index
        self.leave()
        if notes is None:
            return
        saved: np.ndarray | None | Unread = UNREAD
        error: Exception | None = None
        if notes.reads_mask_file(index):
            read = self._read(notes, index)
            if read.waiting:
                editor.document = None
                editor.controller.attach_document(None, reading_key(index), read_only=notes.read_only_reason)
                editor.window.statusBar().showMessage(reading_words(index), 0)
                return
            saved, error = read.mask, read.error
        SAVED_MASKS.forget(notes.mask_path(index))  # shown, it may be edited: a read of it is old
        editor.document = None
        if error is None:
            try:
                editor.document = notes.document(index, saved=saved)
            except VideoAnnotationError as exc:
                error = exc
        if error is not None:
            reason = error.reason if isinstance(error, VideoAnnotationError) else str(error)
            editor.window.statusBar().showMessage(f"Cannot open the mask of frame {index}: {reason}", 6000)
        editor.controller.attach_document(editor.document, f"frame {index}", read_only=notes.read_only_reason)

    def says_reading(self) -> bool:
        """Whether the shown frame's saved mask is being read (its document waits for it); says so then."""
        mode = self.editor.mode
        if self.waiting is None or self.waiting != (mode.annotations, mode.index):
            return False
        self.editor.window.statusBar().showMessage(reading_words(self.waiting[1]), 6000)
        return True

    def leave(self) -> None:
        """The frame waited for is left (another shown, the video closed, an undecodable frame): its read's answer
        is dropped when it lands."""
        if self.waiting is not None:
            notes, index = self.waiting
            self._left.add(notes.mask_path(index))
            self.waiting = None

    def _read(self, notes: VideoAnnotations, index: int) -> MaskRead:
        """Frame `index`'s saved mask (`notes.load_mask`) read on a worker, waited for `READ_WAIT_S` at most (not
        at all while the read of a frame left has not answered). `waiting`: the read goes on, waited for."""
        key = notes.mask_path(index)
        self._left.discard(key)  # wanted again
        stalled = any(SAVED_MASKS.under_way(k) for k in self._left)
        read = SAVED_MASKS.read(key, lambda: notes.load_mask(index), 0.0 if stalled else READ_WAIT_S)
        if read.waiting:
            self.waiting = (notes, index)
            self._timer.start()
        return read

    def _landed(self, notes: VideoAnnotations, index: int) -> bool:
        """The read waited for has landed: the frame's document opened with it if the frame is still shown (True),
        its prediction given to it and its label layers made."""
        editor, mode = self.editor, self.editor.mode
        if notes is not mode.annotations or index != mode.index or editor.document is not None:
            return False
        bar = editor.window.statusBar()
        if bar.currentMessage() == reading_words(index):
            bar.clearMessage()
        self.open()  # takes the read's answer
        mode.show_prediction()
        layers = getattr(mode, "frame_layers", None)  # (the video view's; a stand-in of it may have none)
        if layers is not None:
            layers.document_opened(index)
        return True

    def _look(self) -> None:
        for key in [k for k in self._left if not SAVED_MASKS.under_way(k)]:
            self._left.discard(key)
            SAVED_MASKS.forget(key)  # a frame left: read again when it is shown again
        if self.waiting is not None and not SAVED_MASKS.under_way(self.waiting[0].mask_path(self.waiting[1])):
            (notes, index), self.waiting = self.waiting, None
            if not self._landed(notes, index):
                SAVED_MASKS.forget(notes.mask_path(index))
        if self.waiting is None and not self._left:
            self._timer.stop()
