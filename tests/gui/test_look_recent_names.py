"""File ▸ Open Recent listed each path by its name alone: two datasets opened from different places,
both called "demo" (or two days' "JPEGImages"), were two identical entries, and only a tooltip (which
menus do not show) told them apart. An entry whose name another entry shares now says the folder it
is in as well; a name no other entry has stays alone. An "&" in a name is shown, not taken for an
Alt key (the menu showed "R&D flights" as "RD flights" with D underlined)."""

from __future__ import annotations

from pathlib import Path


def test_entries_with_one_name_say_their_folder(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    first, second, other = tmp_path / "site-a" / "demo", tmp_path / "site-b" / "demo", tmp_path / "clips"
    for folder in (first, second, other):
        folder.mkdir(parents=True)
    for folder in (other, second, first):
        window.recent.add(folder)
    window.rebuild_recent_menu()
    texts = [a.text() for a in window.recent_menu.actions() if a.data()]
    assert len(set(texts)) == 3, texts
    assert texts[0].startswith("demo") and "site-a" in texts[0]
    assert texts[1].startswith("demo") and "site-b" in texts[1]
    assert texts[2] == "clips"


def test_an_ampersand_in_a_name_is_shown_not_taken_for_a_key(qtbot, make_window, tmp_path: Path) -> None:
    from PySide6.QtGui import QKeySequence

    window = make_window()
    folder = tmp_path / "R&D flights"
    folder.mkdir()
    window.recent.add(folder)
    window.rebuild_recent_menu()
    [entry] = [a for a in window.recent_menu.actions() if a.data()]
    assert QKeySequence.mnemonic(entry.text()).isEmpty()  # was Alt+D, and the menu showed "RD flights"
    assert entry.text().replace("&&", "&") == "R&D flights"
