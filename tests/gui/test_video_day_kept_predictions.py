"""A video opened again (after another video, or the images) keeps the predictions its model made of it
while the same model is in use: its timeline's curves are back at once and no frame is predicted again.
Found playing a video annotator's day (QA, task F of session 27): a whole-video run of the 156-frame
HPWREN clip, lost by a look at another clip, had to run again (and every frame near the playhead was
predicted again on each return). A changed file, or another model, is predicted again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.main_window import MainWindow
from fosp_core.video.predictions import PredictionCache
from fosp_core.video.testclip import write_clip
from tests.gui.tiny_model import INPUT, WAIT_MS, save_tiny_checkpoint, tiny_video_input  # noqa: F401 - a fixture
from tests.gui.video_helpers import open_video

pytestmark = pytest.mark.usefixtures("tiny_video_input")  # the frames at the tiny input, not 512 px


def _window(qtbot, make_window, tmp_path: Path) -> MainWindow:  # noqa: ANN001 - fixtures
    window = make_window()
    ctl = window.analysis
    ctl.worker.set_input_size(INPUT)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(save_tiny_checkpoint(tmp_path / "tiny.safetensors"))
    return window


def _spy_puts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """(id of the cache, frame) of every prediction stored from now on."""
    puts: list[tuple[int, int]] = []
    put = PredictionCache.put_prepared

    def spy(self: PredictionCache, index: int, *args: object) -> object:
        puts.append((id(self), index))
        return put(self, index, *args)

    monkeypatch.setattr(PredictionCache, "put_prepared", spy)
    return puts


def _run_whole(qtbot, window: MainWindow) -> None:  # noqa: ANN001 - qtbot fixture
    """Predict the whole open video and wait for the run's end (frames near the playhead come first)."""
    video = window.video
    qtbot.waitUntil(lambda: video.worker is not None and video.worker.has_model, timeout=WAIT_MS)
    video.predict_whole()
    qtbot.waitUntil(lambda: not video.worker.whole_running, timeout=6 * WAIT_MS)  # the model at full input
    assert video.cache.summary_count() == video.frame_count


def test_a_video_opened_again_keeps_its_predictions_a_changed_file_or_another_model_not(
        qtbot, make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """One window and clip for the three cases (they were two tests, each paying a window, its model and a
    whole-video run): kept on reopening; predicted again once the file changed, and for another model."""
    first = write_clip(tmp_path / "first.mp4", frames=14)
    other = write_clip(tmp_path / "other.mp4", frames=5)
    window = _window(qtbot, make_window, tmp_path)
    video = window.video
    puts = _spy_puts(monkeypatch)
    open_video(qtbot, window, first, tmp_path)
    _run_whole(qtbot, window)
    assert video.cache.summary_count() == 14
    first_cache = id(video.cache)
    assert sorted(i for c, i in puts if c == first_cache) == list(range(14))

    open_video(qtbot, window, other, tmp_path)
    qtbot.waitUntil(lambda: video.probability() is not None, timeout=WAIT_MS)
    open_video(qtbot, window, first, tmp_path)
    assert video.cache.summary_count() == 14  # the curves are back at once
    assert video.panel.progress.value() == 14  # and the Video panel's count ("14 / 14 frames"), not 0
    area, _peak = video.cache.summary_arrays()
    assert not any(a != a for a in area)  # no NaN: every frame has its summary
    before = len(puts)
    _run_whole(qtbot, window)  # nothing left to do: it ends after the frames near the playhead, if any
    assert puts[before:] == []
    assert video.probability() is not None

    # a changed file: predicted again, every frame (a kept prediction served stores none: above); at the tiny
    # input the frames near the playhead (PREFETCH_AHEAD, 12) may all be done before a count could be read
    open_video(qtbot, window, other, tmp_path)
    write_clip(first, frames=14, size=(128, 96))  # re-encoded meanwhile
    stat = first.stat()
    os.utime(first, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    before = len(puts)
    open_video(qtbot, window, first, tmp_path)
    _run_whole(qtbot, window)
    assert sorted({i for c, i in puts[before:] if c == id(video.cache)}) == list(range(14)), ("changed file: kept",
                                                                                           puts[before:])

    open_video(qtbot, window, other, tmp_path)
    with qtbot.waitSignal(window.analysis.worker.loaded, timeout=WAIT_MS):  # another model
        window.analysis.settings.set_checkpoint(save_tiny_checkpoint(tmp_path / "tiny2.safetensors", seed=1))
    before = len(puts)
    open_video(qtbot, window, first, tmp_path)
    qtbot.waitUntil(lambda: video.predictions.models.loading is None, timeout=WAIT_MS)
    _run_whole(qtbot, window)
    assert sorted({i for c, i in puts[before:] if c == id(video.cache)}) == list(range(14)), "another model: kept"
