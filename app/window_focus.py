"""The main window's window-wide keyboard and screen-reader helpers, installed by the window itself.

They follow the whole window, not the annotation view: the focus entering any dock behind a tab brings
that dock forward (:class:`~app.annotation.focus_shows_dock.FocusShowsDock`: the Model and Layers docks
too), every status-bar message is said to a screen reader (:class:`~app.annotation.spoken_status.SpokenStatus`:
the analysis and video messages too), and after the window's opener added images the keys go to the image
(:class:`~app.annotation.focus_after_opening.KeysToImageAfterOpening`). ``MainWindow`` calls
:func:`install_window_focus` once its annotation view is built, before the views that connect to the opener
after it (video), so the helpers act in the order they did when that view made them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QMainWindow, QWidget

from app.annotation.focus_after_opening import KeysToImageAfterOpening
from app.annotation.focus_shows_dock import FocusShowsDock
from app.annotation.spoken_status import SpokenStatus
from app.opening import Opener

__all__ = ["WindowFocus", "install_window_focus"]


@dataclass(frozen=True)
class WindowFocus:
    """The helpers :func:`install_window_focus` made (each a QObject child of the window or its status bar)."""

    focus_shows_dock: FocusShowsDock  # Tab into a dock behind a tab: that dock shown
    keys_after_opening: KeysToImageAfterOpening  # a new folder: the keys on its image
    spoken_status: SpokenStatus  # each status-bar message said to a screen reader too


def install_window_focus(window: QMainWindow, image: QWidget, opener: Opener) -> WindowFocus:
    """Install the window-wide helpers on `window`: `image` (its central widget, the canvas) takes the keys
    after `opener` added images."""
    keys_after_opening = KeysToImageAfterOpening(window, image)
    opener.opened.connect(keys_after_opening.opened)
    return WindowFocus(FocusShowsDock(window), keys_after_opening, SpokenStatus(window.statusBar()))
