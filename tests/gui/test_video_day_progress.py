"""The Video panel's progress bar tells how many frames have a prediction with the model and settings
in use: after a whole-video run, another model, Regions rule or threshold under a rule starts it again
from what is predicted, instead of still reading "N / N frames" over an empty area curve."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from app.main_window import MainWindow
from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video

FRAMES = 30


def _model(rgb: np.ndarray) -> np.ndarray:
    return (rgb.mean(axis=2) / 255.0).astype(np.float32)


def _predicted(window: MainWindow) -> int:
    cache = window.video.cache
    return sum(cache.has_summary(i) for i in range(FRAMES))  # type: ignore[union-attr]


def test_the_progress_bar_follows_a_change_of_model_after_a_whole_video_run(qtbot, make_window,
                                                                            tmp_path: Path) -> None:
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=FRAMES), tmp_path)
    video, bar = window.video, window.video.panel.progress
    video.set_model(_model, "one")
    video.predict_whole()
    qtbot.waitUntil(lambda: video.panel.predict_all_button.isEnabled(), timeout=20_000)
    assert (bar.value(), bar.maximum()) == (FRAMES, FRAMES)

    gate = threading.Event()  # the new model predicts nothing until the test has looked

    def gated(rgb: np.ndarray) -> np.ndarray:
        gate.wait(10)
        return _model(rgb)

    video.set_model(gated, "two")  # the cache starts again: only frames near the playhead come soon
    assert (bar.value(), bar.maximum()) == (0, FRAMES)
    gate.set()
    qtbot.waitUntil(lambda: video.cache.has_summary(0), timeout=10_000)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: bar.value() == _predicted(window), timeout=5000)
    assert bar.maximum() == FRAMES
    qtbot.wait(200)
    assert 0 < bar.value() == _predicted(window) < FRAMES  # the playhead's neighbours, not the whole video
