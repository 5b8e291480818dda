"""The model's two runs had three names: the Analysis menu's "Run on All Images", the Model panel's button
"Run on all" and its status lines "Run on All …" (the button "Run on this image" beside the menu's "Run on
This Image"). The words a user reads now name each run as its menu action does: "Run on This Image", "Run on
All Images" (the shortcuts unchanged); the panel's two buttons say the same words in sentence case, as every
button of the app does ("Use this model", "New run": test_button_words_sentence_case), menus in title case."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: a run named otherwise than its menu action ("Run on All Again" is an action of its own, Annotate's)
OTHER_NAME = re.compile(r"Run\s+on\s+(?:[Aa]ll(?!\s+Images|\s+Again|\s+A&gain)|[Tt]his\s+image|all\s+images)")
#: the Model panel's buttons: the menu actions' words in sentence case, the one place they are not title case,
#: and Help ▸ Getting Started, which tells the user to press those buttons by what they say (f73e8f98)
BUTTON_WORDS = {"Run on this image", "Run on all images"}
BUTTONS_MODULES = {Path("app") / "analysis" / "model_panel.py", Path("app") / "help_menu.py"}


def _user_strings(path: Path) -> list[str]:
    """The string literals of a module (f-strings' text included), its docstrings and other bare strings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bare = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in bare]


def _without_buttons(path: Path, text: str) -> str:
    """`text` with the buttons' words taken out where they may stand (the panel, Getting Started), wrapped or not."""
    if path.relative_to(ROOT) not in BUTTONS_MODULES:
        return text
    text = " ".join(text.split())
    for words in BUTTON_WORDS:
        text = text.replace(words, "")
    return text


def test_the_app_names_each_run_as_its_menu_action() -> None:
    found = [f"{path.relative_to(ROOT)}: {match.group(0)!r}" for path in sorted((ROOT / "app").rglob("*.py"))
             for text in _user_strings(path) for match in OTHER_NAME.finditer(_without_buttons(path, text))]
    assert not found


def test_the_readme_names_each_run_as_its_menu_action() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert not [match.group(0) for match in OTHER_NAME.finditer(text)]


def test_the_menu_actions_are_the_names_and_keep_their_keys() -> None:
    source = (ROOT / "app" / "analysis" / "chrome.py").read_text(encoding="utf-8")
    assert '"&Run on This Image", "Ctrl+R"' in source
    assert '"Run on &All Images", "Ctrl+Shift+R"' in source


def test_the_panel_buttons_say_the_menu_words_in_sentence_case(qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.analysis.model_panel import ModelPanel
    from fosp_core.analysis.settings import AnalysisSettings

    panel = ModelPanel(AnalysisSettings(checkpoint=None), [("auto", "Automatic"), ("cpu", "CPU")])
    qtbot.addWidget(panel)
    assert panel.run_button.text() == "Run on this image"  # the menu's "Run on This Image"
    assert panel.run_all_button.text() == "Run on all images"  # the menu's "Run on All Images"
