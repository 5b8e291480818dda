"""Edits that could not be saved, told once and then counted: `SaveStatus`.

A failed autosave (disk full) keeps the edit in its document, and the annotator goes on stroke after
stroke, each autosave failing again. Like a good editor, the window says so prominently once - the
first failure, or the first of another reason (`reported`: the error reporter's message with the
file, the reason, what is kept and what to do) - and then only counts: the status bar's `indicator`
("3 images not saved — disk full; edits kept in memory", or "... kept in their recovery logs on
disk" for documents let go, the images in its tooltip, a click shows
the message again) and the message while it is still open (`updated`). Once every edit is on disk again the indicator goes,
the status bar names the images saved, the open message says all is saved, and the next failure is
a new trouble, told again. Closing the window while edits are not saved asks Retry / Discard /
Cancel (`ask`: `app.annotation.close_question`; see the controller's `confirm_close`); edits that
are lost all the same (the window closed, their save still failing) are told as such (`lost`).

The controller (`app.annotation.controller.AnnotationController`) says what failed (`failed`) and,
after every save or failure, which images are not saved now (`update`): the count is the
documents', never the number of failed writes - and the images whose journal fsync failed (EIO),
whose document may have been let go meanwhile (their edits are in their recovery logs): told the
same way, once, and counted until a save makes them durable.

A project whose ``project.json`` could not be rewritten (the journal's compaction, on a nearly full
disk; `fosp_core.annotation.project.Project.compaction_error`) loses nothing - every edit is in its
journal - but its file is behind and the journal grows. `behind` tells it in the same place, worded
for an annotator (edits are safe; free disk space), while no save has failed (that is told first),
and says so when a later rewrite worked. The controller calls it when a rewrite ends (the project's
"compacted" / "compaction_failed" events: a background rewrite, or the one ending a batch such as
Import Labels), after every save, and when projects open.

Recovery logs that an opening could not apply are set aside and kept until the user discards them:
`opened` lists them (`app.annotation.set_aside_logs.SetAsideLogs`, which also says when to list them
again) and the indicator shows them, with the command that discards each, while nothing more urgent
is told.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QToolButton, QWidget

from app.annotation.close_question import CloseChoice, ask_before_closing
from app.annotation.opening_notes import LABELS_NOTE_MS, labels_not_brought_in, shared_findings
from app.annotation.set_aside_logs import ListedLogs, SetAsideLogs
from app.quiet_notice import tell_quietly
from app.save_problems import LostEdits, SaveProblem, image_names
from app.theme import ERROR_COLOR
from fosp_core.annotation.recovery import UnappliedLog
from fosp_core.session import OpenError

if TYPE_CHECKING:
    from fosp_core.annotation.project import Project

__all__ = ["SaveStatus"]


@dataclass(frozen=True)
class _Failure:
    image: str
    error: OpenError
    folder: Path


class SaveStatus(QObject):
    """See module doc. Signals:

    reported(SaveProblem): tell it prominently (the error reporter's `report_save_problem`).
    updated(SaveProblem): the images not saved changed (`update_save_problem`).
    lost(list[LostEdits]): edits lost when the window closed (`report_lost_edits`).
    message(text, ms): a status-bar message.
    """

    reported = Signal(object)
    updated = Signal(object)
    lost = Signal(list)
    message = Signal(str, int)

    def __init__(self, parent: QObject | None = None, projects: Callable[[], Sequence[Project]] | None = None) -> None:
        super().__init__(parent)
        #: the projects open now (writable and read-only), whose logs set aside `refresh_set_aside` lists
        self.projects: Callable[[], Sequence[Project]] = projects or (lambda: ())
        self.set_aside_logs = SetAsideLogs()  # the recovery logs set aside in the open projects
        application = QGuiApplication.instance()
        if isinstance(application, QGuiApplication):
            application.applicationStateChanged.connect(self._application_state)
        #: the status bar's count of images not saved (hidden while everything is saved)
        self.indicator = QToolButton()
        self.indicator.setObjectName("unsaved_indicator")
        self.indicator.setAutoRaise(True)
        self.indicator.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: bold;")
        self.indicator.setVisible(False)
        self.indicator.clicked.connect(self._show_again)
        #: asks what to do with the edits not saved when the window closes (tests answer instead)
        self.ask: Callable[[QWidget | None, SaveProblem], CloseChoice] = ask_before_closing
        #: what the user is told now; None while everything is saved
        self.problem: SaveProblem | None = None
        self._failures: dict[Hashable, _Failure] = {}  # by document key: its last failure
        self._latest: Hashable | None = None
        self._told: set[str] = set()  # reasons told prominently while saves fail
        self._headline: _Failure | None = None  # the failure told last: the message's headline
        self._unsaved: dict[Hashable, str] = {}  # what `update` was told last
        self._run: dict[Hashable, str] = {}  # every image not saved since saves began to fail
        #: project folder -> why its project.json could not be rewritten (edits safe in its journal)
        self.behind_projects: dict[Path, str] = {}
        self.notice: QMessageBox | None = None  #: the last quiet notice of what an opening found (`opened`)

    def behind(self, projects: Mapping[Path, str]) -> None:
        """The projects whose ``project.json`` is behind their journal now: folder -> the reason
        ("cannot write: disk full"); empty when every rewrite worked."""
        projects = dict(projects)
        if projects == self.behind_projects:
            return
        before, self.behind_projects = self.behind_projects, projects
        if projects and not before:
            self.message.emit(f"Your edits are saved, but the project file could not be updated "
                              f"({self._behind_reasons()}): free some disk space", 10000)
        elif before and not projects:
            self.message.emit("Project file up to date again: all edits are in it", 8000)
        if self.problem is None:
            self._show_quiet()

    def opened(self, project: Project, paths: Sequence[str | Path] | None = None,
               set_aside: ListedLogs | None = None) -> None:
        """A project opened, writable or read-only: its recovered images told (`recovered`), its
        logs set aside listed (`set_aside`), an upgrade of an older version's files told (`upgraded`), a sync
        tool's conflicted copies and images with work gone from its folder told in a quiet notice
        (`app.annotation.opening_notes.shared_findings`, kept as `notice`), a dataset's labels not brought in
        yet told with the action that brings them in (`app.annotation.opening_notes.labels_not_brought_in`),
        counted among the images `paths` opened (None: all). `set_aside`: its logs set aside as listed where it was
        opened (`OpenedProject.set_aside`: not listed again here, on the GUI thread); None: listed here."""
        self.upgraded(project)
        self.recovered(project.recovered)
        self.set_aside(project.folder, self.set_aside_logs.listing(project.folder, project.ids, set_aside))
        if (found := shared_findings(project)) is not None:  # conflicted copies, images gone: said quietly
            self.message.emit(found[0], 15000)
            window = self.indicator.window() if self.indicator.parent() is not None else None
            self.notice = tell_quietly(window, "Shared project", found[1], QMessageBox.Icon.Information)
        if (labels := labels_not_brought_in(project, paths)) is not None:  # ground truth only: how to edit them
            self.message.emit(labels, LABELS_NOTE_MS)

    def upgraded(self, project: Project) -> None:
        """Opening `project` rewrote files an older FoSp Studio left, backed up first: say so in the
        status bar, one line naming the backups (`fosp_core.annotation.project_upgrade`)."""
        if project.upgrade is not None:
            self.message.emit(project.upgrade.describe(), 15000)

    @property
    def unapplied_logs(self) -> dict[Path, list[UnappliedLog]]:
        """Project folder -> the recovery logs set aside in it (never applied; the user discards them)."""
        return self.set_aside_logs.logs

    def refresh_set_aside(self) -> None:
        """List again the logs set aside in each open project (`projects`) whose mask folder changed
        since it was listed (another process discarded or set one aside); forget closed projects."""
        for folder, logs in self.set_aside_logs.changed(self.projects()):
            self.set_aside(folder, logs, opening=False)
        if self.problem is None:
            self._show_quiet()

    def _application_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.refresh_set_aside()

    def set_aside(self, folder: Path, logs: Sequence[UnappliedLog], *, opening: bool = True) -> None:
        """The recovery logs set aside in the project at `folder` (`Project.unapplied_logs`): told in
        the status bar and listed by the indicator while no save failed and the project files are
        up to date, each with the command that discards it (`SetAsideLogs.text`). `opening`: told when
        there is any (at every opening); else (listed again) told only when the list changed."""
        before = self.set_aside_logs.keep(folder, logs)
        new = [log for log in logs if log not in before]
        if logs and (opening or new):
            count = len(new) if not opening else len(logs)
            self.message.emit(f"{count} recovery log{'' if count == 1 else 's'} set aside in {folder} "
                              f"(edits that could not be applied after a crash): see the status bar button "
                              f"to discard {'it' if count == 1 else 'them'}", 10000)
        elif not opening and len(logs) < len(before):
            gone = len(before) - len(logs)
            left = f"{len(logs)} left" if logs else "no recovery log set aside now"
            self.message.emit(f"{gone} recovery log{'' if gone == 1 else 's'} set aside in {folder} "
                              f"discarded: {left}", 8000)
        if self.problem is None:
            self._show_quiet()

    def behind_text(self) -> str:
        """What the indicator's tooltip says while a project file is behind: what it means, what
        to do."""
        folders = "\n".join(f"  {folder}" for folder in self.behind_projects)
        return (f"Your edits are saved: each one is written to the project's journal (changes.jsonl) "
                f"and nothing is lost, even if the app or the computer crashes.\n\n"
                f"The project file (project.json) could not be brought up to date "
                f"({self._behind_reasons()}) in:\n{folders}\n\n"
                f"What to do: free some disk space on that drive. FoSp Studio tries again by itself "
                f"as you work and when the project closes; until then the journal grows and the "
                f"project takes a little longer to open.")

    def _behind_reasons(self) -> str:
        return ", ".join(dict.fromkeys(r.removeprefix("cannot write: ") for r in self.behind_projects.values()))

    def _show_quiet(self) -> None:
        """The indicator while no save failed: the project file behind, the recovery logs set aside,
        or nothing."""
        if not self.behind_projects:
            count = sum(len(logs) for logs in self.unapplied_logs.values())
            if count:
                self.indicator.setText(f"{count} recovery log{'' if count == 1 else 's'} set aside")
                self.indicator.setToolTip(self.set_aside_logs.text())
            self.indicator.setVisible(bool(count))
            return
        self.indicator.setText(f"Project file not updated ({self._behind_reasons()}): edits safe, free disk space")
        self.indicator.setToolTip(self.behind_text())
        self.indicator.setVisible(True)

    def recovered(self, images: Sequence[str]) -> None:
        """Opening a project applied the recovery logs of `images` (commits whose mask file a crash
        had left unwritten): say so in the status bar."""
        if images:
            self.message.emit(f"Recovered the last edits of {image_names(list(images))} (the app had stopped "
                              f"before writing {'its mask' if len(images) == 1 else 'their masks'})", 10000)

    def failed(self, key: Hashable, image: str, path: Path, reason: str, folder: Path) -> None:
        """The save of image `image` (document `key`) failed: `path` could not be written for
        `reason` ("cannot write: disk full"); `folder` is its project's."""
        self._failures[key] = _Failure(image, OpenError(path, reason), folder)
        self._latest = key

    def failure(self, key: Hashable) -> OpenError | None:
        """The last failure of document `key` while it is not saved (its file and reason)."""
        failure = self._failures.get(key)
        return None if failure is None else failure.error

    def tell_lost(self, lost: Sequence[LostEdits]) -> None:
        """The window closed while the saves of these edits still failed: they are lost."""
        if lost:
            self.lost.emit(list(lost))

    def update(self, unsaved: Mapping[Hashable, str]) -> None:
        """The documents not saved now (key -> image id), after a save or a failure; with the images
        of writable projects whose journal fsync failed (`Project.unsynced_images`), their document
        open or let go: a failure that came back as it was let go is told, not dropped."""
        open_documents = set(unsaved)
        unsaved = {**{(p.folder, i): i for p in self.projects() if not p.read_only for i in p.unsynced_images()},
                   **unsaved}
        logged = tuple(image for key, image in unsaved.items() if key not in open_documents)  # let go: in their logs
        for key in [k for k in self._failures if k not in unsaved]:
            del self._failures[key]
        let_go = self._let_go(unsaved)  # not saved: their project turned read-only (taken over)
        saved = [image for key, image in self._unsaved.items() if key not in unsaved and key not in let_go]
        for key in let_go:
            self._run.pop(key, None)
        self._unsaved = dict(unsaved)
        self._run.update(unsaved)
        if not unsaved:
            self._all_saved(told=bool(self._run))
            return
        if saved:
            self.message.emit(f"Saved {image_names(saved)}; still not saved: {len(unsaved)} "
                              f"image{'' if len(unsaved) == 1 else 's'}", 5000)
        if not self._failures:
            return  # nothing failed: documents not saved yet, not by a failure
        new = [f for f in self._failures.values() if f.error.reason not in self._told]
        if new:  # the latest failure, when its reason is new: the one to tell
            latest = self._failures.get(self._latest) if self._latest is not None else None
            self._headline = latest if latest in new else new[-1]
        told = self._headline or next(iter(self._failures.values()))
        reasons = tuple(f.error.reason for f in self._failures.values())
        problem = SaveProblem(told.image, told.error, told.folder, tuple(unsaved.values()), reasons, logged)
        changed = problem != self.problem
        self.problem = problem
        self._show_indicator(problem)
        if new:
            self._told |= {f.error.reason for f in new}
            self.message.emit(f"Could not save {told.image}: {told.error.reason} - the edit is kept", 10000)
            self.reported.emit(problem)
        elif changed:
            self.updated.emit(problem)

    def _let_go(self, unsaved: Mapping[Hashable, str]) -> set[Hashable]:
        """The documents told not saved that left the count because their project is read-only now
        (taken over while open: `app.annotation.taken_over_view` tells it) - not because they were saved."""
        read_only = {project.folder for project in self.projects() if project.read_only}
        return {key for key in self._unsaved if key not in unsaved and isinstance(key, tuple) and key[0] in read_only}

    def _all_saved(self, told: bool = True) -> None:
        """No edit is waiting for a save now: the indicator goes; `told`: they were saved (some of
        them at least), and the user hears that it is over (not when all left with a project
        turned read-only)."""
        problem, run = self.problem, list(self._run.values())
        self.problem = None
        self._failures.clear()
        self._told.clear()
        self._run.clear()
        self._latest = self._headline = None
        self._show_quiet()
        if problem is None or not told:
            return
        self.message.emit(f"All edits saved: {image_names(run)} {'is' if len(run) == 1 else 'are'} on disk now", 8000)
        self.updated.emit(replace(problem, unsaved=(), reasons=()))

    def _show_indicator(self, problem: SaveProblem) -> None:
        self.indicator.setText(problem.summary())
        images = "\n".join(f"  {image}" for image in problem.unsaved)
        self.indicator.setToolTip(f"Not saved yet:\n{images}\n\n{problem.advice()}\n\nClick for the details.")
        self.indicator.setVisible(True)

    def _show_again(self) -> None:
        if self.problem is not None:
            self.reported.emit(self.problem)
        elif self.behind_projects:
            self.message.emit(self.behind_text().replace("\n\n", " ").replace("\n", " "), 15000)
        elif self.unapplied_logs:
            self.message.emit(" ".join(self.set_aside_logs.text().split()), 30000)
