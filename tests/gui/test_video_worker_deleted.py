"""A video prediction worker deleted with its owner, never shut down (a MainWindow deleted with
``deleteLater()`` and never closed, its video predicting), stops its thread: the thread went on
predicting, emitted from the deleted worker ('RuntimeError: Signal source has been deleted' on the
thread) and, with a model still running as the interpreter exited, the process was aborted by torch's
thread pool ('terminate called without an active exception', rc 134: 1 run in 3 of a window deleted
while its clip's frame was predicted)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QApplication

from app.video.workers import PredictionWorker
from fosp_core.video.predictions import PredictionCache
from fosp_core.video.testclip import write_clip


@pytest.fixture
def thread_errors(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What the threads raised from here on."""
    found: list[str] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: found.append(repr(args.exc_value)))
    yield found


def test_a_worker_deleted_with_its_owner_stops_predicting(qtbot, tmp_path: Path,  # noqa: ANN001
                                                          thread_errors: list[str]) -> None:
    clip = write_clip(tmp_path / "clip.mp4", frames=6)
    owner = QObject()
    worker = PredictionWorker(clip, PredictionCache(6), owner)
    thread = worker._thread
    predicting, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def fn(rgb: np.ndarray) -> np.ndarray:
        calls.append(1)
        predicting.set()
        release.wait(10)
        return np.zeros(rgb.shape[:2], np.float32)

    worker.set_model(fn)
    assert predicting.wait(10)
    releaser = threading.Timer(0.05, release.set)  # the frame being predicted ends a moment later
    releaser.start()
    owner.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    thread.join(10)
    releaser.join()
    assert not thread.is_alive()
    assert thread_errors == []
    assert len(calls) == 1  # no frame predicted after the delete
