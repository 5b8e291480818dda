"""What the status bar says is also said to a screen reader.

The window answers keys in the status bar: "Saved: every edit is on disk" (Ctrl+S), "Nothing to undo on
this image" (Ctrl+Z), why a key is off, what an opening found. Orca and NVDA read the status bar only when
asked, so a screen reader user heard no answer at all. :class:`SpokenStatus` announces each new message
of a status bar (``QAccessibleAnnouncementEvent``, polite: said after the speech under way, never cutting
it; Qt 6.8 and later, nothing before). Qt emits ``messageChanged`` only for a different text, so a
message shown again (a held key's, every 50 ms) is said once; a cleared bar says nothing.
"""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QStatusBar

__all__ = ["SpokenStatus", "announce"]

#: Qt 6.8 and later (pyproject allows PySide6 6.6): before, nothing is announced
_ANNOUNCEMENT = getattr(QtGui, "QAccessibleAnnouncementEvent", None)


def announce(bar: QStatusBar, text: str) -> None:
    """Have a screen reader say `text` (politely), from `bar`; with a Qt before 6.8, nothing."""
    if _ANNOUNCEMENT is None:
        return
    event = _ANNOUNCEMENT(bar, text)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Polite)
    QAccessible.updateAccessibility(event)


class SpokenStatus(QObject):
    """Announces every new message of `bar` (see module)."""

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self._bar = bar
        bar.messageChanged.connect(self._said)  # a bound slot: gone with this object

    def _said(self, text: str) -> None:
        if text.strip():
            announce(self._bar, text)
