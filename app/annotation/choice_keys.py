"""The worklist's Show and Sort by boxes give the keys back to the image after a choice from their menu,
not after each step of their arrows.

A choice made from the keyboard handed the keys back to the canvas (session 3x: Space there opened the menu
again instead of panning). But the window leaves a focused drop-down its arrow keys (`app.arrows_stay`), and
each step of them is an ``activated`` choice too: the first Down chose "Not reviewed" and left the box, the
second stepped to the next image, and "Edited" could not be reached with the arrows (s36 working-day review).
A :class:`ChoiceBox` gives the keys back on a choice that no key of its own made (the menu's Enter or
click); after arrow steps it keeps them, as the docks' other drop-downs do, until Esc (`app.esc_keys_back`)
or Tab.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox

__all__ = ["ChoiceBox"]


class ChoiceBox(QComboBox):
    """A drop-down that calls `keys_back()` when, focused, it is given a choice by its menu (see module)."""

    def __init__(self, keys_back: Callable[[], None]) -> None:
        super().__init__()
        self._keys_back = keys_back
        self._own_key = False  # a key of the closed box is being handled: the choice it makes keeps the keys
        self.activated.connect(self._chosen)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        self._own_key = True
        try:
            super().keyPressEvent(event)
        finally:
            self._own_key = False

    def _chosen(self, _index: int) -> None:
        if not self._own_key and self.hasFocus():
            self._keys_back()
