"""One import of labels into a project on its own thread, for Annotate ▸ Import Labels…
(`app.annotation.label_import.LabelImports` runs it, and Pre-label All's job is one too).

`ImportJob` reads the source (`read_foreign`: a COCO file of thousands of images is parsed there
too) and runs `Project.import_labels` on a ``fosp-import-labels`` thread, reporting ``progress(done,
total)``, then ``finished(report)``, ``needs_labels(foreign, labels)`` (its smoke labels cannot be
told: the GUI asks, then a second job imports what was read) or ``failed(error)``. A cancel stops it
between masks (`fosp_core.annotation.import_loop`): the masks written so far are whole, with their
states, and the report says how many. A cancel while the source is still being read (seconds for a
200 MB COCO file) does not wait for the read: the job is abandoned (`ImportJob.abandon`: it has not
touched the project and now never will), the dialog closes at once, and the read, which asks the
job's stop between the elements it parses (`fosp_core.annotation.foreign_read`), ends on its own
soon after; whatever it signals then is dropped. Closing the window does the same.
The library's warnings of what it read (`fosp_core.NotAMaskWarning`: a photo chosen as a label) are
collected on the job's thread (`fosp_core.mask_warnings.collected_mask_warnings`) into ``mask_warnings``,
for the summary to name the files; they reached only stderr.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from fosp_core.annotation.document import Status
from fosp_core.annotation.foreign_labels import ReadCancelled, read_foreign
from fosp_core.annotation.foreign_shapes import ForeignLabels, LabelChoiceError, choose_labels
from fosp_core.annotation.labels import ImportReport
from fosp_core.mask_warnings import MaskWarning, collected_mask_warnings

if TYPE_CHECKING:
    from fosp_core.annotation.project import Project

__all__ = ["ImportJob"]


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    needs_labels = Signal(object, object)
    failed = Signal(object)
    read_cancelled = Signal()


class ImportJob:
    """One import of `source` (a path, labels read already, None: the dataset's own) into `project`
    on its own thread; connect to ``signals`` before `start`. ``stop`` is set by `cancel`; ``done``
    when the thread ends; ``reading`` while the source is read (the project not touched yet). `status`:
    of the masks imported (EDITED: made by people, PREDICTED: a model's predictions)."""

    def __init__(self, project: Project, source: Path | ForeignLabels | None, labels: Sequence[str] | None,
                 status: Status = Status.EDITED) -> None:
        self.project, self.source, self.labels, self.status = project, source, labels, status
        self.signals = _Signals()
        self.done = threading.Event()
        self.stop = threading.Event()
        self.reading = isinstance(source, Path)
        self.mask_warnings: list[MaskWarning] = []  # of what `work` read (module doc); read once `done`
        self._phase = threading.Lock()  # `reading` ends, or the job is abandoned: one or the other
        self.thread = threading.Thread(target=self.run, name="fosp-import-labels", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        """Stop before the next mask (any thread)."""
        self.stop.set()

    @property
    def cancelled(self) -> bool:
        return self.stop.is_set()

    def abandon(self) -> bool:
        """Cancel; True when the source was still being read: the project was not touched and will
        not be (the thread ends after its read, nobody needs to wait for it), False when the import
        may be writing (it stops after the mask being written: wait for ``done``)."""
        with self._phase:
            self.stop.set()
            return self.reading

    def run(self) -> None:
        """The job (on its thread): `work`, then one of the ending signals: ``finished(report)``,
        ``read_cancelled`` (ReadCancelled raised) or ``failed(error)``; ``done`` set at last."""
        try:
            with collected_mask_warnings() as self.mask_warnings:
                report = self.work()
        except ReadCancelled:
            self.signals.read_cancelled.emit()
        except Exception as exc:  # noqa: BLE001 - every failure is shown to the user
            self.signals.failed.emit(exc)
        else:
            if report is not None:
                self.signals.finished.emit(report)
        finally:
            self.done.set()

    def finish_reading(self) -> None:
        """The source is read (on the job's thread): the project may be written from now on, unless the job
        was cancelled meanwhile (raises ReadCancelled: `abandon` has told the window it ended)."""
        with self._phase:
            if self.stop.is_set() and self.reading:
                raise ReadCancelled
            self.reading = False

    def work(self) -> ImportReport | None:
        """Read the source, then import (on the job's thread); None when the smoke labels must be asked
        (``needs_labels`` emitted). A job of another source overrides this (module doc): it calls
        `finish_reading` before it writes, reports with ``signals.progress`` and asks ``stop``."""
        source, labels = self.source, self.labels
        foreign = source if isinstance(source, ForeignLabels) or source is None else read_foreign(
            source, self.stop.is_set)
        self.finish_reading()
        if foreign is not None and labels is None:
            try:
                choose_labels(foreign.source, foreign.labels)
            except LabelChoiceError as exc:
                self.signals.needs_labels.emit(foreign, list(exc.labels))
                return None
        return self.project.import_labels(foreign if foreign is not None else source, labels=labels,
                                          progress=self.signals.progress.emit, cancelled=self.stop.is_set,
                                          status=self.status)
