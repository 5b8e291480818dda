"""Annotate ▸ Import Labels… run on a worker thread (`app.annotation.import_job.ImportJob`: it reads the
source and imports, its cancel and its ending signals), with a progress dialog and Cancel.

`LabelImports` is the window's side: one import at a time (a second is refused with a message),
a non-modal `QProgressDialog` whose Cancel stops it, and the project left to the worker while it
runs: the tools stand aside (the controller lends them no document, `attach_document(None, ...)`,
so a stroke or a status change says the image waits) while each image's saved mask stays shown,
read-only (`app.annotation.import_view`; the status bar says how far the import is), the model
summaries that arrive for the project are held until the end (`app.annotation.import_hold`: one
thread writes it at a time), pending saves and a background rewrite of ``project.json`` are
finished first: the job starts once they ended, looked at every `SAVES_LOOK_MS` without waiting (a disk
that does not answer holds the import, never the window; the dialog says it waits for the disk, Cancel
ends it, nothing imported). At the end the documents are reloaded from the files (as the
import always did), the worklist refreshed and the status bar says what was imported. Closing the
window cancels a running import and waits for the mask being written (`close`).

Another source of masks (Annotate ▸ Pre-label All: `app.annotation.prelabel_runs`) reuses all of this
through a public seam, and only it: an `ImportJob` (`app.annotation.import_job`) whose `ImportJob.work`
makes the report (its ending signals, thread and cancel are `ImportJob.run`'s), and a `LabelImports` whose `make_job`,
`title`, `held_key` and words (`reading_text`, `progress_text`, `finished_text`, `abandoned_text`,
`read_cancelled_text`) are its own. A change to what these are asked, or when, is a change to that
contract: `tests/gui/test_prelabel_window.py` runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.annotation import close_waits, import_hold
from app.annotation.import_job import ImportJob
from app.annotation.import_labels_dialog import import_summary, nothing_matched_words
from app.annotation.import_view import HELD_KEY, HeldMaskView
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ProjectError
from fosp_core.annotation.foreign_import import no_smoke_note
from fosp_core.annotation.foreign_shapes import ForeignLabels
from fosp_core.annotation.labels import ImportReport
from fosp_core.mask_warnings import MaskWarning, NotAMaskWarning
from fosp_core.session import OpenError

if TYPE_CHECKING:
    from app.annotation.controller import AnnotationController
    from fosp_core.annotation.project import Project

__all__ = ["HELD_KEY", "LabelImports", "mask_warning_words"]

#: files named in the summary of label files that look wrong, then "and N more"
NAMED_FILES = 3
#: how often an import waiting for the project's saves under way (and its rewrite) looks at them (ms)
SAVES_LOOK_MS = 50
#: how long the window's close waits for a cancelled import to stop after the mask being written (s): one that
#: a disk that does not answer holds is left its project (`LabelImports.close`)
CLOSE_WAIT_S = 2.0


def mask_warning_words(found: Sequence[MaskWarning]) -> list[str]:
    """The summary's parts for the library's warnings of an import (`ImportJob.mask_warnings`): the label
    files that look like photos, named (each once), and any other warning as it is."""
    photos = list(dict.fromkeys(w.path.name if w.path is not None else str(w)
                                for w in found if isinstance(w, NotAMaskWarning)))
    parts = [str(w) for w in dict.fromkeys(str(w) for w in found if not isinstance(w, NotAMaskWarning))]
    if photos:
        names = ", ".join(photos[:NAMED_FILES]) + (f" and {len(photos) - NAMED_FILES} more"
                                                  if len(photos) > NAMED_FILES else "")
        one = len(photos) == 1
        parts.insert(0, f"{len(photos)} label {'file looks like a photo' if one else 'files look like photos'}, "
                        f"not {'a mask' if one else 'masks'} (imported all the same: check "
                        f"{'it' if one else 'them'}): {names}")
    return parts



class LabelImports(QObject):
    """The window's imports (see module doc). ``ended(report)``: an import ended (None: it failed or
    was given up before writing); `job` is the running one."""

    ended = Signal(object)
    #: the progress dialog's title (another source's runs have their own: module doc)
    title = "Import Labels"
    #: the tools' key while a job holds them: what a stroke says ("No mask to edit for ..."; another source's own)
    held_key = HELD_KEY

    def __init__(self, window: QWidget, controller: AnnotationController,
                 ask_labels: Callable[[str, list[str]], list[str] | None],
                 report_errors: Callable[[list[OpenError]], None], refresh: Callable[[], None]) -> None:
        super().__init__(window)
        self.window, self.controller = window, controller
        self.ask_labels, self.report_errors, self.refresh = ask_labels, report_errors, refresh
        self.job: ImportJob | None = None
        self.dialog: QProgressDialog | None = None
        self.last_report: ImportReport | None = None
        self._held = False  # the tools were made to stand aside by this import
        self._closed = False
        self._waiting = False  # the job waits for the project's saves to end before it starts
        self.view = HeldMaskView(controller)  # the image's saved mask shown, read-only, meanwhile
        controller.document_changed.connect(self._keep_tools_aside)

    # --- starting -------------------------------------------------------------------------------
    def start(self, project: Project, source: Path | None, labels: Sequence[str] | None = None,
              status: Status = Status.EDITED) -> bool:
        """Import `source` into `project` on a worker, its masks given `status`; False (and why, in the status bar or the error
        reporter) when it cannot start: another import runs, the project is read-only."""
        if self.job is not None:
            self._say(f"Labels are being imported into {self.job.project.images_root.name}: wait for the "
                      "import to end or cancel it, then import again", 8000)
            return False
        try:
            project.check_writable()
        except ProjectError as exc:
            self.report_errors([OpenError(exc.path, exc.reason)])
            return False
        import_hold.hold(project)  # its worker alone writes it: model summaries wait (`import_hold`)
        self._hold_tools()
        self.dialog = self._progress_dialog(source)
        self._run(self.make_job(project, source, labels, status))
        return True

    # --- the seam another source of masks overrides (module doc) ---------------------------------
    def make_job(self, project: Project, source: Path | None, labels: Sequence[str] | None,
                 status: Status) -> ImportJob:
        """The job `start` runs."""
        return ImportJob(project, source, labels, status)

    def reading_text(self, source: Path | None) -> str:
        """The progress dialog's line before the first mask."""
        name = "the dataset's own labels" if source is None else source.name
        return f"Reading {name}…"

    def progress_text(self, done: int, total: int) -> tuple[str, str]:
        """(the progress dialog's line, the status bar's while the tools stand aside) after `done` of `total`."""
        return (f"Importing labels: {done} of {total} images",
                f"Importing labels: {done} of {total} images; masks are shown read-only until the import ends")

    def finished_text(self, job: ImportJob, report: ImportReport) -> str:
        """What the status bar says when `job` ended with `report`."""
        if type(report) is ImportReport and not (report.imported or report.skipped or report.cancelled):
            source = job.source.name if isinstance(job.source, Path) else "the dataset's labels"
            return nothing_matched_words(source, next(iter(job.project.ids), None))  # not "Imported 0 masks"
        note = no_smoke_note(report)  # masks imported empty: said, as the command line says it
        summary = import_summary(report, job.status) + ("" if note is None else f"; {note}")
        if report.cancelled:  # what else the summary says (kept, not taken, not in the project) follows
            summary = "; ".join([f"Import cancelled: {len(report.imported)} masks imported, "
                                 f"{report.not_reached} images not reached", *summary.split("; ")[1:]])
        return "; ".join([summary, *mask_warning_words(job.mask_warnings)])

    def abandoned_text(self, job: ImportJob) -> str:
        """What the status bar says of `job` cancelled while it still read its source (nothing written)."""
        name = job.source.name if isinstance(job.source, Path) else "the labels"
        return f"Import cancelled while reading {name}: nothing imported"

    def read_cancelled_text(self) -> str:
        """What the status bar says when the job's read ended cancelled (nothing written)."""
        return "Import cancelled: nothing imported"

    def _run(self, job: ImportJob) -> None:
        self.job = job
        job.signals.progress.connect(self._on_progress)
        job.signals.finished.connect(self._on_finished)
        job.signals.needs_labels.connect(self._on_needs_labels)
        job.signals.failed.connect(self._on_failed)
        job.signals.read_cancelled.connect(self._on_read_cancelled)
        self._start_settled(job)

    def _start_settled(self, job: ImportJob) -> None:
        """Start `job` once its project's saves under way and its background rewrite of ``project.json``
        ended (the worker alone writes the project then): looked at now, then every `SAVES_LOOK_MS`, never
        waited for (module doc); the dialog says the disk is waited for meanwhile. A job cancelled or
        replaced meanwhile is not started."""
        if self._closed or self.job is not job or job.cancelled or job.thread.ident is not None:
            return
        if not self._settled(job.project):
            if self.dialog is not None and not self._waiting:
                self.dialog.setLabelText(f"Saving: waiting for the disk of {job.project.images_root.name} "
                                         "before the import starts…")
            self._waiting = True
            QTimer.singleShot(SAVES_LOOK_MS, self, lambda: self._start_settled(job))
            return
        if self._waiting and self.dialog is not None:
            self.dialog.setLabelText(self.reading_text(job.source if isinstance(job.source, Path) else None))
        self._waiting = False
        job.start()

    @staticmethod
    def _settled(project: Project) -> bool:
        """Whether `project`'s saves and its background rewrite have ended, their ends taken (no wait)."""
        if not project.saves_settle(0.0):
            return False
        project.finish_compaction()  # taken when it ended (taking the saves may have started one)
        return not project.compacting

    def _from_job(self) -> ImportJob | None:
        """The running job, when the signal being handled is its own (None: an abandoned job's, or
        none running): a slot's first question."""
        job, sender = self.job, self.sender()
        if self._closed or job is None or (sender is not None and sender is not job.signals):
            return None
        return job

    def _hold_tools(self) -> None:
        """Leave the project to the worker: no document for the tools (its saves and rewrite are waited for
        by `_start_settled`, not here)."""
        controller = self.controller
        if not controller.attached:  # a video frame lent to the tools is the video's, not the project's
            controller.attach_document(None, self.held_key)
            self._held = True
            self.view.start()

    def _keep_tools_aside(self) -> None:
        """A video left during the import gave the image's document back: set it aside again."""
        if self._held and self.job is not None and not self.controller.attached:
            self.controller.attach_document(None, self.held_key)
            self.view.start()

    def _progress_dialog(self, source: Path | None) -> QProgressDialog:
        dialog = QProgressDialog(self.reading_text(source), "Cancel", 0, 0, self.window)
        dialog.setWindowTitle(self.title)
        dialog.setAccessibleName(f"{self.title} progress")
        dialog.setWindowModality(Qt.WindowModality.NonModal)  # the window stays usable meanwhile
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.canceled.connect(self.cancel)
        dialog.show()
        return dialog

    # --- while it runs ----------------------------------------------------------------------------
    def cancel(self) -> None:
        """Stop the running import after the mask being written (Cancel in the progress dialog); one
        still reading its source is abandoned and ends now, nothing imported (module doc)."""
        job = self.job
        if job is None:
            return
        if job.thread.ident is None:  # still waiting for the disk: never started, nothing written
            job.abandon()
            self._end(None, self.read_cancelled_text(), wait=False)
        elif job.abandon():
            self._end(None, self.abandoned_text(job), wait=False)
        elif self.dialog is not None:
            self.dialog.setLabelText("Stopping after the mask being written…")

    def wait(self) -> ImportReport | None:
        """Wait (the window's events going on) for the running import to end; its report, None when
        it failed (scripts and tests; the menu does not wait)."""
        if self.job is not None:
            loop = QEventLoop()
            self.ended.connect(loop.quit)
            try:
                loop.exec()
            finally:
                self.ended.disconnect(loop.quit)
        return self.last_report

    def _on_progress(self, done: int, total: int) -> None:
        job = self._from_job()
        if job is None:
            return
        self.view.refresh()  # the mask shown was written by the import: shown as imported
        if self.dialog is not None and not job.cancelled:
            self.dialog.setMaximum(max(total, 1))
            self.dialog.setValue(done)
            line, status = self.progress_text(done, total)
            self.dialog.setLabelText(line)
            if self._held:
                self._say(status, 0)

    def _on_needs_labels(self, foreign: ForeignLabels, labels: list[str]) -> None:
        job = self._from_job()
        if job is None:
            return
        chosen = None if job.cancelled else self.ask_labels(foreign.source, labels)
        if self._closed or self.job is not job:  # the window closed during the question: nothing more
            return
        if not chosen:
            self._end(None, "Import cancelled" + ("" if job.cancelled else ": no smoke label chosen"))
            return
        self._run(ImportJob(job.project, foreign, chosen, job.status))

    def _on_finished(self, report: ImportReport) -> None:
        job = self._from_job()
        if job is not None:
            self._end(report, self.finished_text(job, report))

    def _on_failed(self, error: Exception) -> None:
        job = self._from_job()
        if job is None:
            return
        path = getattr(error, "path", None) or (job.source if isinstance(job.source, Path) else job.project.folder)
        reason = getattr(error, "reason", None) or f"{type(error).__name__}: {error}"
        self._end(None, None)
        self.report_errors([OpenError(Path(path), str(reason))])

    def _on_read_cancelled(self) -> None:
        job = self._from_job()  # a read given up by a cancel that came as the read ended
        if job is not None:
            self._end(None, self.read_cancelled_text())

    # --- ending ------------------------------------------------------------------------------------
    def _end(self, report: ImportReport | None, message: str | None, *, wait: bool = True) -> None:
        """The import ended: the dialog closed, the summaries held meanwhile stored, the tools given
        their (reloaded) document back. wait=False: the job was abandoned while reading (`cancel`)."""
        job = self.job
        self.job, self.last_report, self._waiting = None, report, False
        if job is not None:  # its signal came as its thread ends: nothing of the project is touched after
            if wait:
                job.done.wait()
            import_hold.release(job.project)  # the GUI thread writes it again, what came meanwhile first
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            was_active = self.dialog.isActiveWindow()
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
            if was_active:  # the keys go to the window again (its shortcuts: R, B, ...)
                self.window.activateWindow()
        self._say(message or "", 12000)  # none: the progress line goes
        self._give_tools_back()
        self.refresh()
        self.ended.emit(report)

    def _give_tools_back(self) -> None:
        controller, held = self.controller, self._held
        self._held = False
        self.view.stop()
        controller.reload_documents()  # attached: lets the kept documents go (their masks may be new)
        if held and controller.attached_key == self.held_key:
            controller.detach_document()  # the current image's document, read again

    def close(self) -> None:
        """The window closes: a running import is cancelled and its thread waited for (it stops after
        the mask being written; the project is then consistent for `Project.close`), unless it is
        still reading its source: abandoned then, not waited for (it never touches the project). One
        that does not stop within `CLOSE_WAIT_S` (its mask's write held by a disk that does not answer)
        is left its project, as Close Anyway leaves a project whose saves are held
        (`app.annotation.close_waits.abandon`: not closed, its lock left; the summaries held are dropped)."""
        self._closed = True
        job = self.job
        if job is not None:
            self.job = None
            if job.abandon() or job.thread.ident is None or job.done.wait(CLOSE_WAIT_S):
                import_hold.release(job.project)  # closed next, with what arrived meanwhile
            else:  # its thread still writes the project: nothing else may, nor close it
                import_hold.drop(job.project)
                close_waits.abandon(self.controller, [job.project])
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None
        self._held = False  # the controller closes next, its documents with it
        self.view.stop()

    def _say(self, text: str, ms: int) -> None:
        self.controller.message.emit(text, ms)
