"""Helpers for the tests of the video frame layers (app.video.frame_layers): a window with the tiny
model loaded, a clip opened with its model in, seeking, and a frame layers' run held on its thread.
(Apart from video_helpers, which stays free of torch.)"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.main_window import MainWindow
from fosp_core.video.testclip import write_clip
from tests.gui.tiny_model import INPUT, WAIT_MS
from tests.gui.video_helpers import open_video

#: A settle delay no test waits out: the tests say when a frame has settled (FrameLayers.settle).
NEVER_MS = 600_000


def window_with_model(qtbot, make_window, tiny: Path) -> MainWindow:  # noqa: ANN001
    """A window whose Model panel has the tiny model loaded at the tiny input (no image open)."""
    window = make_window(show=True)
    ctl = window.analysis
    ctl.worker.set_input_size(INPUT)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(tiny)
    return window


def open_clip_with_model(qtbot, window: MainWindow, clip: Path, tmp_path: Path) -> None:  # noqa: ANN001
    """Open the video `clip` (as `open_video`) and wait for the video's model to be in."""
    open_video(qtbot, window, clip, tmp_path)
    qtbot.waitUntil(lambda: window.video.models.fn is not None, timeout=WAIT_MS)


def open_test_clip(qtbot, window: MainWindow, tmp_path: Path, frames: int = 6) -> None:  # noqa: ANN001
    """Write a test clip of `frames` frames under `tmp_path` and open it (as `open_clip_with_model`)."""
    open_clip_with_model(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=frames), tmp_path)


def seek(qtbot, window: MainWindow, index: int) -> None:  # noqa: ANN001
    """Seek the video to frame `index` and wait for it to be shown."""
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.video.seek(index)


def hold_frame_layers(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """The frame layers' runs from here on made to wait on their thread until released; returns
    (started, release)."""
    engine, started, release = window.video.frame_layers.worker._engine, threading.Event(), threading.Event()
    predict_one = engine._predict_one

    def held(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        started.set()
        release.wait(10)
        return predict_one(*args, **kwargs)

    monkeypatch.setattr(engine, "_predict_one", held)
    return started, release


def frame_2_held(qtbot, make_window, tiny: Path, tmp_path: Path,  # noqa: ANN001
                 monkeypatch: pytest.MonkeyPatch) -> tuple[MainWindow, threading.Event]:
    """A window with the tiny model and a test clip open, frame 0's layers shown, the settle timer
    stopped, and frame 2's run started and held on its thread; returns (window, release)."""
    window = window_with_model(qtbot, make_window, tiny)
    layers = window.video.frame_layers
    open_test_clip(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: layers.frame == 0, timeout=WAIT_MS)
    layers.timer.setInterval(NEVER_MS)
    started, release = hold_frame_layers(window, monkeypatch)
    seek(qtbot, window, 2)
    layers.settle()  # frame 2 at INPUT px, held on the thread
    assert started.wait(10)
    return window, release
