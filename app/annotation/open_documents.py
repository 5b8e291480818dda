"""The image documents the annotation controller has open besides the current one, and the saving of
the edits whose autosave failed.

The documents of the last `RECENT_DOCUMENTS` images left are kept (`recent`), so going back to one
finds its undo history. An autosave that fails (disk full) is told once and then counted
(`app.annotation.save_status.SaveStatus`: the status bar's "N images not saved" until they are);
the edit stays in its document, which is saved again with the next save that succeeds, of whichever
image (`save_unsaved`), when it is let go, and when the window closes. A document let go whose save
fails again is held (`held`, beyond the `RECENT_DOCUMENTS`) until it is saved: going back to its
image finds it, edits and all. No document is ever let go with edits not on disk: not when the kept
ones are reloaded (`drop_all`, after Import Labels, in video mode too) and not when its image's
size changed on disk (`set_aside`). Only the window's close (`close`) tells edits lost, unless the
user chose to discard them (`confirm_close`).

Plain Python over the `ProjectRegistry` and the `SaveStatus`; the `AnnotationController` says which
document is current (`current`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.annotation import close_waits
from app.annotation.close_question import CloseChoice
from app.annotation.projects import ProjectRegistry
from app.annotation.save_status import SaveStatus
from app.save_problems import LostEdits
from fosp_core.annotation.document import AnnotationDocument
from fosp_core.annotation.project import Project, ProjectError
from fosp_core.annotation.recent import RecentDocuments
from fosp_core.session import OpenError

__all__ = ["OpenDocuments"]

Key = tuple[Path, str]  # (project folder, image id)

#: the longest `flush` waits unless told (a disk that answers ends the saves under way in a fraction of it)
FLUSH_WAIT_S = 30.0
#: how long letting a document go waits for its image's save under way (a disk that does not answer: the
#: document is held, not waited for; a disk that answers ends a save in a fraction of this)
LET_GO_WAIT_S = 0.5


class OpenDocuments:
    """See module doc. current(): (project, document) being edited, None when none (or another
    view's document is lent to the tools)."""

    def __init__(self, registry: ProjectRegistry, save_status: SaveStatus,
                 current: Callable[[], tuple[Project, AnnotationDocument] | None]) -> None:
        self.registry = registry
        self.save_status = save_status
        self._current = current
        self.recent: RecentDocuments[Key] = RecentDocuments(on_drop=self._forget)
        #: documents let go whose save failed, or is held by a disk that does not answer: kept, whatever their
        #: number, until they are saved
        self.held: dict[Key, AnnotationDocument] = {}
        self.discarded = False  # the user chose to close without the edits not saved
        #: asks about the projects whose saves a disk that does not answer holds at the close (tests replace it)
        self.ask_stuck: Callable[[QWidget | None, list[Project]], close_waits.StuckChoice] = close_waits.ask_about
        self.saving_unsaved = False

    # --- keeping and taking back -----------------------------------------------------------------
    def keep(self, project: Project, doc: AnnotationDocument) -> None:
        """The current document is left: keep it open (the oldest kept beyond the limit is let go)."""
        self.recent.keep((project.folder, doc.image_id), doc)

    def take(self, project: Project, image_id: str) -> AnnotationDocument | None:
        """The open document of an image (kept, or held with its edits not saved), removed from here;
        None when it has none."""
        key = (project.folder, image_id)
        doc = self.recent.take(key)
        return doc if doc is not None else self.held.pop(key, None)

    def set_aside(self, project: Project, doc: AnnotationDocument, shape: tuple[int, int]) -> OpenError | None:
        """`doc` (taken back) does not fit its image any more (`shape`, (H, W): the file changed on
        disk). A saved one is simply dropped (None). Edits not saved are saved as they were made, as a
        document let go is (`_forget`: in the background, its outcome waited for `LET_GO_WAIT_S` at most), and
        dropped once on disk (opening the image tells the mismatch); else held, told by the OpenError (the
        image is then shown without its mask): its save still held by a disk that does not answer
        (`release_held` once saved), or failed (saved as they were with the next save that works)."""
        (h, w), (mh, mw) = shape, doc.shape
        key = (project.folder, doc.image_id)
        self._forget(key, doc)
        if key not in self.held:
            return None
        if doc.image_id in project.saves_under_way():
            return OpenError(project.image_path(doc.image_id),
                             f"{doc.image_id}: the image is {w} x {h} now, its edits were made at {mw} x {mh} "
                             f"and are being saved as they were (the disk of {project.folder} does not answer "
                             "yet): they are kept, not shown on the new image")
        return OpenError(project.image_path(doc.image_id),
                         f"{doc.image_id}: the image is {w} x {h} now, its edits not saved were made at "
                         f"{mw} x {mh}: they are kept (saved as they were with the next save that works), "
                         "not shown on the new image")

    def drop_all(self) -> None:
        """Let every kept document go (masks changed on disk, e.g. labels imported, or the window
        closes): each with edits not saved is saved, or held when that fails."""
        self.recent.drop_all()

    def _project_of(self, folder: Path) -> Project | None:
        """The writable open project in `folder`, or None."""
        project = next((p for p in self.registry.projects if p.folder == folder), None)
        return None if project is None or project.read_only else project

    def _forget(self, key: Key, doc: AnnotationDocument) -> None:
        """Let a kept document go; an edit whose save failed is tried once more (`_save_again`: in the
        background), and held until that ended well (saved with the next save that works when it fails again)."""
        project = self._project_of(key[0])
        if project is not None and not project.image_settles(doc.image_id, LET_GO_WAIT_S):
            self.held[key] = doc  # its save held by a disk that does not answer: kept until it ends (`release_held`)
            return
        if project is None or project.is_saved(doc) or self.discarded:  # a failure of its PNG came back above
            return
        self.held[key] = doc  # counted while its outcome comes back
        was, self.saving_unsaved = self.saving_unsaved, True  # its events count, the status bar waits for its end
        try:
            self._save_again(project, doc)
            if project.image_settles(doc.image_id, LET_GO_WAIT_S) and project.is_saved(doc):
                self.held.pop(key, None)  # else kept until it ended well (`release_held`); a failure told by its event
        except ProjectError as exc:
            self.save_failed(project, doc.image_id, exc)
        finally:
            self.saving_unsaved = was
        if not was:  # what its events would have done: after a save that worked the rest saved, the status told
            self.update_status() if key in self.held else self.save_unsaved()

    # --- saving what is not saved ----------------------------------------------------------------
    def project_event(self, project: Project, event: tuple[str, str, Exception | None]) -> None:
        """A project's save event: count a failure; after a save that worked, save the rest."""
        kind, image_id, error = event
        if kind in ("compacted", "compaction_failed"):  # project.json rewritten on a worker, or not
            self.update_behind()
            return
        if kind == "save_failed" and error is not None:
            self.save_failed(project, image_id, error)
        elif kind == "saved" and not self.saving_unsaved:
            self.save_unsaved()
        if not self.saving_unsaved:
            self.update_status()

    def save_failed(self, project: Project, image_id: str, error: Exception) -> None:
        self.save_status.failed((project.folder, image_id), image_id,
                                getattr(error, "path", project.mask_path(image_id)),
                                getattr(error, "reason", str(error)), project.folder)

    def documents(self) -> list[tuple[Project, AnnotationDocument]]:
        """The open documents of writable projects: the ones held, the ones kept, the current one."""
        documents = list(self.held.items()) + self.recent.items()
        current = self._current()
        if current is not None:
            documents.append(((current[0].folder, current[1].image_id), current[1]))
        projects = {p.folder: p for p in self.registry.projects if not p.read_only}
        return [(projects[folder], doc) for (folder, _), doc in documents if folder in projects]

    def unsaved(self) -> list[tuple[Project, AnnotationDocument]]:
        """(project, document) of every open document whose last edits are not on disk (their save
        failed), the least recently shown first."""
        return [(project, doc) for project, doc in self.documents() if not project.is_saved(doc)]

    def update_status(self) -> None:
        self.save_status.update({(p.folder, d.image_id): d.image_id for p, d in self.unsaved()})
        self.update_behind()

    def update_behind(self) -> None:
        """Tell the projects whose project.json is behind their journal (a failed rewrite)."""
        self.save_status.behind({p.folder: p.compaction_error.reason for p in self.registry.projects
                                 if p.compaction_error is not None and not p.read_only})

    def save_unsaved(self) -> None:
        """A save succeeded (there is room again): save the open documents whose last save failed,
        so that their edits do not wait for their document to be let go or the window to close."""
        self.saving_unsaved = True
        deadline, queued = time.monotonic() + LET_GO_WAIT_S, []
        try:
            for project, doc in self.unsaved():
                try:
                    self._save_again(project, doc)
                    queued.append((project, doc.image_id))
                except ProjectError as exc:
                    self.save_failed(project, doc.image_id, exc)  # counted; tried again with the next save
            for project, image_id in queued:  # their outcomes, while the disk answers (a failure told by its event)
                project.image_settles(image_id, max(0.0, deadline - time.monotonic()))
        finally:
            self.saving_unsaved = False
        self.release_held()
        self.update_status()  # the status bar says which were saved

    @staticmethod
    def _save_again(project: Project, doc: AnnotationDocument) -> None:
        """Save `doc` again after a failure, as its commits are: with `Project.save_in_background` (the app) its
        record queued for its recovery log and its PNG for the save thread (a disk that does not answer holds
        neither this thread nor the window's close, whose waits are bounded: `flush`), the outcome coming back
        as a ``saved`` or ``save_failed`` event; else now, as is an edit whose mask file holds it, its journal
        line's fsync alone failed (`Project.unsynced_images`: a line written again, as a status change's). Raises
        ProjectError (its record refused, or that save failed)."""
        if project.save_in_background and doc.image_id not in project.unsynced_images():
            project.record_commit(doc)  # its outcome waited for `LET_GO_WAIT_S` at most by the callers
        else:
            project.save_document(doc)

    def release_held(self) -> None:
        """Let the held documents that are saved now go."""
        for (folder, image_id), doc in list(self.held.items()):
            project = self._project_of(folder)
            if project is None or (project.is_saved(doc) and image_id not in project.saves_under_way()):
                del self.held[(folder, image_id)]

    def flush(self, timeout: float = FLUSH_WAIT_S) -> list[Project]:
        """Wait for the background mask saves of every writable project, `timeout` seconds at most in all, and
        take their outcome; returns the projects whose saves are still under way then (a disk that does not
        answer holds them: never waited for without bound)."""
        deadline = time.monotonic() + timeout
        return [project for project in list(self.registry.projects)
                if not project.read_only and not project.saves_settle(max(0.0, deadline - time.monotonic()))]

    # --- the window closes -----------------------------------------------------------------------
    def confirm_close(self, parent: QWidget | None = None) -> bool:
        """Save what is not saved; while some edits still cannot be saved, ask (`save_status.ask`)
        Retry / Discard / Cancel. True: the window may close (all saved, or the user discards
        them); False: Cancel, all stays as it was. Saves held by a disk that stopped answering since
        `close_waits.settle_before_close` are let end `close_waits.STUCK_AFTER_S` at most, then asked about as
        there (`ask_stuck`: Close Anyway lets those projects go, `close_waits.let_go`)."""
        if not self._settle_or_ask(parent):
            return False
        while True:
            self.save_unsaved()  # in the background: its outcome taken, or asked about, next
            if not self._settle_or_ask(parent):
                return False
            problem = self.save_status.problem
            if not self.unsaved() or problem is None:
                return True
            choice = self.save_status.ask(parent, problem)
            if choice is CloseChoice.CANCEL:
                return False
            if choice is CloseChoice.DISCARD:
                self.discarded = True
                return True

    def _settle_or_ask(self, parent: QWidget | None) -> bool:
        """Let the saves under way end `close_waits.STUCK_AFTER_S` at most (their outcomes taken), then ask about
        those a disk that does not answer holds (`ask_stuck`). False: Cancel; True: all ended, or Close Anyway
        (those projects let go, `close_waits.let_go`)."""
        stuck = self.flush(timeout=close_waits.STUCK_AFTER_S)
        if not stuck:
            return True
        choice = self.ask_stuck(parent, stuck)
        if choice is close_waits.StuckChoice.CANCEL:
            return False
        if choice is close_waits.StuckChoice.CLOSE_ANYWAY:
            close_waits.let_go(self.registry.projects, stuck)
        return True

    def close_cancelled(self) -> None:
        """The window stays open after all (a question asked after :meth:`confirm_close`, the open
        video's, was cancelled): a Discard answered is void, the edits not saved are held and saved
        with the next save that works, as before the close (a document let go dropped them)."""
        self.discarded = False

    def close(self) -> list[LostEdits]:
        """Let every document go (the current one must be kept first), each not saved tried once
        more; returns the edits lost (none when the user discarded them) and forgets them all. A project whose
        saves a disk that stopped answering still holds after `close_waits.STUCK_AFTER_S` is let go as Close
        Anyway does (`close_waits.let_go`: not waited for, its lock left)."""
        close_waits.let_go(self.registry.projects, self.flush(timeout=close_waits.STUCK_AFTER_S))
        self.drop_all()  # each tried once more, in the background: held until that ended well
        close_waits.let_go(self.registry.projects, self.flush(timeout=close_waits.STUCK_AFTER_S))  # those retries
        self.release_held()
        lost = [] if self.discarded else [self._lost(project, doc) for project, doc in self.unsaved()]
        self.held.clear()
        return lost

    def _lost(self, project: Project, doc: AnnotationDocument) -> LostEdits:
        failure = self.save_status.failure((project.folder, doc.image_id))
        return LostEdits(doc.image_id, failure if failure is not None else OpenError(project.mask_path(doc.image_id), "not saved"))
