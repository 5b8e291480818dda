"""A scrolling dock panel (app.panels.scrolling) deleted while one of its controls held the keyboard focus
(the window closed with the focus in the Model panel's τ box, or the Images panel's filter): deleting
the control moved the focus, and the panel's focus follower, still connected to the application's
focusChanged, read its scroll area, whose C++ object was already being destroyed: RuntimeError
'Internal C++ object (QScrollArea) already deleted' raised in the Qt event loop (seen closing the
main window after keys typed into its docks)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from app.panels import scrolling


def test_a_panel_deleted_with_the_focus_in_it_raises_nothing(qtbot) -> None:  # noqa: ANN001
    top = QWidget()
    qtbot.addWidget(top)
    content = QWidget()
    box = QLineEdit(content)
    QVBoxLayout(content).addWidget(box)
    area = scrolling(content, "panel")
    QVBoxLayout(top).addWidget(area)
    top.show()
    qtbot.waitExposed(top)
    top.activateWindow()
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    area.deleteLater()  # (pytest-qt fails the test on an exception raised in a slot)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.wait(10)

