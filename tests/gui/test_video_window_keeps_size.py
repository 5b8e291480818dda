"""Opening a video never makes the window taller: on a 1024 x 640 screen the window grew to 659 px
(its status bar below the screen's edge) when the Timeline dock came in while the image docks were
still laid out, and stayed so although the video layout needs 569 px."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video


@pytest.mark.parametrize("size", [(1024, 640), (1366, 700)])
def test_opening_a_video_keeps_the_window_size(qtbot, make_window, tmp_path: Path, size: tuple[int, int]) -> None:
    window = make_window(show=True)
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=12, fps=12.0), tmp_path)
    QApplication.processEvents()
    assert window.video.timeline_dock.isVisible()
    assert (window.width(), window.height()) == size
    assert window.minimumSizeHint().height() <= size[1]  # the video layout fits: the size is no squeeze
