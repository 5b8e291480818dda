"""Help ▸ Keyboard Shortcuts' rows (:func:`app.shortcut_sheet.shortcut_rows`, :func:`hidden_rows`) on a
bare window: an action is listed once, where the menus put it, and not while its menu is hidden."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from app.shortcut_sheet import hidden_rows, shortcut_rows


def _window(qtbot) -> tuple[QMainWindow, QMenu, QAction]:  # noqa: ANN001
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = window.menuBar().addMenu("&Tools")
    sub = QMenu("&Layers", window)
    menu.addMenu(sub)
    action = QAction("Show &Edges", window)
    action.setShortcut(QKeySequence("Ctrl+E"))
    sub.addAction(action)
    return window, sub, action


def test_an_action_in_a_menu_is_listed_once_under_its_menu(qtbot) -> None:  # noqa: ANN001
    window, _sub, _action = _window(qtbot)
    rows = [row for row in shortcut_rows(window) if row[1] == "Show Edges"]
    assert [row[0] for row in rows] == ["Tools ▸ Layers"]


def test_an_action_in_a_hidden_submenu_is_not_listed_as_other(qtbot) -> None:  # noqa: ANN001
    window, sub, action = _window(qtbot)
    sub.menuAction().setVisible(False)  # the action itself stays visible: only its menu is hidden
    assert action.isVisible()
    assert [row for row in shortcut_rows(window) if row[1] == "Show Edges"] == []
    assert [row[:2] for row in hidden_rows(window) if row[1] == "Show Edges"] == [("Tools ▸ Layers", "Show Edges")]
