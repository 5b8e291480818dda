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
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from app.annotation.projects import OpenedProject, ProjectRegistry
from app.open_words import say_kept_where_again
from app.services import APPLICATION
from fosp_core.annotation.project import Project
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


class LockPrompt:
    """Asks about each newly opened project locked on another computer (`resolve`) and takes over
    those the user chose. ``ask`` is the question (tests answer instead)."""

    def __init__(self, registry: ProjectRegistry, parent: Callable[[], QWidget | None]) -> None:
        self.registry = registry
        self.ask: AskTakeOver = ask_take_over
        self._parent = parent

    def resolve(self, opened: list[OpenedProject]) -> list[OpenedProject]:
        """`opened` with each project locked on another computer taken over where the user chose
        it (`ProjectRegistry.take_over`); the others as they were."""
        out: list[OpenedProject] = []
        for item in opened:
            project = item.project
            owner = project.locked_by if project is not None else None
            if project is not None and owner is not None and owner.elsewhere \
                    and self.ask(self._parent(), project.folder, owner):
                item = self.registry.take_over(item, owner)
            out.append(item)
        return out

    def take_over_later(self, project: Project | None) -> OpenedProject | None:
        """Take over `project`, shown read-only because of the lock `project.locked_by` names: one
        written on another computer after asking (taken only from that holder); one of this
        computer by reopening, which takes it only when its process has ended. The outcome (the
        new project, read-only still when the lock is held: it names the holder now), or None when
        the user said no, or nothing was reopened."""
        if not can_take_over(project):
            return None
        assert project is not None and project.locked_by is not None
        owner = project.locked_by
        opened = self.registry.opened(project)
        if opened is None or (owner.elsewhere and not self.ask(self._parent(), project.folder, owner)):
            return None
        item = self.registry.take_over(opened, owner)
        if item.project is project:
            return None
        if item.project is not None:  # where its labels are kept is said again as at its open, not looked at here
            say_kept_where_again(item.source, item.project.folder)
        return item
