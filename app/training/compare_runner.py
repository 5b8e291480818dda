"""The thread of Compare Two Checkpoints and the runs on it: each run gets an id, the worker
(`app.training.compare_worker`) tags everything it sends with it, and only the current run's events
reach the dialog (`app.training.compare_dialog`): a mark, row or end of a cancelled run queued behind
the next run's start is dropped, never shown on the next run's rows."""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, Signal

from app.training.compare_worker import CompareWorker
from fosp_core.analysis.compare_report import CompareRequest

__all__ = ["CompareRunner"]


class CompareRunner(QObject):
    """Starts runs on its thread and passes on the current run's events (the worker's, less the id)."""

    loaded = Signal(object)
    device = Signal(str)
    recorded = Signal(object)  # (A records its training images, B does)
    trained = Signal(object, object)  # image path, (A trained on it, B trained on it); before its row
    row = Signal(object, bytes, bytes)
    progress = Signal(int, int)
    failed = Signal(str)
    done = Signal(bool)  # cancelled
    _start = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.run_id = 0  # the current run's id (0: none started)
        self.dropped = 0  # events of an earlier run, dropped (tests)
        self.thread = QThread(self)
        self.thread.setObjectName("compare-checkpoints")
        self.worker = CompareWorker()
        self.worker.moveToThread(self.thread)
        self._start.connect(self.worker.run)
        # bound methods of this GUI-thread object: queued, so the run is checked when the event arrives
        w = self.worker
        w.loaded.connect(self._loaded)
        w.device.connect(self._device)
        w.recorded.connect(self._recorded)
        w.trained.connect(self._trained)
        w.row.connect(self._row)
        w.progress.connect(self._progress)
        w.failed.connect(self._failed)
        w.done.connect(self._done)
        self.thread.start()

    def _current(self, run: int) -> bool:
        if run != self.run_id:
            self.dropped += 1
            return False
        return True

    def _loaded(self, run: int, variants: object) -> None:
        if self._current(run):
            self.loaded.emit(variants)

    def _device(self, run: int, device: str) -> None:
        if self._current(run):
            self.device.emit(device)

    def _recorded(self, run: int, pair: object) -> None:
        if self._current(run):
            self.recorded.emit(pair)

    def _trained(self, run: int, path: object, pair: object) -> None:
        if self._current(run):
            self.trained.emit(path, pair)

    def _row(self, run: int, row: object, preview_a: bytes, preview_b: bytes) -> None:
        if self._current(run):
            self.row.emit(row, preview_a, preview_b)

    def _progress(self, run: int, done: int, total: int) -> None:
        if self._current(run):
            self.progress.emit(done, total)

    def _failed(self, run: int, text: str) -> None:
        if self._current(run):
            self.failed.emit(text)

    def _done(self, run: int, cancelled: bool) -> None:
        if self._current(run):
            self.done.emit(cancelled)

    def start(self, request: CompareRequest) -> int:
        """Start a run of `request` (the worker's cancel flag cleared); its id."""
        self.run_id += 1
        self.worker.cancelled = False
        self._start.emit(self.run_id, request)
        return self.run_id

    def cancel(self) -> None:
        """Ask the run to stop after the image it is comparing."""
        self.worker.cancelled = True

    def shutdown(self) -> None:
        """Cancel and stop the thread (window close)."""
        self.worker.cancelled = True
        self.thread.quit()
        self.thread.wait(30_000)
