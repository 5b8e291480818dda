"""The GUI thread never waits for the prediction worker's arithmetic: moving the playhead while the
worker summarises a frame's map (a few ms at 1080p, far more on a busy machine) returns at once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

import fosp_core.video.predictions as predictions
from app.video.workers import PredictionWorker
from fosp_core.video.predictions import PredictionCache
from fosp_core.video.testclip import write_clip

SUMMARY_S = 0.5


def test_moving_the_playhead_does_not_wait_for_a_frame_being_summarised(qtbot, tmp_path: Path,  # noqa: ANN001
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    clip = write_clip(tmp_path / "clip.mp4", frames=6)
    summarising = threading.Event()
    summarize = predictions.summarize

    def slow_summary(probability: np.ndarray, threshold: float = 0.5) -> predictions.FrameSummary:
        summarising.set()
        time.sleep(SUMMARY_S)
        return summarize(probability, threshold)

    monkeypatch.setattr(predictions, "summarize", slow_summary)
    cache = PredictionCache(6)
    worker = PredictionWorker(clip, cache)
    try:
        worker.set_model(lambda rgb: np.zeros(rgb.shape[:2], np.float32), "zeros")
        assert summarising.wait(10)
        start = time.perf_counter()
        worker.playhead_moved(3)  # what every seek calls on the GUI thread
        assert time.perf_counter() - start < SUMMARY_S / 2
        qtbot.waitUntil(lambda: cache.has_summary(0), timeout=10_000)  # the summary still lands
    finally:
        worker.shutdown()
