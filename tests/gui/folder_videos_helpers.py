"""Helpers for the tests of a folder's video links (the links at the right of the status bar, and
File ▸ Open Video from This Folder): a folder of two images and some videos, opened in a shown window
with its projects and video state under the test's temporary folder."""

from __future__ import annotations

from pathlib import Path

from app.main_window import MainWindow
from tests.odd_inputs import good_image, write_video

from .conftest import WindowFactory


def folder_window(qtbot, make_window: WindowFactory, tmp_path: Path, videos: list[str]) -> MainWindow:  # noqa: ANN001
    """A shown, active window with ``tmp_path/day`` open: two images (``img_0.jpg``, ``img_1.jpg``)
    and a 3-frame video for each name of `videos`; returns once the first image's document is up."""
    folder = tmp_path / "day"
    folder.mkdir()
    for i in range(2):
        good_image(folder, f"img_{i}.jpg", seed=i)
    for name in videos:
        write_video(folder / name, 3)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    window.activateWindow()
    window.open_paths([folder], remember=False)
    qtbot.waitUntil(lambda: window.annotation.controller.document is not None)
    return window


def opened_video(qtbot, window: MainWindow) -> str:  # noqa: ANN001
    """The file name of the video `window` opens (waits up to 10 s for its reader)."""
    qtbot.waitUntil(lambda: window.video.active and window.video.reader is not None, timeout=10_000)
    return window.video.reader.meta.path.name
