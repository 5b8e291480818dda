"""Showing a notice the user did not ask for without taking the keyboard from the window they work in.

A non-modal message box raised by a worker's result, a timer or an opening (saved masks to check, an
error while opening, a save failing) used to take the keyboard focus as it appeared: the next keys (K,
Space, the arrows) went to its OK button, and a keyframe K was lost without a word. :func:`show_quietly`
shows the box without activating it (``WA_ShowWithoutActivating``); where the platform activates it all
the same (offscreen, some window managers) the window that was active gets the activation back, and with
it its focus widget. The box stays on top of its window to read; clicking it (or the window manager's
window switch) makes it active, and Enter or Escape then closes it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget


def show_quietly(box: QWidget) -> None:
    """Show `box` (a top-level notice, e.g. a non-modal QMessageBox) without taking the keyboard focus from
    the active window. An already visible box is raised, not activated."""
    app = QApplication.instance()
    active = QApplication.activeWindow() if app is not None else None
    focus = active.focusWidget() if active is not None else None
    box.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
    box.show()
    box.raise_()
    if active is None or active is box:
        return
    _give_back(active, focus)
    # a platform that activates a shown window does it on its next event-loop turn: give it back after it too
    QTimer.singleShot(0, active, lambda: _give_back(active, focus))


def tell_quietly(parent: QWidget | None, title: str, text: str,
                 icon: QMessageBox.Icon = QMessageBox.Icon.Warning) -> QMessageBox:
    """Say `text` in a non-modal message box over `parent` (OK closes it; deleted once closed) shown with
    :func:`show_quietly`: for what a worker's result or a timer tells while the user works, in place of a
    modal ``QMessageBox.warning`` that took the next keys (Space pressed it) and blocked the window."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    show_quietly(box)
    return box


def _give_back(window: QWidget, focus: QWidget | None) -> None:
    """Activate `window` again, its keyboard focus on `focus` (the widget that had it before the notice)."""
    if not window.isVisible():
        return
    window.activateWindow()
    if focus is not None and focus.window() is window and focus.isVisible():
        focus.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
