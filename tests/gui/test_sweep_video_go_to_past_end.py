"""A frame number typed in the Go to box past the video's end goes to its last frame (as End does, and as a
remembered frame past a shorter file's end), not to whatever the box kept of the digits: typing 999 in a
200-frame video went to frame 99 (the third 9 refused without a word). Found by the video annotator's sweep
(session 30, task N)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import key
from tests.gui.video_helpers import open_video


def _go_to(qtbot, window, typed: str) -> None:  # noqa: ANN001 - qtbot fixture, MainWindow
    window.canvas.setFocus()
    key(window, "Ctrl+G")
    box = QApplication.focusWidget()
    assert box is window.video.timeline.frame_box
    QTest.keyClicks(box, typed)
    QTest.keyClick(box, Qt.Key.Key_Return)


def test_a_frame_past_the_end_goes_to_the_last(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=200), tmp_path)
    video = window.video
    _go_to(qtbot, window, "120")
    qtbot.waitUntil(lambda: video.shown_index == 120, timeout=5000)
    _go_to(qtbot, window, "999")
    qtbot.waitUntil(lambda: video.shown_index != 120, timeout=5000)
    assert video.shown_index == 199 and video.timeline.frame_box.value() == 199
    assert QApplication.focusWidget() is window.canvas  # Enter gives the keys back to the frame, as before
