"""Every entry of the File menu shows an icon: Open…, Open Folder…, Open Recent and Quit had one,
"Open Video from This Folder" and "Open Image Sequence as Video…" none (a gap in the column)."""

from __future__ import annotations

from pathlib import Path


def test_every_file_menu_entry_has_an_icon(make_window, tmp_path: Path) -> None:
    window = make_window()
    menu = window.menuBar().actions()[0].menu()
    assert menu.title() == "&File"
    entries = [a for a in menu.actions() if not a.isSeparator()]
    assert len(entries) >= 6
    assert [a.text() for a in entries if a.icon().isNull()] == []
