"""The GUI thread never waits for the prediction worker's arithmetic: moving the playhead while the
worker summarises a frame's map (a few ms at 1080p, far more on a busy machine) returns at once."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

import fosp_core.video.predictions as predictions
from app.video.workers import PredictionWorker
from fosp_core.video.predictions import PredictionCache
from fosp_core.video.testclip import write_clip

HELD_S = 10.0  # how long a stand-in holds the worker at most: a call that waited for it ends after it


def test_moving_the_playhead_does_not_wait_for_a_frame_being_summarised(qtbot, tmp_path: Path,  # noqa: ANN001
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    clip = write_clip(tmp_path / "clip.mp4", frames=6)
    summarising, release, summarised = threading.Event(), threading.Event(), threading.Event()
    summarize = predictions.summarize

    def slow_summary(probability: np.ndarray, threshold: float = 0.5) -> predictions.FrameSummary:
        summarising.set()
        release.wait(HELD_S)  # the worker is busy summarising until the test lets it go
        summarised.set()
        return summarize(probability, threshold)

    monkeypatch.setattr(predictions, "summarize", slow_summary)
    cache = PredictionCache(6)
    worker = PredictionWorker(clip, cache)
    try:
        worker.set_model(lambda rgb: np.zeros(rgb.shape[:2], np.float32), "zeros")
        assert summarising.wait(10)
        worker.playhead_moved(3)  # what every seek calls on the GUI thread
        assert not summarised.is_set()  # it returned while the summary was still being made
        release.set()
        qtbot.waitUntil(lambda: cache.has_summary(0), timeout=10_000)  # the summary still lands
    finally:
        worker.shutdown()


def test_switching_videos_while_a_frame_is_predicted_does_not_wait_for_it(qtbot, make_window,  # noqa: ANN001
                                                                          tmp_path: Path) -> None:
    """Opening another video (or going back to images) waited on the GUI thread for the frame the model
    was predicting: 1.2-1.5 s with the default model on the HPWREN clip, a tiled 1080p frame's 2.7 s.
    The old worker now finishes that frame on its own and goes; its result reaches nobody."""
    first = write_clip(tmp_path / "first.mp4", frames=6)
    second = write_clip(tmp_path / "second.mp4", frames=6, size=(128, 96))
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    video = window.video
    video.state_root = tmp_path / "video-state"
    with qtbot.waitSignal(video.frame_shown, timeout=10_000):
        video.open(first)
    predicting, release, predicted = threading.Event(), threading.Event(), threading.Event()

    def slow_model(rgb: np.ndarray) -> np.ndarray:
        predicting.set()
        release.wait(HELD_S)  # the model is busy until the test lets it go
        predicted.set()
        return np.zeros(rgb.shape[:2], np.float32)

    video.set_model(slow_model, "slow")
    assert predicting.wait(10)
    old = video.worker
    with qtbot.waitSignal(video.frame_shown, timeout=10_000):
        assert video.open(second)
    assert not predicted.is_set()  # shown while the old worker's frame was still being predicted
    release.set()
    qtbot.waitUntil(lambda: not old._thread.is_alive(), timeout=10_000)  # type: ignore[union-attr]
    qtbot.wait(50)
    assert video.cache is not None and video.frame_count == 6 and window.canvas.image_shape == (96, 128)
