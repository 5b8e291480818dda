"""Helpers for the keyboard-only-day tests (tests/gui/test_keyboard_day_*.py): the demo images in a shown,
active window with its video state under the test's temporary folder, and a short clip opened over them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.main_window import MainWindow
from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import demo_window

from .conftest import WindowFactory


def day_window(qtbot, make_window: WindowFactory, demo_dir: Path,  # noqa: ANN001
               tmp_path: Path) -> MainWindow:
    """The demo images open in a shown window (tests.gui.annotation_helpers.demo_window), its video state
    under ``tmp_path/video-state``, the window active so that the keys go to it."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    window.video.state_root = tmp_path / "video-state"
    window.activateWindow()
    return window


def open_clip(qtbot, window: MainWindow, tmp_path: Path) -> None:  # noqa: ANN001
    """Opens a 12-frame ``tmp_path/clip.mp4`` in `window`; returns once its first frame is shown."""
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.open_paths([write_clip(tmp_path / "clip.mp4", frames=12)], remember=False)
    assert window.video.active


def middle_image_window(qtbot, make_window: WindowFactory, demo_dir: Path,  # noqa: ANN001
                        tmp_path: Path) -> MainWindow:
    """A `day_window`, active, on its second image (Next and Previous Image both on), its document in."""
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.session.set_current(1)
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None and controller.image_path == window.session.current_path,
                    timeout=10_000)
    return window
