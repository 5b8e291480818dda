"""The window furniture of the video view: its docks, its frame actions and the File menu entry.

Plain builders over a `QMainWindow`; `app.video.mode.VideoMode` calls them once and keeps what they
return.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from app.panels import scrolling
from app.shortcut_sheet import GROUP_PROPERTY

__all__ = ["add_hidden_dock", "add_open_sequence_action", "create_frame_actions"]

ActionSpec = tuple[str, Sequence[str], Callable[[], object]]
"""(text, shortcuts as portable key strings, slot) of one frame action."""


def add_hidden_dock(window: QMainWindow, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea,
                    scroll: bool = False) -> QDockWidget:
    """A hidden dock called `name` holding `widget` (inside a scroll area when `scroll`, so a tall
    panel never forces the window taller)."""
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(scrolling(widget) if scroll else widget)
    window.addDockWidget(area, dock)
    dock.hide()
    return dock


def create_frame_actions(window: QMainWindow, specs: Sequence[ActionSpec]) -> list[QAction]:
    """Window-wide actions (disabled until a video opens) with their shortcuts."""
    actions = []
    for text, keys, slot in specs:
        action = QAction(text, window)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False, s=slot: s())
        action.setEnabled(False)
        action.setProperty(GROUP_PROPERTY, "Video")  # where Help > Keyboard Shortcuts lists it
        window.addAction(action)
        actions.append(action)
    return actions


def add_open_sequence_action(window: QMainWindow, slot: Callable[[], object]) -> QAction:
    """"Open Image Sequence as Video…", put in the File menu before its recent-files submenu."""
    action = QAction("Open Image Sequence as Video…", window)
    action.triggered.connect(lambda _checked=False: slot())
    recent = getattr(window, "recent_menu", None)
    if recent is not None and recent.menuAction().parent() is not None:
        file_menu = window.menuBar().actions()[0].menu()
        file_menu.insertAction(recent.menuAction(), action)
    return action
