"""What the status bar says is also said to a screen reader.

The window answers keys in the status bar: "Saved: every edit is on disk" (Ctrl+S), "Nothing to undo on
this image" (Ctrl+Z), why a key is off, what an opening found. Orca and NVDA read the status bar only when
asked, so a screen reader user heard no answer at all. :class:`SpokenStatus` announces each new message
of a status bar (``QAccessibleAnnouncementEvent``, polite: said after the speech under way, never cutting
it; Qt 6.8 and later, nothing before). Qt emits ``messageChanged`` only for a different text, so a
message shown again (a held key's, every 50 ms) is said once; a cleared bar says nothing. A message that
only counts on from the one said before (an import's or Pre-label All's "Importing labels: 3 of 500
images; ...", shown after each image) is said again only after :data:`PROGRESS_QUIET_S`: each count was
said, hundreds of sentences queued one after the other; the message that ends it is said at once.
"""

from __future__ import annotations

import re
import time

from PySide6 import QtGui
from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QStatusBar

__all__ = ["PROGRESS_QUIET_S", "SpokenStatus", "announce"]

#: seconds before a message that differs from the one said last only by its numbers (a count going on) is said
PROGRESS_QUIET_S = 5.0
_clock = time.monotonic  # (tests replace it)

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
        self._last = ""  # the last message said, its numbers as "#"
        self._last_at = 0.0  # when (`_clock`)
        bar.messageChanged.connect(self._said)  # a bound slot: gone with this object

    def _said(self, text: str) -> None:
        if not text.strip():
            return
        shape, now = re.sub(r"\d+", "#", text), _clock()
        if shape == self._last and now - self._last_at < PROGRESS_QUIET_S:
            return  # a count going on, said a moment ago
        self._last, self._last_at = shape, now
        announce(self._bar, text)
