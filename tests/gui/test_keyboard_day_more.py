"""A keyboard-only day, what the sweeps left (tests/gui/test_keyboard_day_*.py, test_esc_keys_back.py):

- Help ▸ Keyboard Shortcuts, while a video was open, listed Next/Previous Image (off in video mode) on
  Right/Left, the frame keys; Esc was listed twice (Cancel / Navigate, and Cancel Opening); and the sheet
  was read from the window once, as it opened: a video opened with the sheet up left the image's keys
  in it.
- The sheet told whether a stand-in shortcut took an action's keys by splitting the key text on ", ",
  so a chord ("Ctrl+K, Ctrl+S") was taken for two keys.
- Esc in the status bar's video links kept the focus there (and ran the window's Cancel / Navigate).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow

from app.esc_keys_back import EscKeysBack
from app.main_window import MainWindow
from app.shortcut_sheet import GROUP_PROPERTY, TEXT_PROPERTY, hidden_rows, shortcut_rows
from fosp_core.annotation.tool_state import Tool

from .conftest import WindowFactory
from .folder_videos_helpers import folder_window
from .keyboard_day_helpers import day_window, open_clip


@pytest.fixture()
def window(qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    return day_window(qtbot, make_window, demo_dir, tmp_path)


def _keys(rows: list[tuple[str, str, str]]) -> list[QKeySequence]:
    """Every key sequence of `rows` (a row's keys are whole sequences joined by ", ")."""
    return [QKeySequence(k) for _where, _text, keys in rows for k in keys.split(", ")]


# --- the shortcut sheet in video mode ---------------------------------------------------------------

def test_the_sheet_leaves_out_the_image_steps_with_a_video(qtbot, window: MainWindow, tmp_path: Path) -> None:  # noqa: ANN001
    assert {"Next Image", "Previous Image"} <= {text for _where, text, _keys in shortcut_rows(window)}
    open_clip(qtbot, window, tmp_path)
    rows = shortcut_rows(window)
    listed = {text for _where, text, _keys in rows}
    assert not {"Next Image", "Previous Image"} & listed
    assert {"Next Frame", "Previous Frame"} <= listed
    keys = _keys(rows)
    for key in ("Right", "Left"):
        assert keys.count(QKeySequence(key)) == 1, key  # the frame step's, alone
    assert {"Next Image", "Previous Image"} <= {text for _where, text, _keys in hidden_rows(window)}


def test_esc_is_listed_once_saying_both_what_it_does(qtbot, window: MainWindow, tmp_path: Path) -> None:  # noqa: ANN001
    for mode in ("image", "video"):
        if mode == "video":
            open_clip(qtbot, window, tmp_path)
        rows = [row for row in shortcut_rows(window) if QKeySequence("Esc") in _keys([row])]
        assert len(rows) == 1, rows
        assert "Cancel / Navigate" in rows[0][1] and "Cancel Opening" in rows[0][1]


def test_the_open_sheet_follows_a_video_opened_meanwhile(qtbot, window: MainWindow, tmp_path: Path) -> None:  # noqa: ANN001
    sheet = window.show_shortcuts()
    assert "Run on This Image" in sheet.visible_actions() and "Next Frame" not in sheet.visible_actions()
    sheet.filter.setText("next")
    open_clip(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: "Next Image" not in sheet.visible_actions())
    shown = sheet.visible_actions()
    assert "Next Frame" in shown and all("next" in " ".join(row).lower() for row in sheet.rows
                                         if row[1] in shown)  # the filter is kept
    sheet.filter.setText("")
    assert "Predict Whole Video" in sheet.visible_actions() and "Run on This Image" not in sheet.visible_actions()
    assert "image" in sheet.note.text() and "Next Image" in sheet.note.text()


def test_a_remapped_key_shows_in_the_open_sheet(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    sheet = window.show_shortcuts()
    builds = sheet.builds
    window.annotation.shortcuts.set_keys(Tool.BRUSH.value, ["Q"])
    qtbot.waitUntil(lambda: sheet.builds > builds)
    [row] = [row for row in sheet.rows if row[1] == window.annotation.actions.tools[Tool.BRUSH].text().replace("&", "")]
    assert row[2] == "Q"
    assert sheet.builds == builds + 1  # once for the change, not once per signal


# --- keys compared as key sequences -----------------------------------------------------------------

def _bare(qtbot, action_keys: str, stand_in: list[str]) -> QMainWindow:  # noqa: ANN001
    """A window with an action "Keep" on `action_keys` and a named stand-in QShortcut on `stand_in`."""
    window = QMainWindow()
    qtbot.addWidget(window)
    action = QAction("Keep", window)
    action.setShortcut(QKeySequence(action_keys))
    window.addAction(action)
    shortcut = QShortcut(window)
    shortcut.setKeys([QKeySequence(k) for k in stand_in])
    shortcut.setProperty(TEXT_PROPERTY, "Stand-in")
    shortcut.setProperty(GROUP_PROPERTY, "Video")
    return window


@pytest.mark.parametrize(("action_keys", "stand_in", "kept"), [
    ("Ctrl+K", ["Ctrl+K, Ctrl+S"], True),  # a chord takes no key of its own
    ("Ctrl+K, Ctrl+S", ["Ctrl+K", "Ctrl+S"], True),  # two keys take no chord
    ("Ctrl+K, Ctrl+S", ["Ctrl+K, Ctrl+S"], False),  # the same chord is taken
])
def test_a_stand_in_takes_only_its_own_key_sequences(qtbot, action_keys: str, stand_in: list[str],  # noqa: ANN001
                                                     kept: bool) -> None:
    window = _bare(qtbot, action_keys, stand_in)
    listed = [text for _where, text, _keys in shortcut_rows(window)]
    assert ("Keep" in listed) is kept
    assert "Stand-in" in listed


# --- Esc in the status bar ----------------------------------------------------------------------------

def test_esc_in_the_video_links_gives_the_keys_to_the_canvas(qtbot, make_window: WindowFactory,  # noqa: ANN001
                                                            tmp_path: Path) -> None:
    window = folder_window(qtbot, make_window, tmp_path, ["a.mp4", "b.mp4"])
    links = window.opener.folder_videos
    links.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is links)
    tool = window.annotation.controller.state.tool
    window.annotation.controller.state.set_tool(Tool.BRUSH)
    QTest.keyClick(links, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.canvas
    assert window.annotation.controller.state.tool is Tool.BRUSH  # the window's Esc (Navigate) is not run
    assert not window.video.active  # nor a video opened
    window.annotation.controller.state.set_tool(tool)


# --- one Esc rule for every number box ------------------------------------------------------------------

def test_every_number_box_has_the_one_esc_rule(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    """The brush radius, the Model panel's thresholds and the video's frame and smoothing boxes each
    hand Esc to one :class:`EscKeysBack` (it was written three times: in the two docks' event filters)."""
    panel = window.analysis.panel
    boxes = [window.annotation.tool_dock.radius, panel.threshold.spin, panel.tau.spin,
             window.video.timeline.frame_box, window.video.panel.smoothing_radius]
    assert [len(box.findChildren(EscKeysBack)) for box in boxes] == [1] * len(boxes)
