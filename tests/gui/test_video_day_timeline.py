"""The timeline shows where a video's damaged frames are: a frame the view or a whole-video run could
not decode gets a mark on the plot (the panel said only how many there were, the status bar the last
one's number for a few seconds)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.main_window import MainWindow
from fosp_core.video.testclip import corrupt_mjpeg_frames, write_clip
from tests.gui.video_helpers import open_video

FRAMES = 16


def _marked(window: MainWindow) -> list[int]:
    xs, _ = window.video.timeline.failed_marks.getData()
    return sorted(int(x) for x in xs)


def _model(rgb: np.ndarray) -> np.ndarray:
    return (rgb.mean(axis=2) / 255.0).astype(np.float32)


def test_damaged_frames_are_marked_on_the_timeline(qtbot, make_window, tmp_path: Path) -> None:
    good = write_clip(tmp_path / "good.avi", frames=FRAMES, fourcc="MJPG")
    damaged = corrupt_mjpeg_frames(good, [4, 11], tmp_path / "damaged.avi")
    window = make_window(show=True)
    open_video(qtbot, window, damaged, tmp_path)
    video = window.video
    assert _marked(window) == []
    with qtbot.waitSignal(video.frame_failed, timeout=5000):
        video.seek(4)
    assert _marked(window) == [4]  # met while looking

    video.set_model(_model, "fake")
    video.predict_whole()
    qtbot.waitUntil(lambda: video.panel.predict_all_button.isEnabled(), timeout=20_000)
    assert _marked(window) == [4, 11]  # met by the whole-video run, never shown
    assert "2 frame(s) could not be decoded" in video.panel.info_label.text()
    assert "undecodable" in video.timeline.key_label.text()

    video.open(good)  # another video starts without marks
    assert _marked(window) == []
