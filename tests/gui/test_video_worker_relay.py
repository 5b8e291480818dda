"""A video prediction worker's thread emits on a relay of its own, queued on to the worker's signals on the
GUI thread (:class:`app.video.workers.PredictionWorker`, as the frame decoder since 61cefcb): it emitted
from the worker itself, so a worker deleted between the thread's "closed" check and its emit was a QObject
deleted while another thread emitted its signal ('RuntimeError: Signal source has been deleted' on the
thread; once an abort at exit)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from app.video.workers import PredictionWorker
from fosp_core.video.predictions import PredictionCache
from fosp_core.video.testclip import write_clip
from tests.gui.deleted_helpers import capture_raised

WAIT_MS = 20_000


@pytest.fixture
def raised(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What slots (sys.excepthook) and threads (threading.excepthook) raised, and Qt's messages, from here on."""
    yield from capture_raised(monkeypatch)


class HeldCache(PredictionCache):
    """Holds the worker thread in its first `summary_count` after a frame was put: the whole-video job's
    progress count, between the thread's "closed" check and its emit of `progress`."""

    def __init__(self, frame_count: int) -> None:
        super().__init__(frame_count)
        self.holding, self.release = threading.Event(), threading.Event()
        self._put = False

    def put_prepared(self, index: int, stored: np.ndarray, summary: object) -> object:  # type: ignore[override]
        self._put = True
        return super().put_prepared(index, stored, summary)  # type: ignore[arg-type]

    def summary_count(self) -> int:
        if self._put and threading.current_thread().name == "video-predictions" and not self.holding.is_set():
            self.holding.set()
            self.release.wait(10)
        return super().summary_count()


def _zeros(rgb: np.ndarray) -> np.ndarray:
    return np.zeros(rgb.shape[:2], np.float32)


def test_the_worker_signals_come_on_the_gui_thread(qtbot, tmp_path: Path, raised: list[str]) -> None:  # noqa: ANN001
    clip = write_clip(tmp_path / "clip.mp4", frames=3)
    worker = PredictionWorker(clip, PredictionCache(3))
    seen: list[tuple[str, str]] = []
    direct = Qt.ConnectionType.DirectConnection
    for name in ("predicted", "progress", "whole_finished"):
        getattr(worker, name).connect(
            lambda *_args, name=name: seen.append((name, threading.current_thread().name)), direct)
    try:
        worker.set_model(_zeros)
        assert worker.predict_whole()
        qtbot.waitUntil(lambda: any(name == "whole_finished" for name, _ in seen), timeout=WAIT_MS)
    finally:
        worker.shutdown()
    names = {name for name, _ in seen}
    assert names == {"predicted", "progress", "whole_finished"}
    assert {thread for _, thread in seen} == {threading.main_thread().name}, seen
    assert raised == [], raised


def test_a_worker_deleted_between_its_check_and_its_emit_gets_nothing(qtbot, tmp_path: Path,  # noqa: ANN001
                                                                       raised: list[str]) -> None:
    clip = write_clip(tmp_path / "clip.mp4", frames=4)
    cache = HeldCache(4)
    owner = QObject()
    worker = PredictionWorker(clip, cache, owner)
    thread = worker._thread
    got: list[tuple[int, int]] = []
    worker.progress.connect(lambda done, total: got.append((done, total)))
    worker.set_model(_zeros)
    assert worker.predict_whole()
    assert cache.holding.wait(10)  # a frame predicted and put; the thread is past its "closed" check

    def let_go() -> None:  # the held emit goes on once the worker's wrapper is gone (it is being deleted)
        deadline = time.monotonic() + 10
        while shiboken6.isValid(worker) and time.monotonic() < deadline:
            time.sleep(0.001)
        cache.release.set()

    releaser = threading.Thread(target=let_go)
    releaser.start()
    owner.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    releaser.join(10)
    thread.join(10)
    QApplication.processEvents()
    assert not shiboken6.isValid(worker)
    assert not thread.is_alive()
    assert got == []  # queued on to the deleted worker: dropped
    assert raised == [], raised
