"""The keys docs/*.md name are the app's: each key in bold (**R**, **Ctrl+←/→**), in parentheses
("(Ctrl+Shift+T)") or written as a modifier combination (Shift+A, Alt+Up) is in the README's Keyboard
shortcuts table, which tests/gui/test_readme_shortcuts.py holds to the in-app sheet row by row and
tests/unit/test_readme_shortcuts.py checks for the README's own prose. Ctrl+C in a terminal is the
shell's, not the app's. Text only: well under 1 s."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.unit.test_readme_shortcuts import KEY, README, prose_keys, readme_shortcut_table

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted((ROOT / "docs").glob("*.md"))
COMBO = re.compile(r"(?<![\w+-])((?:(?:Ctrl|Alt|Shift)\+)+(?:[A-Z](?![\w-])|F\d{1,2}\b|Up\b|Down\b|Left\b|Right\b|"
                   r"PgUp\b|PgDown\b|Space\b|Home\b|End\b|Backspace\b|Delete\b|Del\b|Esc\b|←/→|\.|/))")
#: Keys of a terminal, not of the window: a page may name them ("stop it with Ctrl+C").
TERMINAL = {"Ctrl+C"}
#: How a page may write a key that the table writes otherwise.
SPELLED = {"Delete": "Del", "Escape": "Esc"}


def page_keys(text: str) -> set[str]:
    """Every key `text` names: bold, in parentheses (as the README's prose is read) or as a combination."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    keys = prose_keys("\n## Keyboard shortcuts\n\n## after\n" + text)
    for combo in COMBO.findall(text):
        keys.update([combo.replace("←/→", "Left"), combo.replace("←/→", "Right")] if "←/→" in combo else [combo])
    return {SPELLED.get(k, k) for k in keys}


def unknown_keys(text: str, table: set[str]) -> list[str]:
    return sorted(k for k in page_keys(text) if k not in table and k not in TERMINAL)


def test_a_key_the_app_lacks_is_found() -> None:
    table = {"R", "Shift+A", "Ctrl+Shift+T", "Ctrl+Left", "Ctrl+Right", "Alt+Up"}
    text = ("**R** marks, Shift+A accepts (Ctrl+Shift+T); **Ctrl+←/→** step; Ctrl+C stops the terminal run; "
            "**Q** and Shift+X and (Ctrl+Shift+Y) and Alt+Down are not keys here\n")
    assert unknown_keys(text, table) == ["Alt+Down", "Ctrl+Shift+Y", "Q", "Shift+X"]
    assert re.fullmatch(KEY, "Ctrl+Shift+T")


@pytest.mark.parametrize("page", DOCS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_key_a_page_names_is_in_the_shortcut_table(page: Path) -> None:
    table = {key for _where, _action, keys in readme_shortcut_table(README.read_text(encoding="utf-8")) for key in keys}
    assert unknown_keys(page.read_text(encoding="utf-8"), table) == []
