"""After an opening, the keys are the image's.

Ctrl+Shift+O pressed while the Images dock's name filter had the focus opened the folder and left the
focus in the filter (Qt gives it back to where it was when the folder dialog closes), so the next keys -
B, N, R - were typed into it, filtering the new images, instead of working on the image shown.
:class:`KeysToImageAfterOpening` hears the window's opener say which images it added and, when some were,
gives the focus to the image if a dock's control has it. The canvas keeps the focus it has; a dialog or
another window is left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

__all__ = ["KeysToImageAfterOpening"]


class KeysToImageAfterOpening(QObject):
    """Call :meth:`opened` with the images an opening added (see module)."""

    def __init__(self, window: QMainWindow, image: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._image = image

    def opened(self, added: Sequence[Path]) -> None:
        window = self._window
        if not added or not shiboken6.isValid(window) or not shiboken6.isValid(self._image):
            return
        focus = window.focusWidget()  # the window's, active or not
        parent = focus
        while parent is not None and not isinstance(parent, QDockWidget):
            parent = parent.parentWidget()
        if parent is not None and parent.parentWidget() is window and not parent.isFloating():
            self._image.setFocus(Qt.FocusReason.OtherFocusReason)
