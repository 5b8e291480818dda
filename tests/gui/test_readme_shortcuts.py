"""README == the app: the README's Keyboard shortcuts table is, row for row, what Help ▸ Keyboard
Shortcuts shows in a window with the default settings (menu, action, keys), the keys of the video's
frame actions included where a video shows them (`every_mode`), so a key added, moved or
renamed in the app without the README (or the other way round) fails here. One hidden window."""

from __future__ import annotations

import sys

import pytest

from app.shortcut_sheet import shortcut_rows
from tests.unit.test_readme_shortcuts import README, readme_shortcut_table


@pytest.mark.skipif(sys.platform == "darwin", reason="the sheet shows macOS's key symbols (⌘, ⇧) there")
def test_the_readme_table_is_the_in_app_sheet(make_window) -> None:  # noqa: ANN001 - fixture
    window = make_window()
    sheet = shortcut_rows(window, every_mode=True)
    table = [(where, action, ", ".join(keys)) for where, action, keys in
             readme_shortcut_table(README.read_text(encoding="utf-8"))]
    assert table == sheet
