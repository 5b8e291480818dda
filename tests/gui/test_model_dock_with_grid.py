"""The Model dock on a 1366 x 768 screen with the compare grid open (Ctrl+Shift+G): the grid docked at
the bottom across the whole window, under the right-hand column too, and left the Model dock about
70 px tall, the checkpoint's name and the threshold in view and the metrics scrolled out of it. The
grid now docks under the canvas (and the image list) only, beside the right-hand column, whose docks
keep their height; a video's timeline, docked at the bottom too, keeps the window's width."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QTabBar

from fosp_core.video.testclip import write_clip
from tests.gui.model_dock_helpers import in_view, window_with_metrics
from tests.gui.tiny_model import save_tiny_checkpoint
from tests.gui.video_helpers import open_video


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def _settle() -> None:
    for _ in range(8):  # layouts settle in chained posted events (a wrapped label grows its box)
        QApplication.processEvents()


def test_the_metrics_stay_in_view_with_the_grid_open(qtbot, make_window, checkpoint, demo_dir, tmp_path) -> None:
    window, ctl = window_with_metrics(qtbot, make_window, checkpoint, demo_dir, tmp_path)
    _settle()
    area = ctl.model_dock.widget()
    assert isinstance(area, QScrollArea)
    assert in_view(ctl.metrics, area)  # as before, without the grid

    ctl.grid_dock.toggleViewAction().trigger()  # Ctrl+Shift+G
    _settle()
    if os.environ.get("R3_SHOT"):
        window.grab().save(os.environ["R3_SHOT"])
    assert ctl.grid_dock.isVisible() and ctl.grid_dock.height() > 150  # the grid has room for its panels
    assert area.verticalScrollBar().value() == 0
    assert in_view(ctl.metrics, area), (ctl.model_dock.height(), ctl.metrics.mapTo(area.viewport(), QPoint(0, 0)),
                                         ctl.metrics.size(), area.viewport().size())
    panel = ctl.panel
    for needed in (panel.checkpoint_label, panel.threshold, panel.run_button):
        assert in_view(needed, area), needed
    # the grid sits under the canvas, not under the right-hand column
    grid = ctl.grid_dock.geometry()
    assert grid.right() < ctl.model_dock.geometry().left(), (grid, ctl.model_dock.geometry())
    assert ctl.grid_dock.height() < window.height() / 2  # and the canvas keeps the rest
    assert window.canvas.height() > 250
    # no tab bar lies over the grid (Qt left a stray 'Worklist | Layers' bar where the grid now is)
    for bar in window.findChildren(QTabBar):
        assert not (bar.isVisible() and grid.intersects(bar.geometry())), [bar.tabText(i) for i in range(bar.count())]


def test_a_video_timeline_keeps_the_window_width(qtbot, make_window, tmp_path) -> None:
    window = make_window()
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=6), tmp_path)
    _settle()
    timeline = window.video.timeline_dock
    assert timeline.isVisible()
    assert timeline.geometry().left() == 0 and timeline.width() == window.width()  # the whole width, as before
    window.video.leave()  # back to the images: the grid would open under the canvas
    _settle()
    assert timeline.isHidden()
    assert window.corner(Qt.Corner.BottomRightCorner) == Qt.DockWidgetArea.RightDockWidgetArea

    grid = window.analysis.grid_dock
    grid.toggleViewAction().trigger()
    _settle()
    open_video(qtbot, window, write_clip(tmp_path / "clip2.mp4", frames=6), tmp_path)
    _settle()
    # the grid open too: put away while the video is open (it showed the image behind it), the timeline
    # alone at the bottom, the window's width
    assert timeline.isVisible() and grid.isHidden()
    assert window.corner(Qt.Corner.BottomRightCorner) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert timeline.geometry().left() == 0 and timeline.width() == window.width()
    window.video.leave()  # the grid back under the canvas
    _settle()
    assert grid.isVisible() and timeline.isHidden()
    assert window.corner(Qt.Corner.BottomRightCorner) == Qt.DockWidgetArea.RightDockWidgetArea
    assert grid.geometry().left() == 0 and grid.geometry().right() < window.analysis.model_dock.geometry().left()
