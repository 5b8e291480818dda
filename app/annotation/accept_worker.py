"""Accept Prediction on a huge photo: the whole-image work on a worker thread, the step landed on the
GUI thread (napari's and CVAT's way: the document changes at once, on the thread that owns it).

On a photo of `BACKGROUND_PIXELS` or more, Shift+A reads the mask and the map on a worker
(`fosp_core.annotation.cleanup.prediction_step`: the compare, the changed rectangles, the undo
patches packed), and the GUI thread then only writes the patches' new values, repaints and saves
(`AnnotationDocument.commit_prepared`). That is 60-140 ms of compare and packing off the GUI thread
at 48-96 MP (`bench/bench_accept_undo_huge.py`, docs/benchmarks-huge-images.md).

Steps land in the order they were asked for: anything that edits the document, undoes, or leaves
it (the controller's `editable` and `_close_document`) first calls `land`, which waits for the
worker and commits the pending step, so Shift+A then Ctrl+Z undoes the accept and a stroke started
meanwhile lands after it. A step whose mask changed after it was read (nothing the app does while
it is pending, but a document may be edited by other code) is refused by the document
(`StaleStep`) and made again on the GUI thread, as is one whose worker failed. A video frame's
document is edited by its editor without `editable` (carrying a mask): its accepts stay synchronous
(`app.annotation.commands.accept_prediction`).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal

from fosp_core.annotation import cleanup
from fosp_core.annotation.document import AnnotationDocument, StaleStep, Status
from fosp_core.annotation.prediction_profile import PROFILES
from fosp_core.annotation.prepared import PreparedStep
from fosp_core.data.types import SMOKE

__all__ = ["BACKGROUND_PIXELS", "AcceptWorker"]

#: Documents of at least this many pixels prepare Accept Prediction on the worker (a 4000x3000
#: photo's took 5-60 ms on the GUI thread, load 1-10; 8000x6000's 60-140 ms); smaller ones stay synchronous.
BACKGROUND_PIXELS = 4_000_000


@dataclass(eq=False)
class _Job:
    """One Accept Prediction asked for: its document, threshold and map (read when asked), what to
    call once it has landed (with whether a step was recorded and whether the accepted mask holds
    smoke), and the worker's future (the step, and whether the prediction holds smoke)."""

    doc: AnnotationDocument
    threshold: float
    probability: np.ndarray
    landed: Callable[[bool, bool], None]
    future: Future[tuple[PreparedStep | None, bool]] = field(default_factory=Future)

    def prepare(self, mask: np.ndarray, version: int, status: Status) -> tuple[PreparedStep | None, bool]:
        """On the worker: the step, and whether ``probability > threshold`` anywhere (the accepted
        mask is that, so it holds smoke exactly then: the GUI thread need not read it)."""
        profile = PROFILES.ready(self.probability)
        step = cleanup.prediction_step(mask, self.probability, self.threshold, version=version, status=status,
                                       profile=profile)
        return step, cleanup.prediction_bounds(self.probability, self.threshold, profile=profile) is not None


class AcceptWorker(QObject):
    """Prepares Accept Prediction on one worker thread and lands it on the GUI thread (module doc)."""

    #: an Accept Prediction was asked for, or has landed (`pending` changed: Undo / Redo's availability)
    pending_changed = Signal()
    _prepared = Signal(object)  # a _Job whose future is done; emitted on the worker, queued here

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fosp-accept")
        self._job: _Job | None = None
        # queued always: a worker done before `start` adds its callback runs it on the GUI thread, and
        # the step must still land from the event loop, after the command that asked for it has returned
        self._prepared.connect(self._on_prepared, Qt.ConnectionType.QueuedConnection)

    @property
    def pending(self) -> bool:
        """Whether an Accept Prediction was asked for and has not landed yet."""
        return self._job is not None

    @staticmethod
    def wanted(doc: AnnotationDocument) -> bool:
        """Whether Accept Prediction on `doc` is prepared on the worker (a huge photo, no step open)."""
        return doc.height * doc.width >= BACKGROUND_PIXELS and not doc.in_step

    def start(self, doc: AnnotationDocument, threshold: float, landed: Callable[[bool, bool], None]) -> None:
        """Prepare Accept Prediction of `doc` (which has a probability map) at `threshold` on the
        worker; ``landed(changed, smoke)`` is called on the GUI thread once its step is recorded (or
        not): whether it was, and whether the mask then holds smoke."""
        self.land()  # one at a time, in order
        assert doc.probability is not None
        job = _Job(doc, threshold, doc.probability, landed)
        job.future = self._pool.submit(job.prepare, doc.mask, doc.mask_version, doc.status)  # read here
        self._job = job
        job.future.add_done_callback(lambda _done: self._prepared.emit(job))
        self.pending_changed.emit()

    def land(self) -> None:
        """Land the pending Accept Prediction now (waiting for the worker): call it before anything
        else edits, undoes or leaves the document."""
        if self._job is not None:
            self._commit(self._job)

    def _on_prepared(self, job: _Job) -> None:
        if job is self._job:  # not landed already by `land`
            self._commit(job)

    def _commit(self, job: _Job) -> None:
        self._job = None
        doc, done = job.doc, job.future
        job.future = Future()  # the done one (its result, the callback holding the job) goes with this call
        try:
            step, smoke = done.result()
            changed = step is not None and doc.commit_prepared(step)
        except StaleStep:  # the mask changed after it was read: made again, here
            changed = cleanup.accept_prediction(doc, job.threshold, profile=PROFILES.ready(job.probability))
        except Exception:  # noqa: BLE001 - the worker failed (MemoryError...): the GUI thread tries, and tells
            changed = cleanup.accept_prediction(doc, job.threshold)
            smoke = bool((doc.mask == SMOKE).any())
        self.pending_changed.emit()
        job.landed(changed, smoke)
