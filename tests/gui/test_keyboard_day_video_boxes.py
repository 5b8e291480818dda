"""A keyboard-only day with a video: the timeline's "Go to" frame box and the Video panel's smoothing
box kept the keys once Tab reached them: Esc did nothing there (the tool keys, K and C went to the box
too), so the only way back to the frame was Tab round the whole window. Esc now drops what was typed and
gives the keys back to the canvas, as it does in the brush-radius and threshold boxes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QSpinBox

from app.main_window import MainWindow
from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import demo_window


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    window.video.state_root = tmp_path / "video-state"
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.open_paths([write_clip(tmp_path / "clip.mp4", frames=12)], remember=False)
    window.activateWindow()
    return window


def _boxes(window: MainWindow) -> dict[str, QSpinBox]:
    return {"frame": window.video.timeline.frame_box, "smoothing": window.video.panel.smoothing_radius}


@pytest.mark.parametrize("name", ["frame", "smoothing"])
def test_esc_in_a_video_box_drops_the_typing_and_gives_the_keys_back(qtbot, window: MainWindow, name: str) -> None:
    box = _boxes(window)[name]
    box.parentWidget().window().activateWindow()
    box.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() in (box, box.lineEdit()))
    frame, value = window.video.index, box.value()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all
    QTest.keyClicks(QApplication.focusWidget(), "3")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.canvas
    assert box.value() == value and window.video.index == frame  # what was typed is dropped
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Period)  # the frame keys act on the frame again
    qtbot.waitUntil(lambda: window.video.index == frame + 1)
