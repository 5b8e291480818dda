"""A control with the keyboard focus keeps its own arrow keys: on a slider (the Annotate dock's mask
opacity, the Model panel's mask threshold, the Layers dock's opacity), a list or a table of a dock (the
Layers list, the metrics table), Right / Left / Up / Down / Page Up / Page Down moved the window to the
next or previous image instead (the window's Next / Previous Image shortcuts took them first; a keyboard-
only sweep found it on the second image); the slider did not move. The image list's arrows still step
the images, as they did; the worklist kept its own already (app.annotation.worklist_view)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QAbstractSlider, QWidget

from app.main_window import MainWindow

from .conftest import WindowFactory
from .keyboard_day_helpers import middle_image_window


@pytest.fixture
def window(qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    return middle_image_window(qtbot, make_window, demo_dir, tmp_path)  # Next and Previous Image both on


def _named(window: MainWindow, kind: type, name: str) -> QWidget:
    found = [w for w in window.findChildren(kind) if w.accessibleName() == name]
    assert len(found) == 1, (name, found)
    return found[0]


def test_focused_sliders_lists_and_tables_keep_their_arrows_and_the_image_list_steps(window: MainWindow) -> None:
    """Every control in turn in one window (a window for each of six tests before: ~1 s of setup each in the
    suite's durations); each slider put back in the middle before each key; the image list last (it steps)."""
    for name in ("Mask opacity", "Mask threshold", "Layer opacity"):
        slider = _named(window, QAbstractSlider, name)
        for key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp,
                    Qt.Key.Key_PageDown):
            slider.setValue((slider.minimum() + slider.maximum()) // 2)  # room both ways
            slider.setFocus()
            before = slider.value()
            QTest.keyClick(slider, key)
            assert window.session.current_index == 1, (name, key.name)  # still the second image
            assert slider.value() != before, (name, key.name)
    for name in ("Layers", "Metrics"):
        view = _named(window, QAbstractItemView, name)
        view.setFocus()
        keys = [Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp]
        keys += [Qt.Key.Key_Right, Qt.Key.Key_Left] if name == "Metrics" else []  # a one-column list leaves them
        for key in keys:
            QTest.keyClick(view, key)
            assert window.session.current_index == 1, (name, key.name)
    # the image list's arrows still step the images
    window.image_list.setFocus()
    QTest.keyClick(window.image_list, Qt.Key.Key_Down)
    assert window.session.current_index == 2, "image list: Down"
    QTest.keyClick(window.image_list, Qt.Key.Key_Right)
    assert window.session.current_index == 3, "image list: Right"
