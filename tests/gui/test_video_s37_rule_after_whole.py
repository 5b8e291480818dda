"""A video predicted whole, then the Model panel's Regions rule changed (or τ, or the threshold under a rule):
the frames were predicted again around the playhead only (the prediction cache is reset under the new
settings, and only a whole-video run fills it past PREFETCH_AHEAD): the timeline's curves fell from every frame
to 13 of 60, the progress bar to 13 / 60, while the status bar still said "Whole video predicted".
A video whose every frame was predicted, under a model set in this opening of it, is now predicted whole again
under the new settings (another model still starts from the playhead: test_video_day_progress)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video

FRAMES = 60


def _grey_is_smoke(rgb: np.ndarray) -> np.ndarray:
    """A stand-in network: grey (unsaturated) pixels are 'smoke'."""
    spread = rgb.max(axis=2).astype(np.float32) - rgb.min(axis=2)
    return np.clip(1.0 - spread / 60.0, 0.0, 1.0)


def _half(rgb: np.ndarray) -> np.ndarray:
    """Another stand-in network: half of the first one's probability."""
    return 0.5 * _grey_is_smoke(rgb)


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

    def whole_again() -> bool:  # the run's end handled on the GUI thread: curves, bar and words
        _, ys = video.timeline.area_curve.getData()
        return (ys is not None and int(np.isfinite(ys).sum()) == FRAMES and video.panel.progress.value() == FRAMES
                and video.panel.predict_all_button.isEnabled())

    qtbot.waitUntil(whole_again, timeout=20_000)
    assert window.statusBar().currentMessage() == "Whole video predicted"

    window.analysis.settings.set_keep("plain")  # back: whole again
    qtbot.waitUntil(lambda: video.cache.model_key.endswith("|plain") and video.cache.summary_count() == FRAMES,
                    timeout=20_000)


def test_a_rule_change_before_the_model_of_this_opening_predicts_the_playhead_s_frames(  # noqa: ANN201
        qtbot, make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """Kept predictions of every frame, the video opened again: a rule changed before any model was set in
    this opening predicts around the playhead only (nothing unasked)."""


    clip, other = write_clip(tmp_path / "clip.mp4", frames=FRAMES, fps=24.0), write_clip(tmp_path / "b.mp4", frames=3)
    window = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    video = window.video
    video.set_model(_grey_is_smoke, "grey")
    video.predict_whole()
    qtbot.waitUntil(lambda: video.cache.summary_count() == FRAMES and not video.worker.whole_running, timeout=20_000)
    open_video(qtbot, window, other, tmp_path)
    open_video(qtbot, window, clip, tmp_path)  # its kept predictions (every frame), then another model
    assert video.cache.summary_count() == FRAMES
    video.predictions._model = (_half, "half")  # (as a model loaded meanwhile: no set_model in this opening)
    wholes: list[int] = []
    monkeypatch.setattr(video.predictions, "predict_whole", lambda: wholes.append(1))
    window.analysis.settings.set_keep("core:0.9")
    qtbot.waitUntil(lambda: video.cache.model_key.endswith("|core:0.9@0.5"), timeout=10_000)
    assert wholes == []
