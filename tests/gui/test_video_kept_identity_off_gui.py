"""An image-sequence folder opened again while its predictions are kept (`fosp_core.video.kept_predictions`):
its identity (one ``stat`` a frame: 25-30 ms at 3000 frames on a local disk, about a second on a slow drive)
is probed on the opener's thread (`app.video.open_worker.prepare_video`, `OpenedVideo.identity`), and the
GUI thread stats none of its frames; the kept predictions come back as before. Before f8e9239, ``take``
probed every frame on the GUI thread. Also when the folder opened again is the one shown (Take Over's reopening: kept at its close,
taken back at once)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from app.main_window import MainWindow

FRAMES = 12


def _sequence(folder: Path, shade: int) -> Path:
    folder.mkdir()
    for i in range(FRAMES):
        cv2.imwrite(str(folder / f"frame_{i:03d}.png"), np.full((32, 48, 3), (shade + 7 * i) % 256, np.uint8))
    return folder


class _Stats:
    """The frame files of `folder` each thread stats (os.stat wrapped)."""

    def __init__(self, folder: Path) -> None:
        self.folders = (str(folder) + os.sep, os.path.realpath(folder) + os.sep)
        self.calls: list[tuple[str, str]] = []
        self.on = False

    def frames_by(self, name: str) -> int:
        return sum(1 for thread, _ in self.calls if thread == name)

    def frames_probed_by(self, name: str) -> int:
        return len({path for thread, path in self.calls if thread == name})


@pytest.fixture
def seq(tmp_path: Path) -> Path:
    return _sequence(tmp_path / "seq", 40)


@pytest.fixture
def stats(monkeypatch: pytest.MonkeyPatch, seq: Path) -> Iterator[_Stats]:
    seen, real = _Stats(seq), os.stat

    def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        where = os.fspath(path)  # type: ignore[arg-type]
        if seen.on and isinstance(where, str) and where.startswith(seen.folders) and where.endswith(".png"):
            seen.calls.append((threading.current_thread().name, where))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stat)
    yield seen


def _open(qtbot, window: MainWindow, folder: Path) -> None:  # noqa: ANN001 - qtbot fixture
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.video.open_async(folder)


def _predicted(window: MainWindow) -> object:
    """Some predictions of the open video, as a model's run leaves them (kept at its close)."""
    cache = window.video.cache
    assert cache is not None
    cache.reset("tiny#1|plain")
    cache.put(0, np.full((32, 48), 0.5, np.float32))
    return cache


def _window(make_window, tmp_path: Path) -> MainWindow:  # noqa: ANN001 - fixture
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    return window


def test_a_kept_folder_opened_again_is_probed_off_the_gui_thread(qtbot, make_window, tmp_path: Path, seq: Path,
                                                                 stats: _Stats) -> None:
    window = _window(make_window, tmp_path)
    _open(qtbot, window, seq)
    cache = _predicted(window)
    _open(qtbot, window, _sequence(tmp_path / "other", 90))  # seq closed: its predictions kept
    window.video.predictions.kept.settle()
    stats.on = True
    _open(qtbot, window, seq)
    assert window.video.cache is cache  # given back
    assert stats.frames_by(threading.main_thread().name) == 0
    assert stats.frames_probed_by("video-open") == FRAMES  # every frame probed there, on the opener's thread


def test_the_shown_folder_opened_again_is_probed_off_the_gui_thread(qtbot, make_window, tmp_path: Path, seq: Path,
                                                                   stats: _Stats) -> None:
    window = _window(make_window, tmp_path)
    _open(qtbot, window, seq)
    cache = _predicted(window)
    stats.on = True
    _open(qtbot, window, seq)  # as Take Over reopens the video shown: kept at its close, taken back at once
    assert window.video.cache is cache
    assert stats.frames_by(threading.main_thread().name) == 0
