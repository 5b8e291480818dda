"""A keyboard-only day: the videos of a folder opened. Their links at the right of the status bar were
mouse-only (no Tab reached them, Enter opened nothing) and only the first three were links: the
fourth video on was a "+2" that only a tooltip named. Now Tab reaches the links (the first one
focused, so Enter opens it), "+2 more…" is a link to a menu of every video, and that menu is
File ▸ Open Video from This Folder (Alt+F, V)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from app.main_window import MainWindow

from .conftest import WindowFactory
from .folder_videos_helpers import folder_window, opened_video

_NAMES = ["a.mp4", "b.mp4", "c.mp4", "d.mp4", "e.mp4"]


def _window(qtbot, make_window: WindowFactory, tmp_path: Path, videos: list[str]) -> MainWindow:  # noqa: ANN001
    window = folder_window(qtbot, make_window, tmp_path, videos)
    window.canvas.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.canvas)
    return window


def _press(key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key typed where the keyboard focus is (the open menu, if one is)."""
    QTest.keyClick(QApplication.activePopupWidget() or QApplication.focusWidget(), key, modifiers)


def _tab_to_the_links(window: MainWindow) -> None:
    links = window.opener.folder_videos
    for _ in range(40):
        _press(Qt.Key.Key_Tab)
        if QApplication.focusWidget() is links:
            return
    raise AssertionError(f"Tab never reached the video links (focus: {QApplication.focusWidget()})")


def test_tab_reaches_the_links_and_enter_opens_the_one_focused(qtbot, make_window: WindowFactory,
                                                               tmp_path: Path) -> None:
    window = _window(qtbot, make_window, tmp_path, ["a.mp4", "b.mp4"])
    _tab_to_the_links(window)
    _press(Qt.Key.Key_Tab)  # the next link
    assert QApplication.focusWidget() is window.opener.folder_videos
    _press(Qt.Key.Key_Return)
    assert opened_video(qtbot, window) == "b.mp4"


def test_more_link_lists_every_video(qtbot, make_window: WindowFactory, tmp_path: Path) -> None:
    window = _window(qtbot, make_window, tmp_path, _NAMES)
    links = window.opener.folder_videos
    assert "+2 more…" in links.text()
    _tab_to_the_links(window)
    for _ in range(3):  # a.mp4 (focused on the way in) -> b -> c -> "+2 more…"
        _press(Qt.Key.Key_Tab)
    _press(Qt.Key.Key_Return)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    assert [a.text() for a in menu.actions()] == _NAMES
    for _ in range(3):
        _press(Qt.Key.Key_Down)
    _press(Qt.Key.Key_Return)
    assert opened_video(qtbot, window) == "d.mp4"


def test_the_file_menu_opens_any_video_of_the_folder(qtbot, make_window: WindowFactory, tmp_path: Path) -> None:
    window = _window(qtbot, make_window, tmp_path, _NAMES)
    _press(Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    _press(Qt.Key.Key_V)
    qtbot.waitUntil(lambda: [a.text() for a in QApplication.activePopupWidget().actions()] == _NAMES)
    for _ in range(4):  # from the first entry, highlighted as the submenu opens
        _press(Qt.Key.Key_Down)
    _press(Qt.Key.Key_Return)
    assert opened_video(qtbot, window) == "e.mp4"


def test_the_menu_is_off_without_videos(qtbot, make_window: WindowFactory, tmp_path: Path) -> None:
    window = _window(qtbot, make_window, tmp_path, [])
    [entry] = [a for a in window.menuBar().actions()[0].menu().actions() if "from This Folder" in a.text()]
    assert not entry.isEnabled() and entry.menu().actions() == []
    assert window.opener.folder_videos.isHidden()
