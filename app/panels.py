"""Dock contents that scroll: :func:`scrolling`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

__all__ = ["scrolling"]


def scrolling(widget: QWidget) -> QScrollArea:
    """`widget` in a frameless scroll area that scrolls vertically on short screens (instead of making
    the window, or the docks tabbed with it, taller) and is as wide as the widget needs."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setMinimumWidth(widget.sizeHint().width() + area.verticalScrollBar().sizeHint().width())
    return area
