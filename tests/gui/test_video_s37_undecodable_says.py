"""Accept prediction (A) and Carry (C) on a frame that could not be decoded: Accept said "No prediction for
this frame yet" (waiting would never bring one: the frame has no picture to predict) and Carry did nothing,
silently, as it did on frame 0 (no frame before it). Both now say why."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.main_window import MainWindow
from fosp_core.video.testclip import corrupt_mjpeg_frames, write_clip
from tests.gui.video_helpers import open_video


def _grey_is_smoke(rgb: np.ndarray) -> np.ndarray:
    spread = rgb.max(axis=2).astype(np.float32) - rgb.min(axis=2)
    return np.clip(1.0 - spread / 60.0, 0.0, 1.0)


def _said(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def test_accept_and_carry_say_why_they_do_nothing(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    good = write_clip(tmp_path / "good.avi", frames=12, fourcc="MJPG")
    clip = corrupt_mjpeg_frames(good, [5], tmp_path / "damaged.avi")
    window = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    video = window.video
    video.set_model(_grey_is_smoke, "grey")
    window.statusBar().clearMessage()
    video.carry()
    assert "frame 0" in _said(window).lower() and "carry" in _said(window).lower()  # was silent

    with qtbot.waitSignal(video.frame_failed, timeout=10_000):
        video.seek(5)
    qtbot.waitUntil(lambda: video.document is None, timeout=10_000)
    video.accept_prediction()
    assert _said(window) == "Frame 5 could not be decoded: nothing to accept a prediction on"  # was: "… yet"
    window.statusBar().clearMessage()
    video.carry()
    assert _said(window) == "Frame 5 could not be decoded: nothing to carry a mask to"  # was silent
