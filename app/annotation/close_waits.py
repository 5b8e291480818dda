"""Closing the window while mask saves are held by a disk that does not answer (a network drive gone, a
USB disk pulled): the close waited for them on the GUI thread, with no end (the window froze, and only a
kill ended it). Now `settle_before_close` looks at them without waiting (`app.annotation.save_now`'s look)
and, while some are under way, asks (`ask_while_stuck`, modal, the event loop turning): it says which
images are not on disk yet - in their recovery logs (they come back at the next opening), or not even that
(lost if the window closes now) - and waits. The question goes by itself, and the close goes on, once the
disk answered; **Close Anyway** closes now, leaving those projects' saves where they are (`abandon`: the
close does not wait for them; their lock is left, a dead process's, taken back at the next opening);
**Cancel** keeps the window open.
"""

from __future__ import annotations

import enum
import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from app.annotation.save_now import POLL_MS, projects_saving
from app.save_problems import image_names
from app.services import APPLICATION
from fosp_core.annotation import log_sync
from fosp_core.annotation.recovery import log_path

if TYPE_CHECKING:
    from app.annotation.controller import AnnotationController
    from fosp_core.annotation.project import Project

__all__ = ["STUCK_AFTER_S", "StuckChoice", "abandon", "ask_while_stuck", "not_on_disk", "settle_before_close"]

#: how long the close lets saves under way end (the event loop turning) before it asks: a disk that answers
#: ends a save in milliseconds
STUCK_AFTER_S = 2.0


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


def _text(stuck: list[Project]) -> tuple[str, str]:
    logged, queued = not_on_disk(stuck)
    count = len(logged) + len(queued)
    folders = ", ".join(str(p.folder) for p in stuck)
    head = (f"Waiting for the disk: {count or 'some'} image{'' if count == 1 else 's'} not on disk yet "
            f"(the disk of {folders} does not answer).")
    parts = []
    if logged:
        parts.append(f"In their recovery logs (back when the project opens next): "
                     f"{html.escape(image_names(logged, listed=12))}.")
    if queued:
        parts.append(f"<b>Not even in a recovery log yet</b> (lost if the window closes now): "
                     f"{html.escape(image_names(queued, listed=12))}.")
    parts.append("The window closes by itself once they are on disk. <b>Close Anyway</b> closes it now; "
                 "<b>Cancel</b> keeps it open.")
    return head, "<br><br>".join(parts)


def ask_while_stuck(parent: QWidget | None, controller: AnnotationController, stuck: list[Project]) -> StuckChoice:
    """Ask (modal; the event loop turns) while the saves of `stuck` are under way; the question goes by itself
    (`StuckChoice.SAVED`) once none is (looked at every `POLL_MS`, never waited for)."""
    head, informative = _text(stuck)
    box = QMessageBox(QMessageBox.Icon.Warning, APPLICATION, head, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("stuck_saves_question")
    box.setInformativeText(informative)
    close_anyway = box.addButton("Close Anyway", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    settled: list[bool] = []
    timer = QTimer(box)
    timer.setInterval(POLL_MS)

    def look() -> None:
        now = projects_saving(controller)
        if not now:
            settled.append(True)
            box.done(0)
        else:
            box.setText(_text(now)[0])
            box.setInformativeText(_text(now)[1])

    timer.timeout.connect(look)
    timer.start()
    box.exec()
    timer.stop()
    if settled:
        return StuckChoice.SAVED
    return StuckChoice.CLOSE_ANYWAY if box.clickedButton() is close_anyway else StuckChoice.CANCEL


def abandon(controller: AnnotationController, stuck: list[Project]) -> None:
    """Close Anyway: the window's close goes on without the projects `stuck` (nothing waits for their saves,
    which go on where the disk holds them until the process ends; their locks are left)."""
    for project in stuck:
        project.save_notify = None
        if project in controller.registry.projects:
            controller.registry.projects.remove(project)


def _saving_after(controller: AnnotationController, seconds: float) -> list[Project]:
    """The projects whose saves are still under way after `seconds` at most, the event loop turning meanwhile
    (a nested loop, as a modal question's); [] as soon as none is."""
    stuck = projects_saving(controller)
    if not stuck:
        return []
    loop, poll, limit = QEventLoop(), QTimer(), QTimer()
    limit.setSingleShot(True)
    poll.setInterval(POLL_MS)

    def look() -> None:
        stuck[:] = projects_saving(controller)
        if not stuck:
            loop.quit()

    poll.timeout.connect(look)
    limit.timeout.connect(loop.quit)
    poll.start()
    limit.start(int(seconds * 1000))
    loop.exec()
    poll.stop()
    limit.stop()
    return stuck


def settle_before_close(controller: AnnotationController, parent: QWidget | None = None) -> bool:
    """Before the window's close waits for the saves: True when none is under way, when the disk answered while
    asked, or when the user chose Close Anyway (those projects let go: `abandon`); False: Cancel."""
    controller.gestures.finish()  # a stroke under way: its commit's save counts too
    stuck = _saving_after(controller, STUCK_AFTER_S)
    if not stuck:
        return True
    choice = ask_while_stuck(parent, controller, stuck)  # (tests answer instead)
    if choice is StuckChoice.CANCEL:
        return False
    if choice is StuckChoice.CLOSE_ANYWAY:
        abandon(controller, projects_saving(controller) or stuck)
    return True
