"""A disabled action's keys say why nothing happens: the status bar tells what the action waits for
(a result, an image, something to undo) instead of the key doing nothing, silently."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import QMainWindow

__all__ = ["SAYS_WHY_PROPERTY", "keys_say_why"]

SAYS_WHY_PROPERTY = "says_why_for"  # the stand-in's action, by its text (for tests and the shortcut sheet)


def keys_say_why(window: QMainWindow, action: QAction, why: str | Callable[[], str],
                 timeout_ms: int = 8000) -> QShortcut:
    """While `action` is disabled (greyed in its menu), its keys show `why` in `window`'s status bar
    instead of doing nothing (`why`: the words, or a function giving them as the key is pressed): a
    window-wide QShortcut with the action's keys, on exactly while the action is off (so the two never
    both claim the keys) and following its keys if they change."""
    shortcut = QShortcut(window)
    shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
    shortcut.setProperty(SAYS_WHY_PROPERTY, action.text().replace("&", "").replace("…", "").strip())
    shortcut.activated.connect(
        lambda: window.statusBar().showMessage(why() if callable(why) else why, timeout_ms))

    def follow() -> None:
        keys = action.shortcuts()
        shortcut.setKeys(keys)
        shortcut.setEnabled(bool(keys) and not action.isEnabled() and action.isVisible())

    action.changed.connect(follow)
    follow()
    return shortcut
