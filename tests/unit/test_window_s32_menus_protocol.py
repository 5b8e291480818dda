"""The window's menus (app/window_menus.py) named the main window for their type under TYPE_CHECKING while
the main window imported them: a circle, main_window <-> window_menus. They now see the window through
MenuWindow only: no import of the main window, and the main window has every member the protocol names."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    return imported | {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}


def _set_on_self(path: Path) -> set[str]:
    """The attributes a module's methods assign on `self` (self.x = ..., self.x: T = ...)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            for item in target.elts if isinstance(target, ast.Tuple) else [target]:
                if isinstance(item, ast.Attribute) and isinstance(item.value, ast.Name) and item.value.id == "self":
                    names.add(item.attr)
    return names


def test_the_menus_do_not_import_the_main_window() -> None:
    imported = _imported(APP / "window_menus.py")
    assert "app.main_window" not in imported


def test_the_main_window_has_every_member_of_the_menu_window() -> None:
    from app.main_window import MainWindow
    from app.window_menus import MenuWindow

    members = {name for name in vars(MenuWindow) if not name.startswith("_")} | set(MenuWindow.__annotations__)
    assert {"canvas", "session", "action_open", "recent_menu", "help", "open_paths", "menuBar"} <= members
    has = set(MainWindow.__annotations__) | _set_on_self(APP / "main_window.py")
    missing = sorted(name for name in members if name not in has and not hasattr(MainWindow, name))
    assert not missing
