"""Session 32, Tab order: the Images dock shows its name filter above its list, but Tab reached the list
first and the filter after it (Qt's focus chain follows the order the widgets got their parent, and the
filter got its own last). Tab now goes as the eye reads: filter, then list; Shift+Tab the other way."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.gui.keyboard_day_helpers import day_window


@pytest.mark.parametrize("key", [Qt.Key.Key_Tab, Qt.Key.Key_Backtab], ids=["Tab", "Shift+Tab"])
def test_tab_reads_the_images_dock_top_down(qtbot, make_window, demo_dir: Path, tmp_path: Path,
                                            key: Qt.Key) -> None:
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.canvas.setFocus()
    panel = window.images_panel
    seen: list[QWidget] = []
    for _ in range(80):
        QTest.keyClick(QApplication.focusWidget(), key)
        focus = QApplication.focusWidget()
        if focus is window.canvas:
            break
        if panel.isAncestorOf(focus):
            seen.append(focus)
    expected = [panel.filter_edit, panel.list]
    assert seen == (expected if key == Qt.Key.Key_Tab else expected[::-1])
