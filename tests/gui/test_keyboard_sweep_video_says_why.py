"""With a video open, the image-only keys say why they do nothing (app.keys_say_why), as Undo's and Export
View's do: Go to Image (Ctrl+G), Filter by Name (Ctrl+F), Next / Previous Unreviewed (N, Shift+N), Mark
Reviewed (R) and Copy Previous Image's Mask (Shift+C) were off and silent there (a keyboard-only sweep
found them). Real key presses on the canvas of the shown window; no key bound twice meanwhile. Go to
Image's Ctrl+G goes to a frame there (tests/gui/test_video_day_jump_keys.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.main_window import MainWindow
from tests.gui.key_clashes import key_clashes

from .conftest import WindowFactory
from .keyboard_day_helpers import day_window, open_clip

_CTRL, _SHIFT, _NONE = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier,
                        Qt.KeyboardModifier.NoModifier)

_KEYS = {  # key: (modifiers, a word the status bar must say)
    Qt.Key.Key_F: (_CTRL, "Filter by Name"),
    Qt.Key.Key_N: (_NONE, "Next Unreviewed"),
    Qt.Key.Key_R: (_NONE, "review status"),
}


@pytest.fixture
def window(qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    window.session.set_current(1)  # Copy Previous Image's Mask has a previous image: on
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None and controller.image_path == window.session.current_path,
                    timeout=10_000)
    open_clip(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def _said(window: MainWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> str:
    window.statusBar().clearMessage()
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, key, modifiers)
    return window.statusBar().currentMessage()


def test_the_image_only_keys_say_why_with_a_video_and_none_is_bound_twice(window: MainWindow) -> None:
    """One shown window with a video for every key (the window, its demo project and the clip were made for
    each of five tests before: ~1 s of setup each in the suite's durations); each key changes nothing."""
    index, mask_status = window.session.current_index, window.annotation.worklist.project is not None
    for key, (modifiers, words) in _KEYS.items():
        said = _said(window, key, modifiers)
        assert words in said and ("video" in said or "frame" in said), (words, said)
        assert window.video.active and window.session.current_index == index, f"{words}: something else happened"
        assert (window.annotation.worklist.project is not None) == mask_status, f"{words}: the mask status changed"
    assert "Previous Unreviewed" in _said(window, Qt.Key.Key_N, _SHIFT)
    said = _said(window, Qt.Key.Key_C, _SHIFT)
    assert "frame" in said and "Carry Mask" in said, said
    # no key bound twice with the stand-ins, in video mode and back in image mode
    assert key_clashes(window) == []
    window.video.leave()  # images again: the image-only actions on, their stand-ins off
    assert window.annotation.actions.next_unreviewed.isEnabled() and window.action_goto.isEnabled()
    assert key_clashes(window) == []
    assert "Previous Unreviewed" not in _said(window, Qt.Key.Key_N, _SHIFT)
