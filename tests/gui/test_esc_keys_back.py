"""Esc in a number box (:class:`app.esc_keys_back.EscKeysBack`) drops what was typed: the box shows the
value it holds, and a value it was given while it had the focus (the timeline's frame box follows the
video as it plays, its signals blocked) is not changed back to the one it had when it took the focus."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from app.esc_keys_back import EscKeysBack

_KEPT: list[QWidget] = []  # qtbot.addWidget holds no reference: the window would go with _box's frame


def _box(qtbot, tracking: bool) -> tuple[QSpinBox, QWidget, list[int]]:  # noqa: ANN001
    top = QWidget()
    _KEPT[:] = [top]
    qtbot.addWidget(top)
    canvas, box = QLineEdit(top), QSpinBox(top)
    box.setRange(0, 100)
    box.setValue(10)
    box.setKeyboardTracking(tracking)
    layout = QVBoxLayout(top)
    layout.addWidget(canvas)
    layout.addWidget(box)
    EscKeysBack(box, canvas)
    told: list[int] = []
    box.valueChanged.connect(told.append)
    top.show()
    top.activateWindow()
    box.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() in (box, box.lineEdit()))
    return box, canvas, told


def _esc() -> None:
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)


def test_esc_keeps_a_value_the_box_was_given_while_it_had_the_focus(qtbot) -> None:  # noqa: ANN001
    box, canvas, told = _box(qtbot, tracking=False)
    with QSignalBlocker(box):
        box.setValue(50)  # the video played on: the frame box follows it
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(QApplication.focusWidget(), "3")
    _esc()
    assert QApplication.focusWidget() is canvas
    assert (box.value(), box.text(), told) == (50, "50", [])  # no seek back to frame 10


def test_esc_drops_a_value_typed_and_taken_with_keyboard_tracking(qtbot) -> None:  # noqa: ANN001
    box, canvas, told = _box(qtbot, tracking=True)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(QApplication.focusWidget(), "3")
    _esc()
    assert QApplication.focusWidget() is canvas
    assert (box.value(), told) == (10, [3, 10])
