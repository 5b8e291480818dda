"""The README's keys are the app's: its Keyboard shortcuts table holds the annotation registry's
default keys (`app.annotation.shortcuts.DEFAULT_SHORTCUTS`), and every key its prose names in bold
or in parentheses is in that table (tests/gui/test_readme_shortcuts.py checks the table against the
in-app sheet row by row). Text only: well under 1 s."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
#: Registry keys (QKeySequence's portable names) that the in-app sheet, and so the README's table, shows
#: in Qt's own short form (QKeySequence.toString: "Delete" reads "Del").
SHOWN_AS = {"Delete": "Del"}
KEY = r"(?:(?:Ctrl|Shift|Alt)\+)*(?:[A-Z]|F\d{1,2}|Space|Up|Down|Left|Right|←/→)"


def readme_shortcut_table(text: str) -> list[tuple[str, str, list[str]]]:
    """(menu, action, keys) of each row of the README's "Keyboard shortcuts" table."""
    section = text.split("\n## Keyboard shortcuts\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("| menu |"):
            continue
        where, action, keys = (cell.strip() for cell in line.strip().strip("|").split(" | "))
        rows.append((where, action, re.findall(r"`([^`]+)`", keys)))
    return rows


def prose_keys(text: str) -> set[str]:
    """Keys the README's prose names: **B**, **Ctrl+←/→**, **Alt+Up / Alt+Down**, (Ctrl+Shift+T)."""
    text = text.split("\n## Keyboard shortcuts\n", 1)[0] + text.split("\n## Keyboard shortcuts\n", 1)[1].split(
        "\n## ", 1)[-1]
    found: set[str] = set()
    for bold in re.findall(r"\*\*([^*\n]{1,30})\*\*", text):
        parts = [p.strip() for p in bold.split(" / ")]
        if all(re.fullmatch(KEY, p) for p in parts):
            found.update(parts)
    found.update(re.findall(rf"\((?:or )?((?:Ctrl|Alt)\+{KEY})[;)]", text))
    keys: set[str] = set()
    for key in found:  # "Ctrl+←/→" names two keys
        keys.update([key.replace("←/→", "Left"), key.replace("←/→", "Right")] if "←/→" in key else [key])
    return keys


def default_shortcuts() -> dict[str, list[str]]:
    """`DEFAULT_SHORTCUTS` read from app/annotation/shortcuts.py's source (importing the app, Qt
    and torch would take seconds)."""
    tree = ast.parse((ROOT / "app" / "annotation" / "shortcuts.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "DEFAULT_SHORTCUTS":
            return ast.literal_eval(node.value)
    raise AssertionError("app/annotation/shortcuts.py has no DEFAULT_SHORTCUTS")


def test_the_table_holds_the_annotation_registrys_default_keys() -> None:
    table = readme_shortcut_table(README.read_text(encoding="utf-8"))
    annotate = Counter(k for where, _, keys in table if where.startswith("Annotate") for k in keys)
    registry = Counter(SHOWN_AS.get(k, k) for keys in default_shortcuts().values() for k in keys)
    assert annotate == registry


def test_every_key_the_prose_names_is_in_the_table() -> None:
    text = README.read_text(encoding="utf-8")
    named = prose_keys(text)
    assert {"B", "F1", "Shift+A", "Ctrl+Left", "Alt+Down", "Ctrl+Shift+T", "Ctrl+E"} <= named  # the parser reads them
    table_keys = {k for _, _, keys in readme_shortcut_table(text) for k in keys}
    assert sorted(named - table_keys) == []


def test_a_key_the_app_lacks_is_found() -> None:
    text = ("**X** does it; **Ctrl+←/→** jumps; (Ctrl+Shift+Q) quits.\n\n## Keyboard shortcuts\n\n"
            "| menu | action | keys |\n|---|---|---|\n| Go | Jump | `Ctrl+Left`, `Ctrl+Right` |\n\n## Layout\n")
    assert readme_shortcut_table(text) == [("Go", "Jump", ["Ctrl+Left", "Ctrl+Right"])]
    assert prose_keys(text) - {"Ctrl+Left", "Ctrl+Right"} == {"X", "Ctrl+Shift+Q"}
