"""Keys a CVAT user reaches for in a video (QA, task F of session 27): Page Down / Page Up move 10 frames
forward / back (CVAT's step, its C / V, taken here by Carry and Navigate), and Ctrl+G (Go to Image in
image mode, dead in video mode before) puts the cursor in the timeline's Go to box, its number selected,
so typing a frame number and Enter goes there."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.main_window import MainWindow
from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video


def _press(qtbot, window: MainWindow, key: Qt.Key, index: int,  # noqa: ANN001 - qtbot fixture
           modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Press `key` where the focus is; frame `index` is then on the canvas."""
    QTest.keyClick(QApplication.focusWidget() or window, key, modifier)
    qtbot.waitUntil(lambda: window.video.shown_index == index == window.video.index, timeout=5000)


def test_page_keys_move_ten_frames(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=25), tmp_path)
    window.activateWindow()
    window.canvas.setFocus()
    _press(qtbot, window, Qt.Key.Key_PageDown, 10)
    _press(qtbot, window, Qt.Key.Key_PageDown, 20)
    _press(qtbot, window, Qt.Key.Key_PageDown, 24)  # the last frame, not past it
    _press(qtbot, window, Qt.Key.Key_PageUp, 14)
    listed = {a.text(): a.shortcut().toString() for a in window.video.actions}
    assert listed["Forward 10 Frames"] == "PgDown" and listed["Back 10 Frames"] == "PgUp"


def test_ctrl_g_goes_to_the_frame_typed(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=30), tmp_path)
    window.activateWindow()
    window.canvas.setFocus()
    video = window.video
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    box = video.timeline.frame_box
    assert QApplication.focusWidget() is box.lineEdit() or QApplication.focusWidget() is box
    assert box.lineEdit().selectedText() == "0"  # typing replaces the number
    QTest.keyClicks(QApplication.focusWidget(), "17")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: video.shown_index == 17, timeout=5000)
    _press(qtbot, window, Qt.Key.Key_Right, 18)  # the frame keys work again after Enter


def test_ctrl_g_shows_the_timeline_closed_before(qtbot, make_window, tmp_path: Path) -> None:
    """The Timeline dock closed (its title bar's ×): Ctrl+G brings it back with the cursor in Go to."""
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=30), tmp_path)
    window.activateWindow()
    video = window.video
    video.timeline_dock.close()
    window.canvas.setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert video.timeline_dock.isVisible()
    box = video.timeline.frame_box
    assert QApplication.focusWidget() in (box, box.lineEdit())
