"""Take Over for a video whose annotation folder another program holds, and a video found taken over while
open: the image projects' rules and words (`app.annotation.lock_prompt`, `app.annotation.taken_over_view`)
for `fosp_core.video.folder_lock`.

A video opened read-only because of a lock written on another computer asks at once, as a project does:
Open Read-Only (the default) or Take Over, which reopens the video taking the lock from the holder shown -
and from no other that took it since. A video left read-only by a lock (Open Read-Only, a holder of this
computer, another window of this program, or a lock lost while open) can be taken over later: Annotate ▸
Take Over… (this view's action, in place of the images' own while a video is open) asks the same question
about a holder on another computer; a holder of this computer is never asked about and never broken: the
video is reopened, taken only when that process has ended (or that window closed it). The reopened video
comes back on the frame shown.

The holder that lost its lock finds it out at its next stroke or keyframe change (`folder_lock`: nothing
written, the stroke's mask rescued under ``rescued/``): the window then says so - the status bar's
"Read-only video: <why>" (kept until replaced), the failed save told with the rescued file, the frame's
document lent read-only again (the tools off, the Annotate dock's read-only line) - and Take Over… is on.
A loss found only as the video closes (a stroke's save still on the save thread, its end taken by the close)
is told in the same message, naming the rescued file (`closing`, called once the closing video's saves
ended): the video is gone by the time the word above would come, and the status bar alone said
"Could not save frame ...".
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction

from app.annotation.lock_prompt import AskTakeOver, ask_take_over
from app.icons import icon
from fosp_core.annotation.storage import LockInfo
from fosp_core.session import OpenError
from fosp_core.video.folder_lock import LockLostError

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.annotation.controller import AnnotationController
    from app.host import AppWindow
    from fosp_core.video.reader import FrameReader
    from fosp_core.video.timeline import VideoAnnotations

__all__ = ["VideoLockView", "can_take_over"]


class LockHost(Protocol):
    """What the lock view uses of the video view (`app.video.mode.VideoMode`, not imported)."""

    window: AppWindow
    annotations: VideoAnnotations | None
    reader: FrameReader | None
    controller: AnnotationController

    def open_async(self, path: str | Path, then: Callable[[], object] | None = None,
                   break_lock: bool | LockInfo = False, taking_over: bool = False) -> None: ...


def can_take_over(notes: VideoAnnotations | None) -> bool:
    """Whether `notes` are read-only because of a lock (another's when opened, or lost since): what Take
    Over… is offered for."""
    return notes is not None and notes.read_only and (notes.locked_by is not None or notes.lost_lock)


class VideoLockView:
    """Take Over… for the open video and the word on a lock lost (see module doc). ``ask`` is the question
    (tests answer instead)."""

    def __init__(self, mode: LockHost) -> None:
        self.mode = mode
        self.window = mode.window
        self.ask: AskTakeOver = ask_take_over
        #: Annotate ▸ Take Over… while a video is open (in the menu then only, in place of the images' own)
        self.action = QAction(icon("fa6s.lock-open"), "Ta&ke Over…", self.window)
        self.action.setStatusTip("Take the open video's annotations over from the program holding them")
        self.action.triggered.connect(lambda _checked=False: self.take_over())
        self.action.setEnabled(False)
        self._unsaid: VideoAnnotations | None = None  # lost its lock, the word waiting for the event loop

    # --- the video shown -------------------------------------------------------------------------------
    def shown(self, notes: VideoAnnotations, asked: bool) -> None:
        """A video is shown with `notes`: Take Over… in the menu (on when it can be taken over); a lock of
        another computer asked about now unless `asked` (this opening is a take-over's)."""
        self._in_menu(True)
        self.update()
        owner = notes.locked_by
        if not asked and owner is not None and owner.elsewhere and not notes.lost_lock \
                and self.ask(self.window, notes.folder, owner):
            self._reopen(owner)

    def left(self) -> None:
        """Back to the images: their own Take Over… again."""
        self._in_menu(False)

    def update(self) -> None:
        """Take Over… on while the open video can be taken over."""
        self.action.setEnabled(can_take_over(self.mode.annotations))

    def _in_menu(self, video: bool) -> None:
        """This Take Over… in the Annotate menu in place of the images' own (`video`), or out of it again."""
        menu, images = self.window.annotation.menu, self.window.annotation.actions.take_over
        images.setVisible(not video)
        entries = menu.actions()
        if not video:
            menu.removeAction(self.action)
        elif self.action not in entries:
            at = entries.index(images) + 1 if images in entries else len(entries)
            if at < len(entries):
                menu.insertAction(entries[at], self.action)
            else:
                menu.addAction(self.action)

    # --- Take Over… -------------------------------------------------------------------------------------
    def take_over(self) -> None:
        """Take the open video over from the holder its read-only reason names: asked first when it is on
        another computer (taken from it only), reopened as it is otherwise (taken when it has ended)."""
        notes = self.mode.annotations
        if not can_take_over(notes):
            return
        assert notes is not None
        owner = notes.locked_by
        if owner is not None and owner.elsewhere and not self.ask(self.window, notes.folder, owner):
            return
        self._reopen(owner)

    def _reopen(self, owner: LockInfo | None) -> None:
        """Open the shown video again taking its lock from `owner` when it is on another computer."""
        reader = self.mode.reader
        if reader is None:
            return
        self.mode.open_async(reader.meta.path, break_lock=owner if owner is not None and owner.elsewhere else False,
                             taking_over=True)

    # --- a lock lost while open ----------------------------------------------------------------------------
    def on_annotation_event(self, event: tuple[str, int | None]) -> None:
        """A VideoAnnotations event: ``taken_over`` is said once the save that found it out is told."""
        if event[0] == "taken_over" and (notes := self.mode.annotations) is not None:
            self._unsaid = notes
            QTimer.singleShot(0, self.action, lambda n=notes: self._say_lost(n))

    def closing(self, notes: VideoAnnotations) -> None:
        """`notes` close, their last saves ended: a lost lock one of them found and not said yet is told now, in
        the message naming the rescued file (module doc); nothing else of the video is left to show it."""
        if self._unsaid is notes:
            self._unsaid = None
            self._report(notes, closing=True)

    def _report(self, notes: VideoAnnotations, closing: bool = False) -> None:
        """The message of a lock lost by `notes`: the refused save's words (its rescued file), or why they
        are read-only."""
        error = notes.last_error if isinstance(notes.last_error, LockLostError) else None
        if error is None:
            reason = f"video annotations read-only from now on ({notes.read_only_reason})"
        else:
            reason = f"{error.reason}; " + ("found as the video closed" if closing else "the video is read-only from now on")
        self.window.services.error_reporter.report(self.window, [
            OpenError(error.path if error is not None else notes.folder, reason)])

    def _say_lost(self, notes: VideoAnnotations) -> None:
        """`notes` turned read-only, their lock lost: say so and show the frame read-only (module doc)."""
        if notes is not self._unsaid or notes is not self.mode.annotations:
            return  # said as it closed (`closing`), or closed since
        self._unsaid = None
        self._report(notes)
        self.window.statusBar().showMessage(f"Read-only video: {notes.read_only_reason}", 0)
        controller = self.mode.controller
        if controller.attached:  # the tools off, the Annotate dock's read-only line
            controller.attach_document(controller.document, controller.attached_key or "", read_only=notes.read_only_reason)
        self.update()
