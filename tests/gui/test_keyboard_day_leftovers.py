"""A keyboard-only day, what the sweep left (tests/gui/test_keyboard_day_*.py):

- Esc in a dock's list, drop-down, slider, button or table kept the focus there (the number boxes alone
  gave it back to the canvas), so the tool keys and the frame keys went on going to the list; now Esc
  from any widget of a dock gives the keys back to the canvas, once what it is in the middle of (an open
  drop-down) is closed.
- A video opened from the folder's links left the focus on the links (Enter opened it again); it goes to
  the canvas, as when the video is opened from the menu.
- Help ▸ Keyboard Shortcuts listed, while a video was open, the image analysis keys (layers, Run...)
  that are hidden and do nothing then.
- No key is bound twice where both bindings are on: QActions and QShortcuts together (a standing
  check; the sweep made it once by hand).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QDockWidget, QListWidget, QWidget

from app.main_window import MainWindow
from app.shortcut_sheet import ShortcutSheet, shortcut_rows
from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import drag
from tests.gui.key_clashes import key_clashes

from .conftest import WindowFactory
from .folder_videos_helpers import folder_window, opened_video
from .keyboard_day_helpers import day_window, open_clip


@pytest.fixture()
def window(qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    return day_window(qtbot, make_window, demo_dir, tmp_path)


def _focusable(window: MainWindow) -> list[QWidget]:
    """Every widget of the window's shown docks that takes the keyboard focus."""
    out = []
    for dock in window.findChildren(QDockWidget):
        if dock.isVisible():
            out += [w for w in dock.findChildren(QWidget) if w.isVisible() and w.isEnabled()
                    and w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.focusProxy() is None]
    return out


def _name(widget: QWidget) -> str:
    dock = widget
    while dock is not None and not isinstance(dock, QDockWidget):
        dock = dock.parentWidget()
    return f"{dock.windowTitle() if dock else '?'}: {type(widget).__name__} {widget.objectName()}"


def _keys_kept_after_esc(qtbot, window: MainWindow) -> list[str]:  # noqa: ANN001
    kept = []
    widgets = _focusable(window)
    assert len(widgets) > 10
    for widget in widgets:
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(lambda w=widget: QApplication.focusWidget() is w)
        QTest.keyClick(widget, Qt.Key.Key_Escape)
        if QApplication.focusWidget() is not window.canvas:
            kept.append(_name(widget))
    return kept


def test_esc_in_any_dock_widget_gives_the_keys_back_in_image_mode(qtbot, window: MainWindow) -> None:
    assert _keys_kept_after_esc(qtbot, window) == []


def test_esc_in_any_dock_widget_gives_the_keys_back_in_video_mode(qtbot, window: MainWindow, tmp_path: Path) -> None:
    open_clip(qtbot, window, tmp_path)
    assert _keys_kept_after_esc(qtbot, window) == []
    frame = window.video.index
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Period)  # the frame keys act on the frame again
    qtbot.waitUntil(lambda: window.video.index == frame + 1)


def test_esc_in_a_list_does_not_also_run_the_window_s_esc(qtbot, window: MainWindow) -> None:
    """As in the number boxes: the first Esc only gives the keys back (the tool stays); the next one,
    on the canvas, is the window's (Cancel / Navigate)."""
    state = window.annotation.controller.state
    state.set_tool(Tool.BRUSH)
    window.image_list.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.image_list)
    QTest.keyClick(window.image_list, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.canvas and state.tool is Tool.BRUSH
    QTest.keyClick(window.canvas, Qt.Key.Key_Escape)
    assert state.tool is Tool.NAVIGATE


def test_esc_closes_an_open_drop_down_first(qtbot, window: MainWindow) -> None:
    dock = window.findChild(QDockWidget, "worklist_dock")
    combo = dock.findChildren(QComboBox)[0]
    combo.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is combo)
    QTest.keyClick(combo, Qt.Key.Key_F4)  # the drop-down opens
    qtbot.waitUntil(lambda: combo.view().isVisible())
    QTest.keyClick(QApplication.activePopupWidget() or combo.view(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not combo.view().isVisible())
    assert QApplication.focusWidget() is combo  # the drop-down closed, the keys still there
    QTest.keyClick(combo, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.canvas


def test_esc_in_a_floating_dock_gives_the_keys_back(qtbot, window: MainWindow) -> None:
    dock = window.findChild(QDockWidget, "analysis_layers_dock")
    dock.setFloating(True)  # a window of its own
    qtbot.waitUntil(dock.isVisible)
    layers = dock.findChild(QListWidget)
    dock.activateWindow()
    layers.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is layers)
    QTest.keyClick(layers, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.canvas)


# --- the folder's video links ----------------------------------------------------------------------

def _folder_window(qtbot, make_window: WindowFactory, tmp_path: Path, videos: list[str]) -> MainWindow:  # noqa: ANN001
    window = folder_window(qtbot, make_window, tmp_path, videos)
    links = window.opener.folder_videos
    links.setFocus(Qt.FocusReason.TabFocusReason)  # the first link focused, as Tab leaves it
    qtbot.waitUntil(lambda: QApplication.focusWidget() is links)
    return window


def test_a_video_opened_from_its_link_gives_the_keys_to_the_canvas(qtbot, make_window: WindowFactory,
                                                                   tmp_path: Path) -> None:
    window = _folder_window(qtbot, make_window, tmp_path, ["a.mp4", "b.mp4"])
    QTest.keyClick(window.opener.folder_videos, Qt.Key.Key_Return)
    assert opened_video(qtbot, window) == "a.mp4"
    assert QApplication.focusWidget() is window.canvas and window.focusWidget() is window.canvas
    frame = window.video.index
    QTest.keyClick(window.canvas, Qt.Key.Key_Period)
    qtbot.waitUntil(lambda: window.video.index == frame + 1)


def test_a_video_chosen_in_the_more_menu_gives_the_keys_to_the_canvas(qtbot, make_window: WindowFactory,
                                                                      tmp_path: Path) -> None:
    window = _folder_window(qtbot, make_window, tmp_path, ["a.mp4", "b.mp4", "c.mp4", "d.mp4", "e.mp4"])
    links = window.opener.folder_videos
    for _ in range(3):  # a.mp4 -> b -> c -> "+2 more…"
        QTest.keyClick(links, Qt.Key.Key_Tab)
    QTest.keyClick(links, Qt.Key.Key_Return)
    menu = QApplication.activePopupWidget()
    assert menu is links.menu
    QTest.keyClick(menu, Qt.Key.Key_Down)
    QTest.keyClick(menu, Qt.Key.Key_Return)
    assert opened_video(qtbot, window) == "b.mp4"
    assert window.focusWidget() is window.canvas  # (offscreen, the closed menu stays the active window)


# --- the shortcut sheet ---------------------------------------------------------------------------

_IMAGE_ONLY = {"probability", "Run on This Image", "Export View"}


def test_the_shortcut_sheet_lists_only_the_keys_that_apply_with_a_video(qtbot, window: MainWindow,
                                                                        tmp_path: Path) -> None:
    listed = {text for _where, text, _keys in shortcut_rows(window)}
    assert _IMAGE_ONLY <= listed  # an image: its analysis keys are listed
    assert "Predict Whole Video" not in listed
    open_clip(qtbot, window, tmp_path)
    rows = shortcut_rows(window)
    listed = {text for _where, text, _keys in rows}
    assert not _IMAGE_ONLY & listed
    assert {"Next Frame", "Toggle Keyframe", "Fit to Window"} <= listed
    assert any("Cancel Opening" in text for text in listed)  # said in Esc's row
    # the keys the video gave another meaning are listed with it
    assert ("Video", "Predict Whole Video", "Ctrl+Shift+R") in rows and ("Video", "Export Frames", "Ctrl+E") in rows
    assert "Run on All Images" not in listed and "Export to SmokeSeg" not in listed
    sheet = ShortcutSheet(window)
    qtbot.addWidget(sheet)
    assert "image" in sheet.note.text() and sheet.note.isVisibleTo(sheet)  # says what is left out


# --- no key bound twice -----------------------------------------------------------------------------

def test_no_key_is_bound_twice_in_image_or_video_mode(qtbot, window: MainWindow, tmp_path: Path) -> None:
    controller = window.annotation.controller
    assert key_clashes(window) == []
    controller.state.set_tool(Tool.BRUSH)
    drag(window, [(100, 100), (140, 120)])  # a stroke: something to undo
    controller.state.set_tool(Tool.POLYGON_FILL)  # Return/Enter close a polygon
    assert window.annotation.actions.undo.isEnabled() and window.annotation.actions.close_polygon.isEnabled()
    assert key_clashes(window) == []
    open_clip(qtbot, window, tmp_path)
    assert key_clashes(window) == []


def test_the_check_fails_on_a_key_bound_twice(qtbot, window: MainWindow) -> None:
    brush = window.annotation.actions.tools[Tool.BRUSH].shortcuts()[0]
    shortcut = QShortcut(brush, window)  # a QShortcut on an action's key
    assert [k for k, _owners in key_clashes(window)] == [brush.toString()]
    shortcut.setEnabled(False)  # off: no clash
    assert key_clashes(window) == []
    action = QAction("Twice", window)
    action.setShortcut(QKeySequence("Ctrl+O"))  # an action on another action's key
    window.addAction(action)
    assert [k for k, _owners in key_clashes(window)] == ["Ctrl+O"]
    action.setVisible(False)  # hidden: its keys do nothing
    assert key_clashes(window) == []
    other = QWidget(window)
    QShortcut(QKeySequence("Ctrl+O"), other).setContext(Qt.ShortcutContext.WidgetShortcut)
    assert [k for k, _owners in key_clashes(window)] == ["Ctrl+O"]  # clashes while that widget has the focus
