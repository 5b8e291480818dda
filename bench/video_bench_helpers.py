"""What the video benchmarks share (`bench_video_open.py`, `bench_video_open_share.py`,
`bench_video_layers.py`, `bench_video_frame_truth.py`): the shown main window they open videos in, and
waiting on the event loop for a condition.

Run from the repository root as the benchmarks are (`python bench/bench_video_open.py`); the benchmark
puts the repository on `sys.path` before importing this module.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app.main_window import MainWindow
from app.services import CollectingErrorReporter, Services


def video_window(root: Path, size: tuple[int, int] = (1600, 1000)) -> MainWindow:
    """A shown main window of `size` (W, H) whose settings (root/settings.ini), annotation projects
    (root/projects) and videos' state (root/video-state) lie under `root`. The QApplication must exist."""
    settings = QSettings(str(root / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
    window.annotation.controller.registry.projects_root = root / "projects"
    window.video.state_root = root / "video-state"
    window.resize(*size)
    window.show()
    return window


def wait(predicate: Callable[[], object], timeout_s: float = 120.0) -> None:
    """Process events (1 ms sleeps between turns) until `predicate()` is true; TimeoutError after
    `timeout_s`."""
    deadline = time.perf_counter() + timeout_s
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("gave up waiting")
        QApplication.processEvents()
        time.sleep(0.001)
