"""Review as a user (R2, the keyboard and a screen reader): the Model panel's Cancel - an × icon shown
beside the progress bar while Run on all plans or runs - had a tooltip but no accessible name, so a
screen reader read it as a nameless button; the panel's other icon buttons have names ("Model
details", "Open a model checkpoint")."""

from __future__ import annotations

from PySide6.QtGui import QAccessible

from tests.gui.conftest import WindowFactory


def test_the_panels_cancel_button_has_a_name(make_window: WindowFactory) -> None:
    window = make_window()
    button = window.analysis.panel.cancel_button
    window.analysis.panel.set_busy(0, 5)  # shown, as while Run on all runs
    assert button.isVisibleTo(window)
    name = QAccessible.queryAccessibleInterface(button).text(QAccessible.Text.Name)
    assert name == "Cancel", repr(name)
