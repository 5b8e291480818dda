"""The application font set for a test and put back after it (a large system font: KDE/GNOME 'large
text', 12-14 pt where the default is 9). The application font reaches every widget, so a test builds
its window inside the block; the tests that follow get the font as it was."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication


@contextmanager
def application_font(qapp: QApplication, points: float) -> Iterator[float]:
    """The application font at `points` (0: left as it is) inside the block; yields `points`."""
    before = QFont(qapp.font())
    if points:
        font = QFont(before)
        font.setPointSizeF(points)
        qapp.setFont(font)
    try:
        yield points
    finally:
        qapp.setFont(before)
