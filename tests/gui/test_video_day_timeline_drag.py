"""Dragging across the timeline's plot scrubs the video, as dragging a CVAT or video-editor timeline
does (a press on the plot went to its frame only once the button was released without moving, and a
drag did nothing)."""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.main_window import MainWindow
from fosp_core.video.testclip import write_clip


def _mouse(widget: QWidget, kind: QEvent.Type, pos: QPoint, held: bool) -> None:
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    buttons = Qt.MouseButton.LeftButton if held else Qt.MouseButton.NoButton
    event = QMouseEvent(kind, QPointF(pos), widget.mapToGlobal(QPointF(pos)), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def test_dragging_across_the_plot_scrubs(qtbot, make_window, tmp_path: Path) -> None:
    window: MainWindow = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    video = window.video
    video.state_root = tmp_path / "video-state"
    with qtbot.waitSignal(video.frame_shown, timeout=10_000):
        video.open(write_clip(tmp_path / "clip.mp4", frames=30))
    plot = video.timeline.plot
    view = plot.getPlotItem().vb

    def at(frame: int) -> QPoint:
        return plot.mapFromScene(view.mapViewToScene(pg.Point(frame, 0.5)))

    shown: list[int] = []
    video.frame_shown.connect(shown.append)
    viewport = plot.viewport()
    _mouse(viewport, QEvent.Type.MouseButtonPress, at(3), held=True)
    qtbot.waitUntil(lambda: video.shown_index == 3, timeout=5000)  # the press goes there at once
    for frame in range(5, 22, 4):
        _mouse(viewport, QEvent.Type.MouseMove, at(frame), held=True)
        qtbot.waitUntil(lambda f=frame: video.shown_index == f, timeout=5000)
    _mouse(viewport, QEvent.Type.MouseButtonRelease, at(21), held=False)
    _mouse(viewport, QEvent.Type.MouseMove, at(27), held=False)  # moving without the button: no scrub
    qtbot.wait(100)
    assert video.index == 21 and shown == [3, 5, 9, 13, 17, 21]
