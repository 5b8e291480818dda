"""Every menu path README.md and docs/*.md name ("Annotate ▸ Export to SmokeSeg…", "Analysis ▸ Layers",
"File ▸ Open Recent") is in the window's menus: each step a menu or an action of the step before, the
text after the last ▸ starting with that action's words. docs/benchmarks-gui.md said "File ▸ Export"
twice, a menu item the app never had. One hidden window."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QMenu

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MENU = re.compile(r"\b(File|View|Go|Annotate|Analysis|Help) ▸ ")


def _words(text: str) -> str:
    """An action's or a menu's text as a page writes it: no & mnemonic, no trailing … or '...'."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").removesuffix("…").removesuffix("...")


def menu_tree(menu: QMenu) -> dict[str, dict | None]:
    """{text: sub-tree for a submenu, None for an action} of `menu`, separators left out."""
    tree: dict[str, dict | None] = {}
    for action in menu.actions():
        if action.isSeparator():
            continue
        sub = action.menu()
        tree[_words(action.text())] = menu_tree(sub) if isinstance(sub, QMenu) else None
    return tree


def unknown_paths(text: str, tree: dict[str, dict | None]) -> list[str]:
    """The menu paths of `text` (a path may wrap a line) whose steps are not in `tree`: at each step the
    text must start with an item's words, and goes on past ' ▸ ' only into a submenu; the last step
    may run on into prose ('File ▸ Export now deletes' has to start with an item of File)."""
    text = re.sub(r"\s*\n\s*", " ", text)
    bad = []
    for match in MENU.finditer(text):
        node, pos = tree.get(match.group(1)), match.end()
        while True:
            rest = text[pos:pos + 120]
            found = [k for k in (node or {}) if rest.startswith(k)]
            if not found:
                bad.append(text[match.start():pos + 40].strip())
                break
            item = max(found, key=len)
            pos += len(item)
            for ellipsis in ("…", "..."):
                if text.startswith(ellipsis, pos):
                    pos += len(ellipsis)
            sub = (node or {})[item]
            if sub is None or not text.startswith(" ▸ ", pos):
                break
            node, pos = sub, pos + len(" ▸ ")
    return bad


def test_a_path_the_app_lacks_is_found() -> None:
    tree = {"File": {"Open": None, "Open Recent": {}}, "Annotate": {"Export to SmokeSeg": None}}
    assert unknown_paths("**File ▸ Open…** and Annotate ▸ Export to SmokeSeg… (Ctrl+E)", tree) == []
    assert unknown_paths("File ▸ Open Recent ▸ a.jpg", {"File": {"Open Recent": {"a.jpg": None}}}) == []
    assert unknown_paths("File ▸ Export now deletes the previous one", tree) == ["File ▸ Export now deletes the previous one"]


def test_every_menu_path_of_the_pages_is_in_the_menus(make_window) -> None:  # noqa: ANN001 - fixture
    window = make_window()
    tree = {_words(a.text()): menu_tree(a.menu()) for a in window.menuBar().actions() if isinstance(a.menu(), QMenu)}
    bad = {page.relative_to(ROOT).as_posix(): unknown_paths(page.read_text(encoding="utf-8"), tree) for page in PAGES}
    assert {page: paths for page, paths in bad.items() if paths} == {}
