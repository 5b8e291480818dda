"""Dock contents that scroll (:func:`scrolling`); dialogs sized to fit their screen (:func:`fit_to_screen`)."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QScrollBar, QWidget

__all__ = ["fit_to_screen", "scrolling", "show_wholly"]

FRAME_ALLOWANCE = (16, 48)  # a window manager's borders and title bar around a top-level window
FOCUS_MARGIN = 50  # px kept around a control scrolled into view where the view has room (QScrollArea's own)


def scrolling(widget: QWidget, name: str = "") -> QScrollArea:
    """`widget` in a frameless scroll area that scrolls vertically on short screens (instead of making
    the window, or the docks tabbed with it, taller) and is as wide as the widget needs. The area takes
    no keyboard stop (its arrows scrolled nothing where the panel fits): Tab goes to the panel's controls,
    and the area scrolls the one Tab reaches into view. `name` (else the widget's accessible name) is what
    a screen reader says of the area."""
    area = QScrollArea()
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setAccessibleName(name or widget.accessibleName())
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setMinimumWidth(widget.sizeHint().width() + area.verticalScrollBar().sizeHint().width())
    _FocusInView(area)
    return area


class _FocusInView(QObject):
    """Scrolls the control that takes the keyboard focus in `area` into view, the one Tab reaches from
    outside the panel too (QScrollArea does it only for a Tab from one of its own controls)."""

    def __init__(self, area: QScrollArea) -> None:
        super().__init__(area)  # gone with the area, and its connection with it
        self._area = area
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not shiboken6.isValid(self._area):  # the area is being deleted: its focused control's going moved the focus
            return
        content = self._area.widget()
        if new is not None and content is not None and content.isAncestorOf(new):
            show_wholly(self._area, new)


def show_wholly(area: QScrollArea, widget: QWidget, margin: int = FOCUS_MARGIN) -> None:
    """Scroll `area` so that all of `widget` (inside its content) is in view, with `margin` around it
    where the view has room, else centred (its start in view where it is longer than the view); an axis
    along which it is in view already does not move. Unlike QScrollArea.ensureWidgetVisible, which goes
    by the text cursor of a box that has one (a spin box, a line edit; a table's current cell) and so
    left the Model panel's τ box 3 px under the dock's edge, its cursor in view."""
    content = area.widget()
    if content is None:
        return
    box = QRect(widget.mapTo(content, widget.rect().topLeft()), widget.size())
    view = area.viewport().size()
    _scroll_to(area.horizontalScrollBar(), box.left(), box.right(), margin, view.width())
    _scroll_to(area.verticalScrollBar(), box.top(), box.bottom(), margin, view.height())


def _scroll_to(bar: QScrollBar, low: int, high: int, margin: int, length: int) -> None:
    """One axis of :func:`show_wholly`: `low`..`high` (inclusive) in the `length` seen from `bar`'s value."""
    start = bar.value()
    if low >= start and high < start + length:
        return
    if high - low + 1 + 2 * margin > length:
        bar.setValue((low + high + 1 - length) // 2)
    elif high + margin >= start + length:
        bar.setValue(high + margin - length + 1)
    else:
        bar.setValue(low - margin)


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize the top-level `window` to `width` x `height`, or less where its screen's free area
    (less the window manager's frame) is smaller, so that a dialog's buttons stay on a 1366 x 768
    or 1280 x 800 screen; never below the window's minimum size hint."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        width = min(width, area.width() - FRAME_ALLOWANCE[0])
        height = min(height, area.height() - FRAME_ALLOWANCE[1])
    hint = window.minimumSizeHint()
    window.resize(max(width, hint.width()), max(height, hint.height()))
