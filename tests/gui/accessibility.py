"""What a screen reader hears from a window: the accessible name Qt exposes for each widget a user can
focus or click (`nameless`), and whether icon-only buttons carry a tooltip that says their key
(`icon_buttons_untold`). Used by tests/gui/test_accessible_names.py."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QGraphicsView,
    QHeaderView,
    QKeySequenceEdit,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QToolButton,
    QWidget,
)

#: Widgets a user reaches with the mouse or the keyboard and that a screen reader must name.
INTERACTIVE = (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QAbstractItemView,
               QGraphicsView, QLineEdit, QTextEdit, QPlainTextEdit, QTabBar)


def accessible_name(widget: QWidget) -> str:
    """The name Qt's accessibility bridge gives `widget` (what Orca/NVDA read): its accessibleName,
    else its text (a button's, with the & stripped) or its QLabel buddy's."""
    face = QAccessible.queryAccessibleInterface(widget)
    if face is None:
        return ""
    return (face.text(QAccessible.Text.Name) or "").replace("&", "").strip()


def _part_of_another(widget: QWidget) -> bool:
    """A piece of a composite widget that its owner speaks for: a spin box's, combo box's or key
    editor's line edit, scroll bars, a scroll area's viewport, a table's headers and corner button,
    a dock's title bar buttons."""
    parent = widget.parentWidget()
    if isinstance(widget, QScrollBar) or widget.objectName().startswith("qt_dockwidget_"):
        return True  # Qt names a dock's Close and Float buttons itself
    if isinstance(parent, (QAbstractSpinBox, QComboBox, QTabBar, QKeySequenceEdit)):
        return True
    if isinstance(parent, QLineEdit) and isinstance(parent.parentWidget(), QKeySequenceEdit):
        return True  # the key editor's clear button
    if isinstance(parent, QAbstractScrollArea) and widget is parent.viewport():
        return True
    return isinstance(parent, QAbstractItemView) and (isinstance(widget, QHeaderView)
                                                      or widget.objectName() == "qt_tableview_cornerbutton")


def _tabs_named(bar: QTabBar) -> bool:
    """A tab bar is read as its tabs: each needs a text."""
    return all(bar.tabText(i).replace("&", "").strip() for i in range(bar.count()))


def interactive_widgets(root: QWidget) -> list[QWidget]:
    """The widgets under `root` shown with it (not in windows of their own) that a user can focus or
    click: the INTERACTIVE kinds, and any other widget that takes the keyboard focus (a plot, the
    canvas). Disabled ones count: a screen reader still lists them."""
    found = []
    for widget in root.findChildren(QWidget):
        takes_focus = widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        if not (isinstance(widget, INTERACTIVE) or takes_focus) or not widget.isVisibleTo(root):
            continue
        if widget.isWindow() or _part_of_another(widget):
            continue
        found.append(widget)
    return found


def describe(widget: QWidget) -> str:
    """A line that finds `widget` in a failure message: its class, object name and parent chain."""
    chain = []
    w: QWidget | None = widget
    while w is not None and len(chain) < 4:
        chain.append(f"{type(w).__name__}({w.objectName()!r})")
        w = w.parentWidget()
    tip = widget.toolTip()[:40]
    return " < ".join(chain) + (f" tooltip={tip!r}" if tip else "")


def nameless(root: QWidget) -> list[str]:
    """The interactive widgets under `root` a screen reader would announce without a name."""
    return [describe(w) for w in interactive_widgets(root)
            if not (_tabs_named(w) if isinstance(w, QTabBar) else accessible_name(w))]


def icon_buttons_untold(root: QWidget) -> list[str]:
    """Icon-only buttons under `root` without a tooltip, or whose tooltip leaves out their action's key."""
    bad = []
    for widget in interactive_widgets(root):
        if not isinstance(widget, QAbstractButton) or widget.text().strip() and not (
                isinstance(widget, QToolButton)
                and widget.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly):
            continue
        if widget.icon().isNull():
            continue
        tip = widget.toolTip()
        action = widget.defaultAction() if isinstance(widget, QToolButton) else None
        key = action.shortcut().toString() if action is not None else ""
        if not tip or (key and key not in tip):
            bad.append(f"{describe(widget)} key={key!r}")
    return bad
