"""Asking whether to take over a project locked on another computer.

A project whose lock is held by a live process on this computer opens read-only and says who holds
it; a lock left by a dead process here is taken over without asking (`fosp_core.annotation.storage`).
A lock written on another computer (a project on a shared or network folder) cannot be checked
from here: it may be a FoSp Studio still running there, or one that crashed or lost its network.
Only the user can tell, so the window asks: Open Read-Only (the default), or Take Over, which
reopens the project taking the lock from the holder shown - and from no other that took it since.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from app.annotation.projects import OpenedProject, ProjectRegistry
from app.services import APPLICATION
from fosp_core.annotation.storage import LockInfo

__all__ = ["LockPrompt", "ask_take_over"]

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
