"""The image export's worker: `ExportWorker` checks the destination, then runs
`fosp_core.annotation.export.export_smokeseg`, on a QThreadPool thread (the Export dialog's,
`app.annotation.export_dialog`). The destination is read there only: a folder on a dead network drive holds
the worker, never the window. Its refusals, in the dialog's words (`destination_refusal`): a folder that holds
the project's own files or lies in its folder (`fosp_core.annotation.export_target`), a folder not empty when
Replace is not ticked.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal

from fosp_core.annotation.export import export_smokeseg
from fosp_core.annotation.export_target import project_destination_problem
from fosp_core.annotation.project import Project

__all__ = [
    "REPLACE_WORDS", "ExportOptions", "ExportWorker", "destination_refusal", "refusal_words", "running_workers",
]

#: the Export dialog's option to replace a destination that is not empty, named by the refusal of one
REPLACE_WORDS = "Replace the destination if it is not empty"


@dataclass(frozen=True)
class ExportOptions:
    """What `export_smokeseg` is asked to do (see its doc)."""

    dst: Path
    reviewed_only: bool = False
    splits: str | tuple[float, float, float] = "keep"
    seed: int = 0
    resize_to: int | None = None  # each photo's own size (512: squashed to 512 x 512)
    overwrite: bool = False


def destination_refusal(project: Project, options: ExportOptions) -> str | None:
    """Why the Export dialog refuses `options.dst` before exporting, in its words, or None: it holds
    `project`'s images, labels or masks, or lies in its folder (`project_destination_problem`: the export
    would replace them), or it is a folder that is not empty and Replace is not ticked. Reads the disk: on the
    export's worker, never the GUI thread."""
    return refusal_words(options.dst, project_destination_problem(project, options.dst), options.overwrite)


def refusal_words(dst: Path, problem: str | None, overwrite: bool) -> str | None:
    """The Export dialogs' refusal of `dst` (the image one's and the video's Export frames), or None:
    ``{dst}: {problem}`` for a `problem` (it holds what the export would replace), else a folder that is not
    empty when Replace (`REPLACE_WORDS`) is not ticked. Reads the disk: off the GUI thread."""
    if problem is not None:
        return f"{dst}: {problem}"
    if not overwrite and dst.is_dir() and any(dst.iterdir()):
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


class _Reaper(QObject):
    """One for the session, made on the GUI thread and never deleted: a pool thread tells it (queued,
    after the worker's end signal) that it let go of a worker; the GUI thread then lets go of its own
    reference, the last one but the dialog's: a worker, its signals and its project end on the GUI thread."""

    let_go = Signal(int)

    def __init__(self) -> None:
        super().__init__(None)
        self.running: dict[int, ExportWorker] = {}  # GUI thread only
        self.let_go.connect(self._let_go, Qt.ConnectionType.QueuedConnection)

    def _let_go(self, key: int) -> None:
        self.running.pop(key, None)


_reaper: _Reaper | None = None
_keys = itertools.count(1)


def running_workers() -> int:
    """How many started workers the GUI thread still holds (their end not handled yet): tests."""
    return 0 if _reaper is None else len(_reaper.running)


def _execute(held: list[ExportWorker], key: int, reaper: _Reaper) -> None:
    """The pool thread's work: the worker's `run`, then its reference dropped here before the GUI thread
    is told to drop its own (a `_Signals` deleted on the pool thread loses its queued end signal)."""
    worker = held.pop()
    try:
        worker.run()
    finally:
        del worker
        reaper.let_go.emit(key)


class ExportWorker:
    """Checks the destination (`destination_refusal`: ``failed(reason)``) and runs one export on a pool
    thread; connect to ``signals`` before `start`. Exactly one of ``finished``, ``failed``, ``cancelled``
    ends it; once that is handled on the GUI thread nothing of the worker is kept but what its caller holds
    (the pool is handed a function, not this object: PySide keeps every ``QRunnable`` not auto-deleted that a
    pool started, for good). ``cleaned(dead)`` comes before them for each dead export's folder the writer
    settled, as it is: a ``cancelled`` export has no report to say it in."""

    def __init__(self, project: Project, options: ExportOptions) -> None:
        self.project = project
        self.options = options
        self.signals = _Signals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Stop after the image being written (any thread); ``cancelled`` follows, or ``finished``
        when the export was already past its last image."""
        self._cancel.set()

    def start(self, pool: QThreadPool | None = None) -> None:
        """Run on `pool` (the global one by default); on the GUI thread."""
        global _reaper  # noqa: PLW0603 - one for the session, made on the GUI thread by the first start
        if _reaper is None:
            _reaper = _Reaper()
        key = next(_keys)
        _reaper.running[key] = self  # held on the GUI thread until the end is handled there
        (pool or QThreadPool.globalInstance()).start(partial(_execute, [self], key, _reaper))

    def run(self) -> None:
        """The export, on the pool thread: emits progress, then exactly one end signal."""
        o = self.options

        def progress(done: int, total: int | None) -> None:
            if self._cancel.is_set():
                raise _Cancelled
            self.signals.progress.emit(done, total or 0)

        try:
            refusal = destination_refusal(self.project, o)
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
            self.signals.failed.emit(str(exc))
            return
        self.signals.finished.emit(report)
