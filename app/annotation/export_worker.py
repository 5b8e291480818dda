"""The image export's worker: `ExportWorker` checks the destination, then runs
`fosp_core.annotation.export.export_smokeseg`, on a QThreadPool thread (the Export dialog's,
`app.annotation.export_dialog`). The destination is read there only: a folder on a dead network drive holds
the worker, never the window. Its refusals, in the dialog's words (`destination_refusal`): a folder that holds
the project's own files or lies in its folder (`fosp_core.annotation.export_target`), the dataset a fine-tune
running now trains on (`fosp_core.annotation.export_reading`), a folder holding files of
the user's own (which Replace would delete: `refusal_words`), a folder not empty when Replace is not ticked. A full
disk, and a folder it may not write (read-only, no permission), are said with what was left and what to do
(`failure_words`, `NOT_WRITABLE`: `fosp_core.annotation.export_failure`'s, the words ``fosp project export`` says).

The pool is Qt's global one, which Qt waits for as the application ends: an export whose write a disk that does
not answer holds (left to its thread by the window's close, `ExportDialog.stop_and_wait`) kept the process alive,
window gone, for as long as the disk held it. `quit_leaving_exports` (the end of `app.main.main`) ends the process
without waiting for a worker still running then, saying on stderr that its export was abandoned and where its
unfinished copy is (`abandoned_words`: beside the destination, which is left as it was; the next export there
removes it, as after a cancel).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from app.pool_jobs import kept_jobs, start_kept
from fosp_core.annotation.export import export_smokeseg
from fosp_core.annotation.export_failure import NOT_WRITABLE, failure_words
from fosp_core.annotation.export_reading import reading_problem
from fosp_core.annotation.export_target import project_destination_problem
from fosp_core.annotation.project import Project
from fosp_core.data.export_folder import foreign_names, names_words
from fosp_core.data.smokeseg_debris import tmp_prefix
from fosp_core.train.run_reading import RunReading

__all__ = [
    "NOT_WRITABLE", "REPLACE_WORDS", "ExportOptions", "ExportWorker", "abandoned_words", "destination_refusal", "failure_words",
    "quit_leaving_exports", "refusal_words", "running_workers",
]

#: the Export dialog's option to replace an earlier export in the destination (a folder holding other
#: files is refused with or without it), named by the refusal of one
REPLACE_WORDS = "Replace an earlier export there"



@dataclass(frozen=True)
class ExportOptions:
    """What `export_smokeseg` is asked to do (see its doc)."""

    dst: Path
    reviewed_only: bool = False
    splits: str | tuple[float, float, float] = "keep"
    seed: int = 0
    resize_to: int | None = None  # each photo's own size (512: squashed to 512 x 512)
    overwrite: bool = False


def destination_refusal(project: Project, options: ExportOptions, app_runs: Iterable[RunReading] = ()) -> str | None:
    """Why the Export dialog refuses `options.dst` before exporting, in its words, or None: it holds
    `project`'s images, labels or masks, or lies in its folder (`project_destination_problem`: the export
    would replace them), a fine-tune running now trains on it (the app's, `app_runs`, or a `fosp train`'s:
    `reading_problem`), or it is a folder that is not empty and Replace is not ticked. Reads the disk: on the
    export's worker, never the GUI thread."""
    return refusal_words(options.dst, project_destination_problem(project, options.dst), options.overwrite, app_runs)


def refusal_words(dst: Path, problem: str | None, overwrite: bool, app_runs: Iterable[RunReading] = ()) -> str | None:
    """The Export dialogs' refusal of `dst` (the image one's and the video's Export frames), or None:
    ``{dst}: {problem}`` for a `problem` (it holds what the export would replace) or for a fine-tune running now
    that trains on it (`reading_problem`: the app's, `app_runs`, or a ``fosp train``'s marker), else a folder holding files
    of the user's own (`fosp_core.data.export_folder.foreign_names`, the rule the writer and every ``--overwrite``
    follow: Replace would delete them with the folder, so it is never offered, ticked or not; up to 3 named),
    else a folder that is not empty (an earlier export) when Replace (`REPLACE_WORDS`) is not ticked, or one that
    cannot be listed. Reads the disk: off the GUI thread."""
    problem = problem or reading_problem(dst, app_runs)
    if problem is not None:
        return f"{dst}: {problem}"
    if not dst.is_dir():
        return None
    try:
        own = foreign_names(dst)
    except OSError as exc:  # another user's folder, a share refusing its listing: said, not as Python's error
        return f"{dst} cannot be read ({exc.strerror or exc}): choose another folder"
    if own:  # the user's own files: Replace would delete them with the folder (never offered)
        return f"{dst} holds files that are not an export's (e.g. {names_words(own)}): choose another folder " \
               "(Replace would delete them)"
    if not overwrite and any(dst.iterdir()):
        return f"{dst} is not empty: choose another folder or tick \u201c{REPLACE_WORDS}\u201d"
    return None


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    cleaned = Signal(object)  # a DeadExport the writer removed or put back, as it is (before the first image)


class _Cancelled(Exception):
    """Raised from the progress callback to stop a cancelled export."""


#: the workers started and not ended yet (their `run` not returned), under `_RUNNING_GUARD`
_RUNNING: set[ExportWorker] = set()
_RUNNING_GUARD = threading.Lock()


def abandoned_words(options: ExportOptions) -> str:
    """What stderr says of an export still running as the process ends (`quit_leaving_exports`)."""
    dst = options.dst
    return (f"fosp-studio: the export to {dst} was abandoned as the window closed: a disk that does not answer "
            f"holds its write. The destination is left as it was; its unfinished copy beside it "
            f"({dst.parent / tmp_prefix(dst)}…) is removed by the next export there, or remove it yourself.")


def quit_leaving_exports(code: int, before: Callable[[], None] | None = None) -> None:
    """The window closed and the event loop ended: when an export still runs (a disk that does not answer holds
    its write, its cancel not taken), say so on stderr (`abandoned_words`), call `before` (the settings written)
    and end the process now with `code`: Qt would wait for its pool thread as the application ends, for good on
    a drive pulled (module doc). Returns when none runs."""
    with _RUNNING_GUARD:
        running = sorted(_RUNNING, key=lambda worker: str(worker.options.dst))
    if not running:
        return
    for worker in running:
        print(abandoned_words(worker.options), file=sys.stderr)
    if before is not None:
        before()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def running_workers() -> int:
    """How many started workers the GUI thread still holds (their end not handled yet): tests."""
    return kept_jobs(ExportWorker)


class ExportWorker:
    """Checks the destination (`destination_refusal`: ``failed(reason)``) and runs one export on a pool
    thread; connect to ``signals`` before `start`. Exactly one of ``finished``, ``failed``, ``cancelled`` ends
    it; once that is handled on the GUI thread nothing of the worker is kept but what its caller holds
    (`app.pool_jobs.start_kept`: its signals end on the GUI thread, so their end signal is not lost).
    ``cleaned(dead)`` comes before them for each dead export's folder the writer settled, as it is: a
    ``cancelled`` export has no report to say it in."""

    def __init__(self, project: Project, options: ExportOptions, app_runs: Iterable[RunReading] = ()) -> None:
        """`app_runs`: the app's running fine-tunes as Export was pressed (`app.training.running.app_readings`),
        which its own check of the destination refuses as the dialog's does (`destination_refusal`)."""
        self.project = project
        self.options = options
        self.app_runs = tuple(app_runs)
        self.signals = _Signals()
        self._cancel = threading.Event()
        self.ended = threading.Event()  # set on the pool thread once `run` has emitted its end signal
        self.started = False  # on a pool (`start`)
        self._checked = False  # its destination checked before (`start(checked=True)`): not again

    def cancel(self) -> None:
        """Stop after the image being written (any thread); ``cancelled`` follows, or ``finished``
        when the export was already past its last image."""
        self._cancel.set()

    @property
    def cancelling(self) -> bool:
        """`cancel` was called (its end may not have come yet)."""
        return self._cancel.is_set()

    def start(self, pool: QThreadPool | None = None, *, checked: bool = False) -> None:
        """Run on `pool` (the global one by default); on the GUI thread. `checked`: `destination_refusal` has
        just answered None (off the pool: `app.destination_checks`, as the dialog asks it), so the worker does
        not ask it again."""
        self.started, self._checked = True, checked
        with _RUNNING_GUARD:
            _RUNNING.add(self)
        start_kept(pool or QThreadPool.globalInstance(), self)  # held on the GUI thread until its end is handled

    def run(self) -> None:
        """The export, on the pool thread: emits progress, then exactly one end signal; then `ended` is set."""
        try:
            self._run()
        finally:
            self.ended.set()
            with _RUNNING_GUARD:
                _RUNNING.discard(self)

    def _run(self) -> None:
        o = self.options

        def progress(done: int, total: int | None) -> None:
            if self._cancel.is_set():
                raise _Cancelled
            self.signals.progress.emit(done, total or 0)

        try:
            refusal = None if self._checked else destination_refusal(self.project, o, self.app_runs)
            if refusal is not None:
                self.signals.failed.emit(refusal)
                return
            if self._cancel.is_set():
                raise _Cancelled
            report = export_smokeseg(self.project, o.dst, reviewed_only=o.reviewed_only, splits=o.splits,
                                     seed=o.seed, resize_to=o.resize_to, overwrite=o.overwrite, progress=progress,
                                     cleaned=self.signals.cleaned.emit)
        except _Cancelled:
            self.signals.cancelled.emit()
            return
        except Exception as exc:  # noqa: BLE001 - every failure is shown to the user
            self.signals.failed.emit(failure_words(exc))
            return
        self.signals.finished.emit(report)
