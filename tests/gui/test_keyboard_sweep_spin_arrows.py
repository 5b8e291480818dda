"""A focused spin box keeps its Up / Down / Page Up / Page Down: the brush radius, the Model panel's
mask threshold and the Focus threshold τ boxes gave them to the window's Next / Previous Image (the
window's shortcuts took them first; app.arrows_stay claimed them for sliders, lists, tables, tab bars
and drop-downs only), so a keyboard user stepping the radius or τ went to another image instead, the
value unchanged. Left / Right stay the box's text cursor's (its line edit claims them already)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox

from app.main_window import MainWindow

from .conftest import WindowFactory
from .keyboard_day_helpers import middle_image_window


@pytest.fixture
def window(qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    return middle_image_window(qtbot, make_window, demo_dir, tmp_path)  # Next and Previous Image both on


def _box(window: MainWindow, name: str) -> QAbstractSpinBox:
    found = [w for w in window.findChildren(QAbstractSpinBox) if w.accessibleName() == name]
    assert len(found) == 1, (name, found)
    return found[0]


def test_focused_spin_boxes_keep_their_arrows_and_left_right_move_the_cursor(window: MainWindow) -> None:
    """Every box and key in turn in one window (a window for each of four tests before: ~1 s of setup each in
    the suite's durations), the box put back in the middle before each key."""
    for name in ("Brush radius in pixels", "Mask threshold", "Focus threshold τ"):
        box = _box(window, name)
        for key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            box.setValue((box.minimum() + box.maximum()) / 2 if box.inherits("QDoubleSpinBox")
                         else (box.minimum() + box.maximum()) // 2)  # room both ways
            box.setFocus()
            before = box.value()
            QTest.keyClick(box, key)
            assert window.session.current_index == 1, (name, key.name)  # still the second image
            assert box.value() != before, (name, key.name)
    box = _box(window, "Brush radius in pixels")
    box.setFocus()
    for key in (Qt.Key.Key_Left, Qt.Key.Key_Right):  # the box's text cursor's
        QTest.keyClick(box, key)
        assert window.session.current_index == 1, ("Left/Right", key.name)
