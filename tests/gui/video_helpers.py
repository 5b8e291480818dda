"""Helpers for the video GUI tests: opening a clip in a window with its state under the test's
temporary folder."""

from __future__ import annotations

from pathlib import Path

from app.main_window import MainWindow


def open_video(qtbot, window: MainWindow, path: Path, tmp_path: Path) -> None:  # noqa: ANN001 - qtbot fixture
    """Open the video `path` (masks and video state under `tmp_path`) and wait for its first frame."""
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.open_paths([path], remember=False)
