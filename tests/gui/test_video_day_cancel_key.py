"""Analysis ▸ Cancel Inference's keys (Ctrl+.) cancel a whole-video run in video mode, as Run on All
Images' keys (Ctrl+Shift+R) start one. Found playing a video annotator's day (QA, task Q2)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import key
from tests.gui.video_helpers import open_video


def slow_model(rgb: np.ndarray) -> np.ndarray:
    """Grey is smoke, 30 ms a frame (a 48-frame run is still going when the key comes)."""
    time.sleep(0.03)
    spread = rgb.max(axis=2).astype(np.float32) - rgb.min(axis=2)
    return np.clip(1.0 - spread / 60.0, 0.0, 1.0)


def test_the_cancel_inference_key_cancels_a_whole_video_run(qtbot, make_window, tmp_path: Path) -> None:
    """Ctrl+Shift+R started the run; Ctrl+. then did nothing to it (the panel's Cancel was the only way)
    and went to the image analysis' Cancel Inference behind the video instead."""
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=48, fps=24.0), tmp_path)
    video = window.video
    video.set_model(slow_model, "slow")
    image_cancels: list[bool] = []
    window.analysis.action_cancel.triggered.connect(lambda *_: image_cancels.append(True))
    key(window, "Ctrl+Shift+R", settle=False)
    qtbot.waitUntil(lambda: video.panel.progress.value() >= 2, timeout=10_000)
    assert video.panel.cancel_button.isEnabled()
    key(window, "Ctrl+.", settle=False)
    qtbot.waitUntil(lambda: video.panel.predict_all_button.isEnabled(), timeout=5_000)
    assert not video.panel.cancel_button.isEnabled()
    assert video.panel.progress.value() < video.frame_count
    done = video.cache.summary_count()  # type: ignore[union-attr]
    assert 2 <= done < 48 and video.panel.progress.value() == done
    assert window.statusBar().currentMessage() == (f"Prediction cancelled: {done} of 48 frames predicted "
                                                   "(Predict whole video goes on with the rest)")
    assert image_cancels == []
