"""A control the keyboard focus enters in a panel that scrolls (app.panels.scrolling) is scrolled wholly into
view. QScrollArea.ensureWidgetVisible scrolls a box that has a text cursor (a spin box, a line edit) only as
far as the cursor: on a 900 x 438 window the Model panel's τ box was left with its bottom 3 px under the
dock's edge after a Tab, its cursor in view (tests/gui/test_keyboard_sweep_tool_dock.py failed there, passed
on the 430 px window it got where the window's layout had settled before the test resized it)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.panels import scrolling

_VIEW_HEIGHT = 80


def _panel(qtbot) -> tuple[QWidget, QLineEdit, QLineEdit, QDoubleSpinBox, QScrollArea]:  # noqa: ANN001
    """A window: a line edit outside the panel, and a panel (in `scrolling`) holding a line edit at its top,
    a tall space, then the spin box, then more space below it."""
    window = QWidget()
    outside = QLineEdit()
    outside.setAccessibleName("outside")
    content = QWidget()
    column = QVBoxLayout(content)
    top = QLineEdit()
    top.setAccessibleName("top")
    column.addWidget(top)
    column.addSpacing(150)
    box = QDoubleSpinBox()
    box.setAccessibleName("box")
    column.addWidget(box)
    column.addSpacing(300)
    tall = QPlainTextEdit()  # as tall as the view: wholly in view, not a pixel off its centre
    tall.setAccessibleName("tall")
    tall.setFixedHeight(_VIEW_HEIGHT)
    column.addWidget(tall)
    column.addSpacing(300)
    area = scrolling(content, "panel")
    area.setFixedHeight(_VIEW_HEIGHT)
    row = QHBoxLayout(window)
    row.addWidget(outside)
    row.addWidget(area)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window, outside, top, box, area


def _shown(box: QWidget, area: QScrollArea) -> QRect:
    viewport = area.viewport()
    return QRect(box.mapTo(viewport, box.rect().topLeft()), box.size())


def _cursor_in_view_box_not(box: QDoubleSpinBox, area: QScrollArea) -> None:
    """Scroll `area` so that `box`'s bottom 3 px are under the viewport's edge, its text cursor above it."""
    bar = area.verticalScrollBar()
    bar.setValue(box.mapTo(area.widget(), box.rect().bottomLeft()).y() + 1 - area.viewport().height() - 3)
    cursor = QRect(box.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle))
    viewport = area.viewport()
    assert viewport.rect().contains(QRect(box.mapTo(viewport, cursor.topLeft()), cursor.size()))
    assert not viewport.rect().contains(_shown(box, area))


@pytest.mark.parametrize("start", ["outside", "top"], ids=["from outside the panel", "from inside the panel"])
def test_the_focused_box_is_wholly_in_view(qtbot, start: str) -> None:  # noqa: ANN001
    window, outside, top, box, area = _panel(qtbot)
    first = outside if start == "outside" else top
    QWidget.setTabOrder(first, box)  # Tab from `first` reaches the box
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    _cursor_in_view_box_not(box, area)
    QTest.keyClick(first, Qt.Key.Key_Tab)
    assert box.hasFocus()
    assert area.viewport().rect().contains(_shown(box, area)), (_shown(box, area), area.viewport().rect())
    window.close()


def test_a_box_as_tall_as_the_view_is_wholly_in_it(qtbot) -> None:  # noqa: ANN001
    window, _outside, top, _box, area = _panel(qtbot)
    tall = area.widget().findChild(QPlainTextEdit)
    assert area.viewport().height() == tall.height()
    top.setFocus()
    qtbot.waitUntil(top.hasFocus)
    tall.setFocus(Qt.FocusReason.TabFocusReason)
    assert area.viewport().rect().contains(_shown(tall, area)), (_shown(tall, area), area.viewport().rect())
    window.close()


def test_a_box_already_in_view_does_not_scroll(qtbot) -> None:  # noqa: ANN001
    window, outside, _top, box, area = _panel(qtbot)
    outside.setFocus()
    bar = area.verticalScrollBar()
    bar.setValue(box.mapTo(area.widget(), box.rect().topLeft()).y() - 10)  # wholly in view, near the top
    before = bar.value()
    box.setFocus(Qt.FocusReason.TabFocusReason)
    assert bar.value() == before
    window.close()
