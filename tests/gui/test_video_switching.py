"""Opening another video, or going back to images, while the open video is busy (predicting the
whole video, decoding frames): nothing of the old video may reach the new one, and nothing of it may
stay in memory."""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from app.video.workers import FrameFetcher, PredictionWorker
from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video

torch.set_num_threads(1)


def slow_model(rgb: np.ndarray) -> np.ndarray:
    """A stand-in network that takes a while per frame (so a whole-video run is still going)."""
    time.sleep(0.03)
    spread = rgb.max(axis=2).astype(np.float32) - rgb.min(axis=2)
    return np.clip(1.0 - spread / 60.0, 0.0, 1.0)


@pytest.fixture()
def clips(tmp_path: Path) -> tuple[Path, Path]:
    return (write_clip(tmp_path / "first.mp4", frames=40, fps=24.0),
            write_clip(tmp_path / "second.mp4", frames=12, size=(128, 96), fps=24.0))


def test_another_video_opened_during_a_whole_video_run_starts_clean(qtbot, make_window, tmp_path: Path,
                                                                    clips: tuple[Path, Path]) -> None:
    """Opening a video while "Predict whole video" ran on another left the panel as if it still ran
    (Predict disabled, Cancel doing nothing: the new video could never be predicted whole), and the
    old video's progress ("6 / 40 frames") showed on the new one."""
    first, second = clips
    window = make_window(show=True)
    open_video(qtbot, window, first, tmp_path)
    video = window.video
    video.set_model(slow_model, "slow")
    video.predict_whole()
    qtbot.waitUntil(lambda: video.panel.progress.value() >= 3, timeout=10_000)
    open_video(qtbot, window, second, tmp_path)
    qtbot.wait(300)  # whatever the old video's threads queued has arrived by now
    panel = video.panel
    assert panel.predict_all_button.isEnabled() and not panel.cancel_button.isEnabled()
    assert (panel.progress.value(), panel.progress.maximum()) == (0, 12)
    video.set_model(slow_model, "slow")
    video.predict_whole()  # the new video can be predicted whole
    qtbot.waitUntil(lambda: panel.predict_all_button.isEnabled(), timeout=20_000)
    assert all(video.cache.has_summary(i) for i in range(12))
    assert (panel.progress.value(), panel.progress.maximum()) == (12, 12)


def test_going_back_to_images_during_a_whole_video_run_leaves_the_panel_ready(qtbot, make_window, tmp_path: Path,
                                                                              clips: tuple[Path, Path],
                                                                              demo_dir: Path) -> None:
    first, second = clips
    window = make_window(show=True)
    open_video(qtbot, window, first, tmp_path)
    video = window.video
    video.set_model(slow_model, "slow")
    video.predict_whole()
    qtbot.waitUntil(lambda: video.panel.progress.value() >= 3, timeout=10_000)
    image = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    with qtbot.waitSignal(window.loader.image_loaded, timeout=10_000):
        window.open_paths([image], remember=False)
    qtbot.wait(200)
    open_video(qtbot, window, second, tmp_path)
    assert video.panel.predict_all_button.isEnabled() and not video.panel.cancel_button.isEnabled()


def test_the_old_video_s_frames_never_reach_the_new_one(qtbot, make_window, tmp_path: Path,
                                                         clips: tuple[Path, Path]) -> None:
    """The first frame shown after opening a video is the new video's: a frame the old video's
    decoder still delivered was shown (and announced by frame_shown) first."""
    first, second = clips
    window = make_window(show=True)
    open_video(qtbot, window, first, tmp_path)
    video = window.video
    shown: list[tuple[int, tuple[int, ...]]] = []
    video.frame_shown.connect(lambda i: shown.append((i, window.canvas.image_shape)))
    video.seek(37)  # being decoded (or its answer queued) when the next video opens
    video.open(second)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    qtbot.wait(200)
    assert shown == [(0, (96, 128))]


def test_a_closed_video_s_workers_and_caches_are_released(qtbot, make_window, tmp_path: Path,
                                                          clips: tuple[Path, Path]) -> None:
    """Each video opened kept its frame decoder and prediction worker (with their caches of frames
    and probability maps, up to 448 MiB) alive until the window closed: switching between a few
    clips grew the process by hundreds of MiB."""
    first, second = clips
    window = make_window(show=True)
    video = window.video
    for path in (first, second, first, second):
        open_video(qtbot, window, path, tmp_path)
        video.set_model(slow_model, "slow")
        qtbot.waitUntil(lambda: 0 in video.cache, timeout=10_000)
    qtbot.wait(100)  # deferred deletions run
    gc.collect()
    assert video.findChildren(PredictionWorker) == [video.worker]
    qtbot.waitUntil(lambda: video.findChildren(FrameFetcher) == [video.fetcher], timeout=10_000)  # closed off the GUI thread


def test_switching_videos_does_not_wait_for_the_old_one_to_close(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                                 clips: tuple[Path, Path],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The old video's close (its frame decoder stopped, then its reader closed: 0.2-41 ms measured, more
    on a slow disk) ran on the GUI thread when another video opened or the window went back to images.
    A slow close is held here until the new video shows its first frame."""
    first, second = clips
    window = make_window(show=True)
    open_video(qtbot, window, first, tmp_path)
    release = threading.Event()
    closes: list[tuple[Path, bool]] = []  # (video, closed on the GUI thread)
    shutdown = FrameFetcher.shutdown

    def slow(self: FrameFetcher) -> None:
        on_gui = threading.current_thread() is threading.main_thread()
        release.wait(10)  # (10 s: where it holds the GUI thread, the test goes on)
        shutdown(self)
        closes.append((self.reader.meta.path, on_gui))

    monkeypatch.setattr(FrameFetcher, "shutdown", slow)
    old = window.video.reader
    open_video(qtbot, window, second, tmp_path)  # its first frame shown, the old one still closing
    assert closes == [] and window.video.reader is not old
    release.set()
    qtbot.waitUntil(lambda: len(closes) == 1, timeout=10_000)
    assert closes == [(first, False)]  # was: closed, on the GUI thread, before the new video showed
    qtbot.waitUntil(lambda: window.video.findChildren(FrameFetcher) == [window.video.fetcher], timeout=10_000)

    release.clear()
    window.video.leave()  # back to images: the same
    assert closes == [(first, False)]
    release.set()
    qtbot.waitUntil(lambda: len(closes) == 2, timeout=10_000)
    assert closes[1] == (second, False)
