"""Esc cancels an open under way (images or a video, `app.esc_cancel`): the video panel's Cancel
says so in its tooltip, and Help ▸ Keyboard Shortcuts says so in the one row of the key (Cancel /
Navigate's)."""

from __future__ import annotations

from app.shortcut_sheet import ShortcutSheet
from app.video.panel import VideoPanel


def test_the_video_panel_s_cancel_names_esc(qtbot) -> None:  # noqa: ANN001 - fixture
    panel = VideoPanel()
    qtbot.addWidget(panel)
    assert panel.opening_cancel.toolTip() == "Cancel opening (Esc)"


def test_the_shortcut_sheet_lists_esc_as_cancel_opening(qtbot, make_window) -> None:  # noqa: ANN001 - fixtures
    window = make_window()
    sheet = ShortcutSheet(window)
    qtbot.addWidget(sheet)

    [esc] = [row for row in sheet.rows if row[2] == "Esc"]  # the key listed once
    assert esc == ("Annotate", "Cancel / Navigate (or Cancel Opening, while opening)", "Esc")
    sheet.filter.setText("esc")
    assert esc[1] in sheet.visible_actions()
