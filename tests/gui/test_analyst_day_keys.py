"""An analyst's day, keys: stepping the mask threshold from the keyboard (the layer toggles, next /
previous image and Run had keys; the threshold, moved most of all, had none: a mouse trip to the
Model dock's slider or spin box every time)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.shortcut_sheet import shortcut_rows


def test_threshold_steps_from_the_keyboard(qtbot, make_window) -> None:
    window = make_window(show=True)
    settings = window.analysis.settings
    with qtbot.waitActive(window):
        window.activateWindow()
    window.canvas.setFocus()
    start = settings.threshold
    QTest.keyClick(window.canvas, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    raised = settings.threshold
    assert raised > start
    QTest.keyClick(window.canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(window.canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert settings.threshold == pytest.approx(start - (raised - start))
    assert window.analysis.panel.threshold.spin.value() == pytest.approx(settings.threshold)  # the panel follows
    settings.set_threshold(0.987)  # off the step: the next step lands on it, then stops at the end
    QTest.keyClick(window.canvas, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(window.canvas, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert settings.threshold == 1.0
    rows = {action: keys for where, action, keys in shortcut_rows(window) if where == "Analysis"}
    assert any("Threshold" in action for action in rows), rows  # listed in Help ▸ Keyboard Shortcuts
