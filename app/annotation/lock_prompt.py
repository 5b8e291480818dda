"""Asking whether to take over a project locked on another computer.

A project whose lock is held by a live process on this computer opens read-only and says who holds
it; a lock left by a dead process here is taken over without asking (`fosp_core.annotation.storage`).
A lock written on another computer (a project on a shared or network folder) cannot be checked
from here: it may be a FoSp Studio still running there, or one that crashed or lost its network.
Only the user can tell, so the window asks: Open Read-Only (the default), or Take Over, which
reopens the project taking the lock from the holder shown - and from no other that took it since.

A project left read-only (Open Read-Only, or a holder here that has quit or crashed since) can be
taken over later without reopening the window: Annotate ▸ Take Over… (`LockPrompt.take_over_later`)
asks the same question about the holder the read-only message names; a holder on this computer is
not asked about and never broken: the project is reopened, taken only when that process has ended.

The reopening runs on a thread (`app.annotation.take_over_wait`: a share slow to answer must not hold the window);
the window waits half a second at most, then shows a wait with Stop Waiting. A project taken over after that wait
is handed over by ``taken`` (the controller adopts it and opens its documents again), as is, at an open, the project
left read-only when the user stopped waiting or it could not be reopened: its adoption waits for the Take Over, so
that a project being taken over is not told read-only first. A reopening that fails is said (``message``).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from app.annotation.projects import OpenedProject, PreparedProject, ProjectRegistry, reopen_taking_over
from app.annotation.take_over_wait import Reopened, TakeOverWait
from app.open_words import say_kept_where_again
from app.services import APPLICATION
from fosp_core.annotation.project import Project, ProjectError
from fosp_core.annotation.storage import LockInfo

__all__ = ["LockPrompt", "ask_take_over", "can_take_over"]

#: asks whether to take over the project in `folder` from `owner`: (parent, folder, owner) -> yes
AskTakeOver = Callable[[QWidget | None, Path, LockInfo], bool]


def ask_take_over(parent: QWidget | None, folder: Path, owner: LockInfo) -> bool:
    """A modal question: take over the project in `folder` that `owner` (on another computer)
    holds? True when the user chose Take Over."""
    who = f"user {owner.user}" if owner.user else "a user"
    since = f" since {owner.since}" if owner.since else ""
    box = QMessageBox(QMessageBox.Icon.Warning, APPLICATION,
                      f"This annotation project is in use on another computer ({owner.host}).", parent=parent)
    box.setInformativeText(
        f"<b>{html.escape(str(folder))}</b><br>Opened by {html.escape(who)} on <b>{html.escape(owner.host)}</b> "
        f"(process {owner.pid}){html.escape(since)}.<br><br>This computer cannot tell whether FoSp Studio "
        "still runs there. Take the project over only if it does not (it crashed, or was shut down): two "
        "programs saving one project overwrite each other's masks.<br><br><b>Open Read-Only</b> shows the "
        "masks without changing them.")
    take = box.addButton("Take Over", QMessageBox.ButtonRole.DestructiveRole)
    read_only = box.addButton("Open Read-Only", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(read_only)
    box.setEscapeButton(read_only)
    box.exec()
    return box.clickedButton() is take


def can_take_over(project: Project | None) -> bool:
    """Whether `project` is read-only because another process's lock held it when it was opened
    (what Take Over… is offered for)."""
    return project is not None and project.read_only and project.locked_by is not None


class LockPrompt(QObject):
    """Asks about each newly opened project locked on another computer (`resolve`) and takes over
    those the user chose. ``ask`` is the question (tests answer instead). Signals: taken(OpenedProject) a
    project to adopt after the wait (see module doc); message(text, ms) for the status bar; replacing(Project)."""

    taken = Signal(object)
    message = Signal(str, int)
    #: (the read-only project) about to be replaced by the one taken over: its documents, views of its files as they
    #: were read, go unsaved now (kept under its folder, the new project's too, they would be saved into it)
    replacing = Signal(object)

    def __init__(self, registry: ProjectRegistry, parent: Callable[[], QWidget | None]) -> None:
        super().__init__()
        self.registry = registry
        self.ask: AskTakeOver = ask_take_over
        self._parent = parent
        self.wait = TakeOverWait(parent)  # the reopening's thread, the window told while it waits

    @property
    def waiting(self) -> QProgressDialog | None:
        """The wait shown while a reopening runs past its first half second (Stop Waiting), else None."""
        return self.wait.dialog

    @property
    def running(self) -> bool:
        """A reopening's thread still runs."""
        return self.wait.running

    def close(self) -> None:
        """The window closes: a Take Over waited for hands nothing over (its project let go on its thread)."""
        self.wait.close()

    def resolve(self, opened: list[OpenedProject]) -> list[OpenedProject]:
        """`opened` with each project locked on another computer taken over where the user chose
        it (`reopen_taking_over`, `ProjectRegistry.replace`); the others as they were. One whose reopening
        goes on past the wait is left out: ``taken`` hands it over when it ends."""
        out: list[OpenedProject] = []
        for item in opened:
            project = item.project
            owner = project.locked_by if project is not None else None
            if project is not None and owner is not None and owner.elsewhere \
                    and self.ask(self._parent(), project.folder, owner):
                taken = self._take_over(item, owner, at_open=True)
                if taken is None:
                    continue  # adopted when the reopening ends
                item = taken
            out.append(item)
        return out

    def take_over_later(self, project: Project | None) -> OpenedProject | None:
        """Take over `project`, shown read-only because of the lock `project.locked_by` names: one
        written on another computer after asking (taken only from that holder); one of this
        computer by reopening, which takes it only when its process has ended. The outcome (the
        new project, read-only still when the lock is held: it names the holder now), or None when
        the user said no, nothing was reopened, or the reopening goes on past the wait (``taken`` then)."""
        if not can_take_over(project):
            return None
        assert project is not None and project.locked_by is not None
        owner = project.locked_by
        opened = self.registry.opened(project)
        if opened is None or (owner.elsewhere and not self.ask(self._parent(), project.folder, owner)):
            return None
        item = self._take_over(opened, owner, at_open=False)
        if item is None or item.project is project:
            return None
        if item.project is not None:  # where its labels are kept is said again as at its open, not looked at here
            say_kept_where_again(item.source, item.project.folder)
        return item

    def _take_over(self, opened: OpenedProject, owner: LockInfo, at_open: bool) -> OpenedProject | None:
        """`opened` reopened taking the lock from `owner` on the take-over thread: the outcome when it ends within
        the wait, else None (``taken`` later)."""
        if opened.project is None or not self.registry.holds(opened):
            return opened
        reopened = self.wait.start(opened.project.folder, partial(reopen_taking_over, opened, owner),
                                   partial(self._ended_later, opened, at_open), lambda: not self.registry.closed)
        return None if reopened is None else self._replaced(opened, reopened)

    def _replaced(self, opened: OpenedProject, reopened: Reopened | None) -> OpenedProject:
        """The registry's project of `opened` replaced by `reopened` (None: stopped); a failure said."""
        if isinstance(reopened, ProjectError) and opened.project is not None:
            self.message.emit(f"Could not take over the annotation project in {opened.project.folder}: "
                              f"{reopened.reason}; it stays read-only", 10000)
        if isinstance(reopened, PreparedProject) and self.registry.holds(opened):
            self.replacing.emit(opened.project)
        return self.registry.replace(opened, reopened)

    def _ended_later(self, opened: OpenedProject, at_open: bool, reopened: Reopened | None) -> None:
        if self.registry.closed:  # the window closed meanwhile: nothing to show it in
            self.registry.replace(opened, reopened)
            return
        item = self._replaced(opened, reopened)
        if reopened is None:
            self.message.emit("Stopped waiting for the disk: the annotation project stays read-only", 10000)
        if item is not opened and item.project is not None:
            say_kept_where_again(item.source, item.project.folder)
        if at_open or item is not opened:
            self.taken.emit(item)
