"""A keyboard-only day, zoomed in: the canvas could be panned only with the mouse (a drag with
Navigate, Space+drag, a middle drag); the arrow keys step images or frames, so once zoomed in with
+ a keyboard user saw the middle of the image and nothing else. View ▸ Pan Left / Right / Up / Down
(Ctrl+Shift+arrows) move the view a quarter of itself, in image and in video mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.main_window import MainWindow
from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import demo_window

_CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    window.activateWindow()
    window.canvas.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.canvas)
    return window


def _view(window: MainWindow) -> QRectF:
    return window.canvas.view_box.viewRect()


def _zoom_in_and_pan(window: MainWindow) -> dict[str, tuple[float, float]]:
    """Zoom in with + three times, then each Ctrl+Shift+arrow once: how far each moved the view's centre."""
    for _ in range(3):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Plus)
    zoom = window.canvas.zoom_percent()
    moved = {}
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Up):
        before = _view(window).center()
        QTest.keyClick(QApplication.focusWidget(), key, _CTRL_SHIFT)
        after = _view(window).center()
        moved[key.name] = (round(after.x() - before.x(), 3), round(after.y() - before.y(), 3))
    assert window.canvas.zoom_percent() == pytest.approx(zoom)  # panning keeps the zoom
    return moved


def _expected(window: MainWindow) -> dict[str, tuple[float, float]]:
    step_x, step_y = round(_view(window).width() / 4, 3), round(_view(window).height() / 4, 3)
    return {"Key_Right": (step_x, 0), "Key_Down": (0, step_y), "Key_Left": (-step_x, 0), "Key_Up": (0, -step_y)}


def test_ctrl_shift_arrows_pan_the_zoomed_in_image(window: MainWindow) -> None:
    index = window.session.current_index
    moved = _zoom_in_and_pan(window)
    assert moved == _expected(window)
    assert window.session.current_index == index  # no image stepped


def test_ctrl_shift_arrows_pan_a_video_frame(qtbot, window: MainWindow, tmp_path: Path) -> None:  # noqa: ANN001
    window.video.state_root = tmp_path / "video-state"
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.open_paths([write_clip(tmp_path / "clip.mp4", frames=6, size=(320, 240))], remember=False)
    window.canvas.setFocus()
    frame = window.video.index
    moved = _zoom_in_and_pan(window)
    assert moved == _expected(window)
    assert window.video.index == frame  # no frame stepped
