"""Closing the window while the model runs froze it on screen until the image being predicted finished
(8.5 s on a loaded machine; minutes for a huge tiled image on the CPU): ``closeEvent`` waited for the
inference thread with the window still shown. The window is now hidden before that wait."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

import app.analysis.inference_worker as inference_worker
from app.analysis.engine_stop import RunCancelled
from app.analysis.inference_worker import Job


class _HeldPredictor:
    """Predicts nothing until `release` is set (an image that takes long), saying when it has started."""

    fallbacks: list[str] = []

    def __init__(self) -> None:
        self.started, self.release = threading.Event(), threading.Event()

    def predict(self, rgb, tau=None, need=None):  # noqa: ANN001, ANN201
        self.started.set()
        self.release.wait(30)
        raise RunCancelled("let go: its next tile sees the cancel")


def test_the_window_is_hidden_before_the_close_waits_for_the_image_being_predicted(
        qtbot, make_window, monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(show=True)
    worker = window.analysis.worker
    held = _HeldPredictor()
    worker._engine.predictor, worker._engine.model_id = held, "held"
    worker.predict([Job(Path("huge.png"), np.zeros((8, 8, 3), np.uint8))], "held", 0.15)
    assert held.started.wait(20), "the held image never started"
    seen: list[bool] = []
    stop = inference_worker._stop

    def spy(thread, engine) -> None:  # noqa: ANN001 - the close's wait for the worker
        if not held.release.is_set():  # the close's (not the worker's destruction's, later)
            seen.append(window.isVisible())
        held.release.set()  # the image ends; the real wait returns then
        stop(thread, engine)

    monkeypatch.setattr(inference_worker, "_stop", spy)
    try:
        assert window.close()
    finally:
        held.release.set()
    assert seen == [False], f"the window was still shown while the close waited for the worker: {seen}"
    assert not worker._thread.isRunning()
