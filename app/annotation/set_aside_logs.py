"""Recovery logs that an opening could not apply are set aside (``masks/<id>.png.recovery.unapplied``)
and kept until the user discards them: at every opening, writable or read-only (another process
holds the lock: listed all the same, nothing discarded), the controller hands the project to
`SaveStatus.opened`, which says so in the status bar and lists them in the indicator (while nothing
more urgent is told) with the exact command that discards each (``fosp project discard-log``); the app
deletes none. Only an opening sets a log aside (`fosp_core.annotation.recovery.recover`; a save in
the app never does), but another process may while the app is open: a ``discard-log`` in a
terminal, or the opening of a project this window shows read-only. So the list is made again when
the app comes back to the front (the application turns active: `SaveStatus.refresh_set_aside` asks
`SetAsideLogs.changed`): in a project this window holds, no other process can set one aside, so only the logs listed are looked at (one
``stat`` each: discarded?); a read-only one is listed again when its mask folder changed since (one
``stat`` of the folder) - no listing of a folder of 100 000 masks (~0.2 s) for nothing, and nothing
polled while the user works.

An open lists them where it opens the project, on its worker (:func:`list_set_aside`, by
`app.annotation.projects.prepare_projects`: ``OpenedProject.set_aside``), not on the GUI thread as the project is
adopted (a project kept on a share that stopped answering froze the window there); `SetAsideLogs.listing` takes
that listing (a project reopened by Take Over has none: listed then).

:class:`SetAsideLogs` keeps the lists and when each was made; `app.annotation.save_status.SaveStatus`
tells them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fosp_core.annotation.recovery import UnappliedLog, unapplied_logs
from fosp_core.annotation.recovery_state import unapplied_lines

if TYPE_CHECKING:
    from fosp_core.annotation.project import Project

__all__ = ["ListedLogs", "SetAsideLogs", "list_set_aside"]


def _stamp(folder: Path) -> int | None:
    """The modification time (ns) of the mask folder of the project at `folder`: it changes when a
    file there is added, removed or renamed (a log set aside or discarded); None when there is none."""
    try:
        return os.stat(folder / "masks").st_mtime_ns
    except OSError:
        return None


@dataclass(frozen=True)
class ListedLogs:
    """The logs set aside in a project (`logs`) and its mask folder's modification time just before they were
    listed (`stamp`, `_stamp`)."""

    stamp: int | None
    logs: tuple[UnappliedLog, ...]


def list_set_aside(folder: Path, ids: Sequence[str]) -> ListedLogs:
    """The logs set aside in the project at `folder` now (`ids`: its image ids, a long id's log's name is
    shortened on disk), its mask folder's stamp taken first (a change while listing is listed next time). Any
    thread: an open's worker lists those of the projects it opened."""
    stamp = _stamp(folder)
    return ListedLogs(stamp, tuple(unapplied_logs(folder / "masks", ids)))


class SetAsideLogs:
    """The recovery logs set aside in each open project (`logs`) and the state of its mask folder when
    they were listed (see the module doc)."""

    def __init__(self) -> None:
        #: project folder -> the recovery logs set aside in it (never applied; the user discards them)
        self.logs: dict[Path, list[UnappliedLog]] = {}
        self._listed: dict[Path, int | None] = {}  # project folder -> its mask folder's mtime when listed

    def listing(self, folder: Path, ids: Sequence[str], listed: ListedLogs | None = None) -> list[UnappliedLog]:
        """The logs set aside in the project at `folder` now, its mask folder listed (`ids`: a long id's
        log's name is shortened on disk), or as `listed` where the project was opened (:func:`list_set_aside`)."""
        listed = listed if listed is not None else list_set_aside(folder, ids)
        self._listed[folder] = listed.stamp
        return list(listed.logs)

    def keep(self, folder: Path, logs: Sequence[UnappliedLog]) -> list[UnappliedLog]:
        """`logs` are the project's at `folder` from now on; returns those it had."""
        before = self.logs.get(folder, [])
        if logs:
            self.logs[folder] = list(logs)
        else:
            self.logs.pop(folder, None)
        return before

    def changed(self, projects: Sequence[Project]) -> list[tuple[Path, list[UnappliedLog]]]:
        """The open `projects` whose logs set aside changed since they were listed, each with its logs
        now (to `keep`); the projects no longer open are forgotten."""
        open_projects = {project.folder: project for project in projects}
        for folder in [f for f in self._listed if f not in open_projects]:
            del self._listed[folder]
            self.logs.pop(folder, None)
        changes: list[tuple[Path, list[UnappliedLog]]] = []
        for folder, project in open_projects.items():
            if folder in self._listed and not project.read_only:  # only an opening sets one aside, and
                logs = self.logs.get(folder, [])  # none opens it for writing while it is ours:
                kept = [log for log in logs if log.path.exists()]  # those listed, discarded or not
                if len(kept) < len(logs):
                    changes.append((folder, kept))
            elif folder not in self._listed or self._listed[folder] != _stamp(folder):
                changes.append((folder, self.listing(folder, project.ids)))
        return changes

    def text(self) -> str:
        """What the indicator's tooltip says while recovery logs are set aside: what they are, where,
        and the exact command that discards each."""
        lines = [line for folder, logs in self.logs.items() for line in unapplied_lines(folder, logs)]
        return ("Recovery logs set aside: edits that the app could not apply when it reopened the project "
                "after a crash (the log was unreadable, or its mask file was lost). They are never applied, "
                "and FoSp Studio never deletes them:\n" + "\n".join(lines)
                + "\n\nWhat to do: look at the image; if its mask is right, discard the log with the "
                "command shown (in a terminal; the app may stay open).")
