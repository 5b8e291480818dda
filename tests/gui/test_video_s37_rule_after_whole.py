"""A video predicted whole, then the Model panel's Regions rule changed (or τ, or the threshold under a rule):
the frames were predicted again around the playhead only (the prediction cache is reset under the new
settings, and only a whole-video run fills it past PREFETCH_AHEAD): the timeline's curves fell from every frame
to 13 of 60, the progress bar to 13 / 60, while the status bar still said "Whole video predicted". A video
whose every frame was predicted is now predicted whole again under the new settings."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video

FRAMES = 60


def _grey_is_smoke(rgb: np.ndarray) -> np.ndarray:
    """A stand-in network: grey (unsaturated) pixels are 'smoke'."""
    spread = rgb.max(axis=2).astype(np.float32) - rgb.min(axis=2)
    return np.clip(1.0 - spread / 60.0, 0.0, 1.0)


def test_a_whole_video_stays_whole_under_a_new_rule(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    clip = write_clip(tmp_path / "clip.mp4", frames=FRAMES, fps=24.0)
    window = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    video = window.video
    video.set_model(_grey_is_smoke, "grey")
    video.predict_whole()
    qtbot.waitUntil(lambda: video.cache.summary_count() == FRAMES and not video.worker.whole_running, timeout=20_000)

    window.analysis.settings.set_keep("core:0.9")
    qtbot.waitUntil(lambda: video.cache.model_key.endswith("|core:0.9@0.5")
                    and video.cache.summary_count() == FRAMES, timeout=20_000)  # was: 13, the frames ahead
    qtbot.waitUntil(lambda: not video.worker.whole_running, timeout=20_000)
    _, ys = video.timeline.area_curve.getData()
    assert ys is not None and int(np.isfinite(ys).sum()) == FRAMES
    assert video.panel.progress.value() == FRAMES
    assert window.statusBar().currentMessage() == "Whole video predicted"
