"""Closing the window while mask saves are held by a disk that does not answer (a network drive gone, a
USB disk pulled): the close waited for them on the GUI thread, with no end (the window froze, and only a
kill ended it). Now `settle_before_close` looks at them without waiting (`app.annotation.save_now`'s look)
and, while some are under way, asks (`ask_while_stuck`, modal, the event loop turning): it says which
images are not on disk yet - in their recovery logs (they come back at the next opening), or not even that
(lost if the window closes now) - and waits. The question goes by itself, and the close goes on, once the
disk answered; **Close Anyway** closes now, leaving those projects' saves where they are (`abandon`: the
close does not wait for them; their lock is left, a dead process's, taken back at the next opening);
**Cancel** keeps the window open. The open video's frame and ``video.json`` saves get the same (`settle_video`,
from `app.video.frame_editing.FrameEditor.confirm_close`: the frames not on disk yet named, their commits in
their recovery logs; Close Anyway leaves the video to its save thread, its lock left), in the same question; so
do the videos closed before and left to their saves (`FrameEditor.leave_saves`) while a frame's commit record is
still queued for its log (in no file yet: lost if the window closes then).
"""

from __future__ import annotations

import enum
import html
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from app.annotation.save_now import POLL_MS, SaveHost, projects_saving
from app.save_problems import image_names
from app.services import APPLICATION
from fosp_core.annotation import log_sync
from fosp_core.annotation.recovery import log_path

if TYPE_CHECKING:
    from app.annotation.gestures import ToolGestures
    from app.annotation.projects import ProjectRegistry
    from fosp_core.annotation.project import Project
    from fosp_core.video.timeline import VideoAnnotations

__all__ = ["STUCK_AFTER_S", "CloseHost", "StuckChoice", "abandon", "ask_about", "ask_while_all_stuck",
           "ask_while_frames_stuck", "ask_while_stuck", "frames_not_on_disk", "frames_queued", "let_go", "not_on_disk",
           "settle_before_close", "settle_video", "video_settled_within"]

#: how long the close lets saves under way end (the event loop turning) before it asks: a disk that answers
#: ends a save in milliseconds
STUCK_AFTER_S = 2.0


class CloseHost(SaveHost, Protocol):
    """What the close's wait uses of the annotation controller (:class:`app.annotation.controller.AnnotationController`,
    not imported: it imports, through its open documents, this module): Save Now's look at the saves under way
    (`SaveHost`), its projects (`registry`) and its stroke under way (`gestures`)."""

    registry: ProjectRegistry
    gestures: ToolGestures


class StuckChoice(enum.Enum):
    """The answer to "close while saves are held by the disk?"."""

    SAVED = "saved"  # the disk answered meanwhile: close as usual
    CLOSE_ANYWAY = "close anyway"  # close now, those saves left where they are
    CANCEL = "cancel"  # keep the window open


def not_on_disk(stuck: list[Project]) -> tuple[list[str], list[str]]:
    """(images whose mask save is under way but whose edits are in their recovery logs, images with an edit not
    even in its log yet: its record queued) of the projects `stuck`; no disk looked at."""
    logged: list[str] = []
    queued: list[str] = []
    for project in stuck:
        for image_id in project.saves_under_way():
            waiting = log_sync.appends_waiting(log_path(project.mask_path(image_id)))
            (queued if waiting else logged).append(image_id)
    return logged, queued


_CLOSE_WORDS = ("The window closes by itself once they are on disk. <b>Close Anyway</b> closes it now; "
                "<b>Cancel</b> keeps it open.")


def _image_parts(stuck: list[Project]) -> tuple[str, list[str]]:
    """(what is not on disk: "N images", the informative text's paragraphs) of the projects `stuck`."""
    logged, queued = not_on_disk(stuck)
    count = len(logged) + len(queued)
    parts = []
    if logged:
        parts.append(f"In their recovery logs (back when the project opens next): "
                     f"{html.escape(image_names(logged, listed=12))}.")
    if queued:
        parts.append(f"<b>Not even in a recovery log yet</b> (lost if the window closes now): "
                     f"{html.escape(image_names(queued, listed=12))}.")
    return f"{count or 'some'} image{'' if count == 1 else 's'}", parts


def _text(stuck: list[Project], notes: VideoAnnotations | None = None,
          left: Sequence[VideoAnnotations] = ()) -> tuple[str, str]:
    """The question's words for the projects `stuck`, (their saves under way too) the video `notes` and the videos
    `left` to their saves with records queued (`_left_parts`)."""
    what, parts = _image_parts(stuck) if stuck else ("", [])
    folders = [str(p.folder) for p in stuck]
    videos = [(notes, _video_parts(notes))] if notes is not None else []
    for video, words in [*videos, *((n, _left_parts(n)) for n in left)]:
        if words is not None:
            what = f"{what} and {words[0]}" if what else words[0]
            parts += words[1]
            folders.append(str(video.folder))
    head = f"Waiting for the disk: {what} not on disk yet (the disk of {', '.join(folders)} does not answer)."
    return head, "<br><br>".join([*parts, _CLOSE_WORDS])


def ask_while_stuck(parent: QWidget | None, controller: CloseHost, stuck: list[Project]) -> StuckChoice:
    """Ask (modal; the event loop turns) while the saves of `stuck` are under way; the question goes by itself
    (`StuckChoice.SAVED`) once none is (looked at every `POLL_MS`, never waited for)."""
    def words() -> tuple[str, str] | None:
        now = projects_saving(controller)
        return _text(now) if now else None

    return _ask(parent, _text(stuck), words)


def _ask(parent: QWidget | None, first: tuple[str, str], words: Callable[[], tuple[str, str] | None]) -> StuckChoice:
    """The question (`first`: its head and informative text), its words looked at again every `POLL_MS`
    (`words`: None once the disk answered, and the question goes by itself)."""
    box = QMessageBox(QMessageBox.Icon.Warning, APPLICATION, first[0], QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("stuck_saves_question")
    box.setInformativeText(first[1])
    close_anyway = box.addButton("Close Anyway", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    settled: list[bool] = []
    timer = QTimer(box)
    timer.setInterval(POLL_MS)

    def look() -> None:
        now = words()
        if now is None:
            settled.append(True)
            box.done(0)
        else:
            box.setText(now[0])
            box.setInformativeText(now[1])

    timer.timeout.connect(look)
    timer.start()
    box.exec()
    timer.stop()
    if settled:
        return StuckChoice.SAVED
    return StuckChoice.CLOSE_ANYWAY if box.clickedButton() is close_anyway else StuckChoice.CANCEL


def ask_about(parent: QWidget | None, stuck: list[Project]) -> StuckChoice:
    """`ask_while_stuck` about the projects `stuck` themselves, looked at without waiting (no controller:
    `app.annotation.open_documents.OpenDocuments.confirm_close`, for a disk that stopped answering after
    `settle_before_close`)."""
    def words() -> tuple[str, str] | None:
        now = [p for p in stuck if not p.saves_settle(0.0)]
        return _text(now) if now else None

    return _ask(parent, _text(stuck), words)


def abandon(controller: CloseHost, stuck: list[Project]) -> None:
    """Close Anyway: the window's close goes on without the projects `stuck` (`let_go`)."""
    let_go(controller.registry.projects, stuck)


def let_go(projects: list[Project], stuck: list[Project]) -> None:
    """The window's close goes on without the projects `stuck`, taken out of `projects` (a registry's): nothing
    waits for their saves, which go on where the disk holds them until the process ends; their locks are left."""
    for project in stuck:
        project.save_notify = project.compaction_notify = None  # their threads call nothing of the window
        if project in projects:
            projects.remove(project)


def _saving_after(controller: CloseHost, seconds: float) -> list[Project]:
    """The projects whose saves are still under way after `seconds` at most, the event loop turning meanwhile
    (a nested loop, as a modal question's); [] as soon as none is."""
    stuck = projects_saving(controller)
    if stuck and not _settles_within(seconds, lambda: not projects_saving(controller)):
        return projects_saving(controller)
    return []


def _settles_within(seconds: float, settled: Callable[[], bool], user_input: bool = True) -> bool:
    """Whether `settled()` is true within `seconds`, looked at every `POLL_MS`, the event loop turning meanwhile
    (a nested loop, as a modal question's; without the user's clicks and keys unless `user_input`); returns as
    soon as it is."""
    if settled():
        return True
    loop, poll, limit = QEventLoop(), QTimer(), QTimer()
    limit.setSingleShot(True)
    poll.setInterval(POLL_MS)
    ended: list[bool] = []

    def look() -> None:
        if settled():
            ended.append(True)
            loop.quit()

    poll.timeout.connect(look)
    limit.timeout.connect(loop.quit)
    poll.start()
    limit.start(int(seconds * 1000))
    loop.exec() if user_input else loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    poll.stop()
    limit.stop()
    return bool(ended) or settled()


def settle_before_close(controller: CloseHost, parent: QWidget | None = None,
                        notes: VideoAnnotations | None = None,
                        leave: Callable[[VideoAnnotations], None] | None = None,
                        left: Callable[[], list[VideoAnnotations]] | None = None) -> bool:
    """Before the window's close waits for the saves: True when none is under way, when the disk answered while
    asked, or when the user chose Close Anyway (those projects let go: `abandon`); False: Cancel. `notes`: the
    open video, whose frame and ``video.json`` saves are let end and asked about in the same question (one
    question for both: `ask_while_all_stuck`); Close Anyway then leaves it to its save thread (`leave`). `left`:
    the videos closed before and left to their saves (`FrameEditor.left_videos`): those whose records are still
    queued for their logs (lost if the window closes) are let end and asked about in the same question."""
    controller.gestures.finish()  # a stroke under way: its commit's save counts too
    lefts = left if left is not None else list

    def video_stuck() -> VideoAnnotations | None:
        return notes if notes is not None and _video_parts(notes) is not None else None

    if notes is None and left is None:
        stuck = _saving_after(controller, STUCK_AFTER_S)
    elif _settles_within(STUCK_AFTER_S, lambda: not projects_saving(controller) and video_stuck() is None
                         and not _left_stuck(lefts())):
        stuck = []
    else:
        stuck = projects_saving(controller)
    video = video_stuck()
    if not stuck and video is None and not _left_stuck(lefts()):
        return True
    if video is None and not _left_stuck(lefts()):
        choice = ask_while_stuck(parent, controller, stuck)  # (tests answer instead)
    else:
        choice = ask_while_all_stuck(parent, controller, stuck, video, lefts)
    if choice is StuckChoice.CANCEL:
        return False
    if choice is StuckChoice.CLOSE_ANYWAY:
        abandon(controller, projects_saving(controller) or stuck)
        if video is not None and video_stuck() is not None and leave is not None:
            leave(video)
    return True


def ask_while_all_stuck(parent: QWidget | None, controller: CloseHost, stuck: list[Project],
                        notes: VideoAnnotations | None, left: Callable[[], list[VideoAnnotations]] = list) -> StuckChoice:
    """`ask_while_stuck` about the projects `stuck`, the open video `notes` (its frames and ``video.json``) and the
    videos left to their saves whose records are queued (`left`, looked at again) in one question; it goes by
    itself once none of their saves is under way (none of those records queued)."""
    def words() -> tuple[str, str] | None:
        now, video = projects_saving(controller), notes is not None and _video_parts(notes) is not None
        lefts = _left_stuck(left())
        return _text(now, notes if video else None, lefts) if now or video or lefts else None

    return _ask(parent, _text(stuck, notes, _left_stuck(left())), words)


def frames_queued(notes: VideoAnnotations, frames: list[int]) -> list[int]:
    """Those of `frames` (of the video `notes`, their saves under way) whose commit record is still queued for its
    recovery log (`log_sync.appends_waiting`): in no file yet, lost if the process ends now."""
    return [i for i in frames if log_sync.appends_waiting(log_path(notes.mask_path(i)))]


def _left_parts(notes: VideoAnnotations) -> tuple[str, list[str]] | None:
    """(what is lost: "N frames of NAME", the informative text's paragraph) of a video closed and left to its saves
    (`app.video.frame_editing.FrameEditor.leave_saves`) whose frames' records are still queued; None when none is
    (what is in its recovery logs comes back when it opens next: not asked about again)."""
    queued = frames_queued(notes, notes.frames_under_way())
    if not queued:
        return None
    names = html.escape(image_names([f"frame {i}" for i in queued], listed=12))
    return (f"{len(queued)} frame{'' if len(queued) == 1 else 's'} of {notes.video.name} (closed, left to its saves)",
            [f"<b>Not even in a recovery log yet</b> (lost if the window closes now): {names} of "
             f"{html.escape(notes.video.name)}."])


def _left_stuck(left: list[VideoAnnotations]) -> list[VideoAnnotations]:
    """The videos of `left` (left to their saves) with records still queued."""
    return [notes for notes in left if _left_parts(notes) is not None]


def frames_not_on_disk(notes: VideoAnnotations) -> tuple[list[int], bool]:
    """(the frames of the video `notes` whose save is under way - their commits in their recovery logs -,
    whether its ``video.json`` write is under way): the saves that ended taken first, no wait."""
    return notes.frames_under_way(), notes.states_pending()


def _video_parts(notes: VideoAnnotations) -> tuple[str, list[str]] | None:
    """(what is not on disk: "N frames of NAME", the informative text's paragraphs) of a video whose saves are
    under way; None when none is."""
    frames, state = frames_not_on_disk(notes)
    if not frames and not state:
        return None
    what = [f"{len(frames)} frame{'' if len(frames) == 1 else 's'}"] if frames else []
    what += ["its keyframe and edited marks"] if state else []
    queued = frames_queued(notes, frames)  # record not written yet
    logged = [i for i in frames if i not in queued]
    parts = []
    if logged:
        parts.append(f"In their recovery logs (back when the video opens next): "
                     f"{html.escape(image_names([f'frame {i}' for i in logged], listed=12))}.")
    if queued:
        parts.append(f"<b>Not even in a recovery log yet</b> (lost if the window closes now): "
                     f"{html.escape(image_names([f'frame {i}' for i in queued], listed=12))}.")
    if state:
        parts.append("<b>The keyframe marks changed since video.json was last written</b> are lost if the window "
                     "closes now (the video reopens with every mask, marked edited).")
    return f"{' and '.join(what)} of {notes.video.name}", parts


def _video_text(notes: VideoAnnotations) -> tuple[str, str] | None:
    """The question's words for a video whose saves are under way; None when none is."""
    return None if _video_parts(notes) is None else _text([], notes)


def video_settled_within(notes: VideoAnnotations, seconds: float) -> bool:
    """Whether the frame and ``video.json`` saves under way of the video `notes` end within `seconds` (the event
    loop turning; their ends taken, none waited for): the video's closing alone asks nothing
    (`app.video.frame_editing.FrameEditor.leave_saves`; the user's clicks and keys wait: the video is closing)."""
    return _settles_within(seconds, lambda: _video_text(notes) is None, user_input=False)


def ask_while_frames_stuck(parent: QWidget | None, notes: VideoAnnotations, first: tuple[str, str]) -> StuckChoice:
    """`ask_while_stuck` for the open video's frame and ``video.json`` saves (`first`: the words to start with)."""
    return _ask(parent, first, lambda: _video_text(notes))


def settle_video(notes: VideoAnnotations, parent: QWidget | None = None) -> StuckChoice:
    """Before the window closes the video `notes`: its frame and ``video.json`` saves under way let end for
    `STUCK_AFTER_S` (the event loop turning), then asked about while a disk that does not answer holds them
    (`ask_while_frames_stuck`). SAVED: none under way (their ends taken); CLOSE_ANYWAY: close without waiting
    for them (the caller leaves them, and the video's lock, to its save thread); CANCEL: keep the window."""
    if _settles_within(STUCK_AFTER_S, lambda: _video_text(notes) is None):
        return StuckChoice.SAVED
    first = _video_text(notes)
    return StuckChoice.SAVED if first is None else ask_while_frames_stuck(parent, notes, first)
