"""The Model panel's number boxes hand the keys back to the canvas. A click on the mask threshold's
(or τ's) arrows left the keyboard in the box: Right moved its text cursor instead of showing the
next image, B typed into it instead of choosing the brush, and Ctrl+Z undid its text instead of the
last stroke. As the Annotate dock's brush-size box does: a click on the arrows, Enter after typing,
and Esc (which drops what was typed) give the keys back to the canvas."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.gui.annotation_helpers import demo_window


def _up_arrow(spin) -> QPoint:  # noqa: ANN001
    return QPoint(spin.width() - 6, spin.height() // 4)


@pytest.mark.parametrize("box", ["threshold", "tau"])
def test_a_click_on_the_arrows_gives_the_keys_back(qtbot, make_window, demo_dir: Path, tmp_path: Path,
                                                    box: str) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    panel = window.analysis.panel
    window.analysis.model_dock.raise_()
    spin = getattr(panel, box).spin
    qtbot.waitUntil(spin.isVisible)
    before = getattr(window.analysis.settings, box)
    QTest.mouseClick(spin, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, _up_arrow(spin))
    assert getattr(window.analysis.settings, box) > before  # the click did its job
    assert QApplication.focusWidget() is window.canvas
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: window.session.current_index == 1)


def test_enter_and_esc_after_typing_give_the_keys_back(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    window.analysis.model_dock.raise_()
    spin = window.analysis.panel.threshold.spin
    qtbot.waitUntil(spin.isVisible)
    spin.setFocus()
    spin.lineEdit().selectAll()
    QTest.keyClicks(spin.lineEdit(), "0.7")
    QTest.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    assert window.analysis.settings.threshold == pytest.approx(0.7)
    assert QApplication.focusWidget() is window.canvas
    spin.setFocus()
    spin.lineEdit().selectAll()
    QTest.keyClicks(spin.lineEdit(), "0.2")
    QTest.keyClick(spin.lineEdit(), Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.canvas
    assert window.analysis.settings.threshold == pytest.approx(0.7)  # what was typed is dropped
    assert spin.value() == pytest.approx(0.7)
