"""The Timeline and Video docks can be closed (their title bar's ×) and were in no menu: closed, they
stayed away until another video was opened. View lists them while a video is open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMenu

from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video


def _view_menu(window) -> QMenu:  # noqa: ANN001 - a MainWindow
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")


def test_closed_video_docks_come_back_from_the_view_menu(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(show=True)
    video = window.video
    shown = [a for a in _view_menu(window).actions() if a.isVisible()]
    assert video.timeline_dock.toggleViewAction() not in shown  # nothing to show without a video
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=12, fps=12.0), tmp_path)
    for dock in (video.timeline_dock, video.panel_dock):
        dock.close()
        assert not dock.isVisible()
        action = dock.toggleViewAction()
        assert action in _view_menu(window).actions() and action.isVisible() and action.isEnabled()
        action.trigger()
        assert dock.isVisible()
    video.leave()  # back to the images
    shown = [a for a in _view_menu(window).actions() if a.isVisible()]
    assert video.timeline_dock.toggleViewAction() not in shown and video.panel_dock.toggleViewAction() not in shown
