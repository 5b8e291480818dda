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
from tests.odd_inputs import good_image, write_video

from .conftest import WindowFactory

_NAMES = ["a.mp4", "b.mp4", "c.mp4", "d.mp4", "e.mp4"]


def _window(qtbot, make_window: WindowFactory, tmp_path: Path, videos: list[str]) -> MainWindow:  # noqa: ANN001
    folder = tmp_path / "day"
    folder.mkdir()
    for i in range(2):
        good_image(folder, f"img_{i}.jpg", seed=i)
    for name in videos:
        write_video(folder / name, 3)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    window.activateWindow()
    window.open_paths([folder], remember=False)
    qtbot.waitUntil(lambda: window.annotation.controller.document is not None)
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


def _opened(qtbot, window: MainWindow) -> str:  # noqa: ANN001
    qtbot.waitUntil(lambda: window.video.active and window.video.reader is not None, timeout=10_000)
    return window.video.reader.meta.path.name


def test_tab_reaches_the_links_and_enter_opens_the_one_focused(qtbot, make_window: WindowFactory,
                                                               tmp_path: Path) -> None:
    window = _window(qtbot, make_window, tmp_path, ["a.mp4", "b.mp4"])
    _tab_to_the_links(window)
    _press(Qt.Key.Key_Tab)  # the next link
    assert QApplication.focusWidget() is window.opener.folder_videos
    _press(Qt.Key.Key_Return)
    assert _opened(qtbot, window) == "b.mp4"


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
    assert _opened(qtbot, window) == "d.mp4"


def test_the_file_menu_opens_any_video_of_the_folder(qtbot, make_window: WindowFactory, tmp_path: Path) -> None:
    window = _window(qtbot, make_window, tmp_path, _NAMES)
    _press(Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    _press(Qt.Key.Key_V)
    qtbot.waitUntil(lambda: [a.text() for a in QApplication.activePopupWidget().actions()] == _NAMES)
    for _ in range(4):  # from the first entry, highlighted as the submenu opens
        _press(Qt.Key.Key_Down)
    _press(Qt.Key.Key_Return)
    assert _opened(qtbot, window) == "e.mp4"


def test_the_menu_is_off_without_videos(qtbot, make_window: WindowFactory, tmp_path: Path) -> None:
    window = _window(qtbot, make_window, tmp_path, [])
    [entry] = [a for a in window.menuBar().actions()[0].menu().actions() if "from This Folder" in a.text()]
    assert not entry.isEnabled() and entry.menu().actions() == []
    assert window.opener.folder_videos.isHidden()
