"""A keyboard-only day, the focus: Tab and Shift+Tab go round the whole window and come back to the
canvas, in image mode and in video mode, and Tab reaches the buttons of the shortcut sheet. A table
that moves its current cell with Tab (Qt's default for a QTableWidget) kept the focus for ever: the
Model dock's metrics table took Tab from the canvas (Shift+Tab, its first press) and gave it to no
one, and the shortcut sheet's table did the same between its filter and its Close button."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.main_window import MainWindow
from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import demo_window

_ROUND = 80  # more stops than the window has


def _name(widget: QWidget | None) -> str:
    parts = []
    while widget is not None and len(parts) < 3:
        parts.append(widget.objectName() or type(widget).__name__)
        widget = widget.parentWidget()
    return "/".join(reversed(parts))


def _round_trip(qtbot, window: MainWindow, key: Qt.Key) -> list[str]:  # noqa: ANN001
    """Press `key` from the canvas until the focus is back on it; the widgets passed on the way."""
    window.activateWindow()
    window.canvas.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.canvas)
    passed = []
    for _ in range(_ROUND):
        QTest.keyClick(QApplication.focusWidget(), key)
        if QApplication.focusWidget() is window.canvas:
            return passed
        passed.append(_name(QApplication.focusWidget()))
    raise AssertionError(f"{key.name} never came back to the canvas; the last stops: {passed[-5:]}")


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    return demo_window(qtbot, make_window, demo_dir, tmp_path)


@pytest.mark.parametrize("key", [Qt.Key.Key_Tab, Qt.Key.Key_Backtab], ids=["Tab", "Shift+Tab"])
def test_tab_goes_round_the_window_back_to_the_canvas(qtbot, window: MainWindow, key: Qt.Key) -> None:
    passed = _round_trip(qtbot, window, key)
    assert any("MetricsBox" in name for name in passed)  # the Model dock's table is on the way, not a dead end


@pytest.mark.parametrize("key", [Qt.Key.Key_Tab, Qt.Key.Key_Backtab], ids=["Tab", "Shift+Tab"])
def test_tab_goes_round_the_window_in_video_mode(qtbot, window: MainWindow, tmp_path: Path, key: Qt.Key) -> None:
    window.video.state_root = tmp_path / "video-state"
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.open_paths([write_clip(tmp_path / "clip.mp4", frames=6)], remember=False)
    _round_trip(qtbot, window, key)


def test_tab_reaches_the_shortcut_sheet_close_button(qtbot, window: MainWindow) -> None:
    sheet = window.show_shortcuts()
    sheet.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is sheet.filter)
    seen = []
    for _ in range(6):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert any(getattr(w, "text", lambda: "")() == "Close" for w in seen), [_name(w) for w in seen]
    assert sheet.filter in seen  # and round again
