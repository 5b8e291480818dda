"""The main window's own actions and toolbar, built the one way: an action with its keys in its
tooltip (:func:`window_action`), the toolbar from a list of actions (:func:`window_toolbar`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QToolBar

from app.icons import icon

__all__ = ["window_action", "window_toolbar"]


def window_action(window: QMainWindow, text: str, icon_name: str | None, shortcuts: Sequence[QKeySequence | str],
                  slot: Callable[[], object], tip: str = "") -> QAction:
    """A window-wide action of `window` on `shortcuts`, running `slot`; its tooltip says `tip` (else its
    text) and its keys, its status tip `tip`. Added to the window, so its keys work with the menu bar
    hidden."""
    action = QAction(icon(icon_name) if icon_name else QIcon(), text, window)
    action.setShortcuts([QKeySequence(s) for s in shortcuts])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    keys = ", ".join(QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in shortcuts)
    tip = tip or text.replace("&", "").replace("…", "")  # a tooltip shows "&" as it is
    action.setStatusTip(tip)
    action.setToolTip(f"{tip} ({keys})" if keys else tip)
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def window_toolbar(window: QMainWindow, actions: Sequence[QAction | None]) -> QToolBar:
    """The window's main toolbar (fixed, at the top): `actions` in order, None a separator."""
    toolbar = QToolBar("Main", window)
    toolbar.setObjectName("main_toolbar")
    toolbar.setMovable(False)
    for action in actions:
        if action is None:
            toolbar.addSeparator()
        else:
            toolbar.addAction(action)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    return toolbar
