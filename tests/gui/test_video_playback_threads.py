"""While a video plays, the model predicts its frames with one torch intra-op thread (on a 2-core
machine torch's default, one a core, leaves the GUI thread no core) and Python switches threads every
millisecond; paused, torch's default and Python's interval again."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from app.video.playback import Playback
from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video

torch = pytest.importorskip("torch")


def test_frames_predicted_while_playing_use_one_thread_and_two_once_paused(qtbot, make_window,
                                                                           tmp_path: Path) -> None:
    before = torch.get_num_threads()
    torch.set_num_threads(2)  # the prediction thread's default (it starts at the open, reads it then)
    try:
        window = make_window(show=True)
        open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=60, fps=10.0), tmp_path)
        video = window.video
        seen: list[int] = []  # torch's intra-op threads where the model ran (the prediction thread)

        def model(rgb: np.ndarray) -> np.ndarray:
            seen.append(torch.get_num_threads())
            return np.zeros(rgb.shape[:2], np.float32)

        video.toggle_play()
        assert video.playback.playing
        video.predictions.set_model(model, "probe")
        qtbot.waitUntil(lambda: len(seen) >= 2, timeout=5000)
        assert seen[:2] == [1, 1] and video.worker.threads_used == 1
        video.toggle_play()  # pause
        playing = len(seen)
        # another model (a new function: the same one under another name is the same model since 7d889775,
        # its frames kept) predicts the frames around the playhead again
        video.predictions.set_model(lambda rgb: model(rgb), "probe again")
        qtbot.waitUntil(lambda: len(seen) >= playing + 2, timeout=5000)
        assert seen[-1] == 2 and video.worker.threads_used == 2
    finally:
        torch.set_num_threads(before)


def test_python_switches_threads_every_millisecond_while_a_video_plays(qtbot) -> None:
    """The GUI thread gets the GIL back from the prediction thread within 1 ms instead of 5."""
    before = sys.getswitchinterval()
    playback = Playback()
    playback.configure(100, 25.0)
    playback.start(0)
    try:
        assert sys.getswitchinterval() == pytest.approx(0.001)
    finally:
        playback.stop()
    assert sys.getswitchinterval() == before
