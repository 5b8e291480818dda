"""A whole-video prediction under way when the video closes (back to the images, or another video opened)
stops: the status bar says so, with how far it got and that the frames predicted come back (kept
predictions: Predict whole video goes on with the others), instead of nothing. Found by the video
annotator's sweep (session 30, task N): leaving the IJmond clip at 8 of 36 frames predicted said nothing."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from app.main_window import MainWindow
from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video

FRAMES = 24


def _running(qtbot, window: MainWindow, gate: threading.Event) -> None:  # noqa: ANN001 - qtbot fixture
    """A whole-video run that predicts 3 frames, then waits for `gate`."""
    done = [0]

    def model(rgb: np.ndarray) -> np.ndarray:
        done[0] += 1
        if done[0] > 3:
            gate.wait(10)
        return np.full(rgb.shape[:2], 0.2, np.float32)

    video = window.video
    video.set_model(model, "slow")
    video.predict_whole()
    qtbot.waitUntil(lambda: video.panel.progress.value() >= 3, timeout=10_000)
    assert video.worker is not None and video.worker.whole_running


def test_leaving_a_video_says_its_whole_run_stopped(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=FRAMES), tmp_path)
    gate = threading.Event()
    try:
        _running(qtbot, window, gate)
        done = window.video.panel.progress.value()
        window.video.leave()
        said = window.statusBar().currentMessage()
    finally:
        gate.set()
    assert said.startswith(f"The whole-video prediction of clip.mp4 was stopped at {done} of {FRAMES} frames")
    assert "Predict whole video goes on with the others when it is opened again" in said


def test_opening_another_video_says_the_run_it_stopped(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=FRAMES), tmp_path)
    gate = threading.Event()
    try:
        _running(qtbot, window, gate)
        open_video(qtbot, window, write_clip(tmp_path / "other.mp4", frames=6), tmp_path)
        said = window.statusBar().currentMessage()
    finally:
        gate.set()
    assert said.startswith("Opened video other.mp4: 6 frames")
    assert "; the whole-video prediction of clip.mp4 was stopped at " in said
