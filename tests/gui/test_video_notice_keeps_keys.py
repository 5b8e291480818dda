"""The "Saved masks to check" notice, shown unasked when a video opens, takes no keyboard focus: the next
key (K: Toggle Keyframe) reaches the video view, not the box (sweep: a keyframe K was silently lost). So
does the notice of a video.json not written, told by the save thread (app.quiet_notice)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

import app.video.frame_editing as frame_editing
from fosp_core.io import atomic as atomic_io
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations, own_folder
from tests.cut_clip import cut, write_h264_clip
from tests.gui.video_helpers import open_video


def test_the_key_after_the_notice_reaches_the_video(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    clip = cut(write_h264_clip(tmp_path / "whole.mp4", frames=36), tmp_path / "cut.mp4", 0.4)
    folder = own_folder(tmp_path / "video-state", clip, clip.stem)
    saved = VideoAnnotations(clip, 36, (120, 160), stem=clip.stem, folder=folder)  # saved when it was whole
    saved.save_mask(30, np.ones((120, 160), np.uint8))
    saved.release_lock()  # the app opens them: not read-only
    window = make_window(show=True)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    open_video(qtbot, window, clip, tmp_path)
    notice = window.video.panel.numbering_notice
    assert notice is not None and notice.isVisible()
    qtbot.wait(100)  # the events of the box's showing (activation, focus) are handled
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None and target.window() is window  # was the box's OK button
    QTest.keyClick(target, Qt.Key.Key_K)  # as the keyboard does: to the focus widget
    annotations = window.video.annotations
    assert annotations is not None and annotations.keyframes == {window.video.index}
    assert notice.isVisible()  # still there to read
    notice.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is notice)
    QTest.keyClick(QApplication.focusWidget() or notice, Qt.Key.Key_Escape)  # and closed by keyboard
    assert not notice.isVisible()


def test_the_key_after_a_save_failure_notice_reaches_the_video(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                               monkeypatch) -> None:  # noqa: ANN001
    """video.json not written (disk full), told by the save thread's event in a box: it was a modal
    QMessageBox.warning, the next key (Space, K) pressing its OK and the window blocked until it did."""
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=12), tmp_path)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    real = atomic_io._write_chunk

    def full(fd: int, data: memoryview) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic_io, "_write_chunk", full)
    shown: list[QMessageBox] = []
    real_tell = frame_editing.tell_quietly
    monkeypatch.setattr(frame_editing, "tell_quietly", lambda *args: shown.append(real_tell(*args)) or shown[-1])
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_K)  # frame 0
    notes = window.video.annotations
    assert notes is not None
    notes.finish_saves(wait=True)  # the video.json write's end (the save thread's), taken
    qtbot.waitUntil(lambda: bool(shown))
    qtbot.wait(100)  # the events of the box's showing (activation, focus) are handled
    assert shown[0].isVisible() and "disk full" in shown[0].text()
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None and target.window() is window
    monkeypatch.setattr(atomic_io, "_write_chunk", real)
    QTest.keyClick(target, Qt.Key.Key_Right)  # the next frame, not the box's OK
    qtbot.waitUntil(lambda: window.video.index == 1)
    shown[0].close()
