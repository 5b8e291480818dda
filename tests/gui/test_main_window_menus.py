"""Main window: its menus, shortcuts and the keyboard shortcut sheet (Help > Keyboard Shortcuts)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from .conftest import WindowFactory


def test_shortcuts(make_window: WindowFactory) -> None:
    window = make_window()

    def keys(action) -> list[str]:
        return [s.toString() for s in action.shortcuts()]

    assert keys(window.action_open) == ["Ctrl+O"]
    assert keys(window.action_open_folder) == ["Ctrl+Shift+O"]
    assert keys(window.action_fit) == ["F"]
    assert keys(window.action_actual) == ["1"]
    assert keys(window.action_quit) == ["Ctrl+Q"]
    assert {"PgDown", "Right"} <= set(keys(window.action_next))
    assert {"PgUp", "Left"} <= set(keys(window.action_previous))
    assert keys(window.action_filter) == ["Ctrl+F"]
    assert keys(window.action_goto) == ["Ctrl+G"]


def test_help_is_the_last_menu(make_window) -> None:
    window = make_window()
    titles = [a.text() for a in window.menuBar().actions() if a.menu() is not None]
    assert titles[0] == "&File" and titles[-1] == "&Help"
    assert {"&Annotate", "A&nalysis"} <= set(titles)


def test_keyboard_shortcut_sheet_lists_every_menu_and_follows_remapping(qtbot, make_window: WindowFactory) -> None:
    """Help ▸ Keyboard Shortcuts (F1): the keys in force, from every menu, searchable."""
    window = make_window(show=True)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    qtbot.keyClick(window.canvas, Qt.Key.Key_F1)  # as a user with the image focused
    sheet = window.shortcut_sheet
    assert sheet.isVisible()
    rows = {(where, action): keys for where, action, keys in sheet.rows}
    assert rows[("File", "Open")] == "Ctrl+O"
    assert "PgDown" in rows[("Go", "Next Image")]
    assert rows[("Annotate", "Brush")] == "B"
    assert any(where == "Analysis" for where, _ in rows)
    assert ("Video", "Play / Pause") not in rows  # the frame keys: listed while a video is open
    assert rows[("Annotate", "Close Polygon")]  # in no menu: listed under its group
    sheet.filter.setText("brush")
    shown = sheet.visible_actions()
    assert "Brush" in shown and "Open" not in shown
    sheet.filter.setText("")
    assert len(sheet.visible_actions()) == len(sheet.rows)
    # a remapped annotation key shows on the next opening
    window.annotation.shortcuts.set_keys("brush", ["Ctrl+Alt+B"])
    sheet = window.show_shortcuts()
    assert dict(((w, a), k) for w, a, k in sheet.rows)[("Annotate", "Brush")] == "Ctrl+Alt+B"
    sheet.close()
