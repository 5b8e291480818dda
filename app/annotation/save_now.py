"""Save Now (Ctrl+S): what an annotator's Ctrl+S does in a program that saves every edit as it is made.

labelme, CVAT and napari save on Ctrl+S; here each edit is saved as it is made (a recovery-log line at
once, the mask's PNG by a save thread), and Ctrl+S did nothing, not even say so. Now it waits for the
saves under way, tries again those that failed, and says in the status bar what is on disk
(:func:`save_now`): "Saved: ..." or the failure's words, the status bar's indicator telling the rest as
after any failed save.

It never waits on the GUI thread: saves already ended are told at once; saves under way are looked at
every `POLL_MS` (`SaveNowWait`, a look that does not wait: ``Project.saves_settle(0)``, the records still
queued for their logs), the status bar saying "Saving: ..." meanwhile and the window usable. A disk that
has not answered for `SAVE_NOW_TELL_S` is said so (what is in a recovery log, what is not yet); the wait
goes on, and the outcome is said when the disk answers. Ctrl+S again meanwhile says where it stands.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer

from app.annotation.import_view import HELD_KEYS
from fosp_core.annotation import log_sync
from fosp_core.annotation.recovery import log_path

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from app.annotation.projects import ProjectRegistry
    from app.annotation.save_status import SaveStatus
    from fosp_core.annotation.document import AnnotationDocument
    from fosp_core.annotation.project import Project

__all__ = ["POLL_MS", "SAVE_NOW_TELL_S", "SaveHost", "SaveNowWait", "outcome", "projects_saving", "save_now"]

#: how often a Save Now waiting for saves under way looks at them (the GUI thread never waits for them)
POLL_MS = 50
#: after this long without the disk answering, the status bar says so (the wait goes on)
SAVE_NOW_TELL_S = 10.0
#: how long the status bar shows Save Now's outcome (ms)
SHOWN_MS = 8000


class _Documents(Protocol):
    """What Save Now uses of the controller's open documents (:class:`app.annotation.open_documents.OpenDocuments`,
    not named: it imports the close's wait, which imports this module)."""

    registry: ProjectRegistry

    def documents(self) -> list[tuple[Project, AnnotationDocument]]: ...
    def unsaved(self) -> list[tuple[Project, AnnotationDocument]]: ...
    def save_unsaved(self) -> None: ...


class SaveHost(Protocol):
    """What Save Now uses of the annotation controller (:class:`app.annotation.controller.AnnotationController`,
    a QObject underneath: the wait's Qt parent; not imported: it imports, through its open documents, the close's
    wait, which imports this module): its documents, the status bar (``message.emit(text, ms)``), the failed
    saves told (`save_status`), whether a job or a video frame holds the tools (`attached_key`, `attached`)."""

    open_documents: _Documents
    save_status: SaveStatus
    document: AnnotationDocument | None
    project: Project | None
    attached_key: str | None

    @property
    def message(self) -> SignalInstance: ...

    @property
    def attached(self) -> bool: ...

    def findChild(self, kind: type[SaveNowWait], /) -> SaveNowWait | None: ...  # noqa: N802 (Qt's name)


def save_now(controller: SaveHost) -> str:
    """Start Save Now: returns what to tell the user now - the outcome when no save is under way, else
    "Saving: ..." (the outcome follows on ``controller.message`` once the saves ended: `SaveNowWait`)."""
    if controller.attached_key in HELD_KEYS:  # an import or Pre-label All holds the project: not a video frame
        return (f"Nothing to save: the edits were saved as the tools stood aside; no mask can be edited for "
                f"{controller.attached_key}")
    if controller.attached:
        return ("Each frame's edit is saved as it is made; a save that fails is told in the status bar "
                "(Save Now is for images)")
    documents = controller.open_documents
    if controller.document is None and not documents.documents():
        return "Nothing to save: no image is open"
    if controller.document is not None and controller.project is not None and controller.project.read_only:
        return "Nothing to save: this image cannot be edited (read-only)"
    wait = controller.findChild(SaveNowWait)
    if wait is None:
        wait = SaveNowWait(controller)
    return wait.start()


def projects_saving(controller: SaveHost) -> list[Project]:
    """The writable projects whose saves are under way, each looked at without waiting (the outcome of those
    that ended taken: a failure told), or with a record still queued for one of their images' recovery logs.
    A record queued for another folder's log (a video's, a project let go) names none of them."""
    return [p for p in controller.open_documents.registry.projects if not p.read_only
            and (not p.saves_settle(0.0) or any(log_sync.appends_waiting(log_path(p.mask_path(i)))
                                                for i in p.saves_under_way()))]


def outcome(controller: SaveHost) -> str:
    """Once no save is under way: save again the documents whose save failed and say what is on disk."""
    documents = controller.open_documents
    if documents.unsaved():
        documents.save_unsaved()  # those that failed, tried again now
    problem = controller.save_status.problem
    if problem is not None and problem.unsaved:
        return f"Not saved: {problem.summary()} ({problem.headline()})"
    count = len(documents.documents())
    return (f"Saved: every edit is on disk ({count} open image{'' if count == 1 else 's'}; "
            "each edit is saved as it is made)")


class SaveNowWait(QObject):
    """A Save Now waiting for the saves under way, off the GUI thread's time (a timer's look each `POLL_MS`);
    a child of the controller, one at a time. ``busy``: while it waits."""

    def __init__(self, controller: SaveHost) -> None:
        super().__init__(controller)
        self.controller = controller
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._look)
        self.since = 0.0
        self.told_stuck = False

    @property
    def busy(self) -> bool:
        return self.timer.isActive()

    def start(self) -> str:
        """The outcome now when no save is under way, else "Saving: ..." and the wait begins (or goes on)."""
        stuck = projects_saving(self.controller)
        if not stuck:
            self.timer.stop()
            return outcome(self.controller)
        if not self.busy:
            self.since, self.told_stuck = time.monotonic(), False
            self.timer.start()
        return self._saving(stuck)

    def _saving(self, stuck: list[Project]) -> str:
        queued = log_sync.appends_waiting()
        waited = time.monotonic() - self.since
        if waited < SAVE_NOW_TELL_S:
            return (f"Saving: waiting for the disk of {stuck[0].folder} (the window stays usable; "
                    "Save Now says when all is on disk)")
        logs = (f"{queued} edit{' is' if queued == 1 else 's are'} not yet even in a recovery log"
                if queued else "each edit is in its recovery log")
        return (f"Still saving: the disk of {stuck[0].folder} has not answered for {waited:.0f} s; {logs}; "
                "its masks are written when the disk answers (this message says so then)")

    def _look(self) -> None:
        stuck = projects_saving(self.controller)
        if not stuck:
            self.timer.stop()
            self.controller.message.emit(outcome(self.controller), SHOWN_MS)
        elif not self.told_stuck and time.monotonic() - self.since >= SAVE_NOW_TELL_S:
            self.told_stuck = True
            self.controller.message.emit(self._saving(stuck), 0)
