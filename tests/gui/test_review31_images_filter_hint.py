"""The Images list's note when its name filter matches nothing said 'Clear the filter (Esc) to list every
one.' Esc clears the filter in its box only, and Enter (or Esc) there hands the keys back to the window
first: a user who read the note there pressed Esc on the canvas and the filter stayed. The note says the
keys that clear it from anywhere (Ctrl+F, then Esc); following it lists every image again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.gui.test_look2_images_empty_note import _images


def test_the_filter_hint_is_keys_that_clear_it(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths(_images(tmp_path / "imgs"), remember=False, background=False)
    qtbot.waitUntil(lambda: len(window.session) == 2)
    panel = window.images_panel
    panel.focus_filter()
    QTest.keyClicks(panel.filter_edit, "zzz")
    QTest.keyClick(panel.filter_edit, Qt.Key.Key_Return)  # filtered; the keys go back to the window
    qtbot.waitUntil(lambda: window.session.filter == "zzz")
    assert not panel.filter_edit.hasFocus()
    text = panel.empty_note.text()
    assert "Ctrl+F, then Esc" in text, text
    assert window.action_filter.shortcut().toString() == "Ctrl+F"
    window.action_filter.trigger()  # Ctrl+F, as the note says (offscreen, the window is not the active one)
    qtbot.waitUntil(lambda: panel.filter_edit.selectedText() == "zzz")
    QTest.keyClick(panel.filter_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.session.filter == "")
    assert not panel.empty_note.isVisible()
