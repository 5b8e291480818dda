"""The keys of a video session as an analyst uses them, sent to whatever widget has the focus: after
typing a frame number in Go to (Enter), the frame keys work again; Ctrl+Right / Ctrl+Left jump between
keyframes and Shift+Right / Shift+Left between edited frames, as CVAT's keyframe jumps do."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.main_window import MainWindow
from fosp_core.annotation import tools
from fosp_core.video.testclip import write_clip


def _open(qtbot, window: MainWindow, path: Path, tmp_path: Path) -> None:  # noqa: ANN001 - qtbot fixture
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.open_paths([path], remember=False)
    window.activateWindow()


def _key(qtbot, window: MainWindow, key: Qt.Key, index: int,  # noqa: ANN001 - qtbot fixture
         modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Press `key` where the focus is; frame `index` is then on the canvas."""
    QTest.keyClick(QApplication.focusWidget() or window, key, modifier)
    qtbot.waitUntil(lambda: window.video.shown_index == index == window.video.index, timeout=5000)


def test_after_go_to_frame_the_frame_keys_work_again(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(show=True)
    _open(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=30), tmp_path)
    video = window.video
    box = video.timeline.frame_box
    box.setFocus()
    box.selectAll()
    QTest.keyClicks(box, "12")
    QTest.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: video.shown_index == 12, timeout=5000)
    _key(qtbot, window, Qt.Key.Key_Right, 13)  # went into the box's text before
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_K)
    assert video.annotations.keyframes == {13}  # type: ignore[union-attr]


def test_keys_jump_between_keyframes_and_between_edited_frames(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(show=True)
    _open(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=30), tmp_path)
    video = window.video
    notes = video.annotations
    for frame in (5, 20):
        notes.set_keyframe(frame)  # type: ignore[union-attr]
    for frame in (8, 24):
        video.seek(frame)
        assert tools.brush(video.document, [(80, 60), (90, 60)], 6)
    video.seek(0)
    qtbot.waitUntil(lambda: video.shown_index == 0, timeout=5000)
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    _key(qtbot, window, Qt.Key.Key_Right, 5, ctrl)
    _key(qtbot, window, Qt.Key.Key_Right, 20, ctrl)
    _key(qtbot, window, Qt.Key.Key_Right, 20, ctrl)  # none after the last: it stays, and says so
    assert "keyframe" in window.statusBar().currentMessage()
    _key(qtbot, window, Qt.Key.Key_Left, 8, shift)
    _key(qtbot, window, Qt.Key.Key_Right, 24, shift)
    _key(qtbot, window, Qt.Key.Key_Left, 20, ctrl)
    _key(qtbot, window, Qt.Key.Key_Left, 5, ctrl)


def test_the_keyframe_list_goes_to_the_keyframe_chosen_with_the_keys(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(show=True)
    _open(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=30), tmp_path)
    video = window.video
    for frame in (5, 12, 20):
        video.annotations.set_keyframe(frame)  # type: ignore[union-attr]
    keyframes = video.panel.keyframe_list
    keyframes.setFocus()
    keyframes.setCurrentRow(0)
    qtbot.waitUntil(lambda: video.shown_index == 5, timeout=5000)
    _key(qtbot, window, Qt.Key.Key_Down, 12)  # as a click on the row does
    _key(qtbot, window, Qt.Key.Key_Down, 20)
    video.annotations.set_keyframe(25)  # type: ignore[union-attr]  # the list is filled again: no jump
    qtbot.wait(100)
    assert video.index == 20
