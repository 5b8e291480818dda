"""Run on all's progress bar is painted with the window's next paint, not inside the result's turn:
QProgressBar.setValue repaints at once (QWidget.repaint), which paints every widget of the window
waiting for a paint - the canvas with its layers too - in the turn that takes each result (the
largest share of the GUI thread's CPU in a Run on all over the 30 SmokeSeg pairs:
bench/bench_run_all_start.py). The bar still shows each value: painted once the turn is over."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import WindowFactory


class _Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_the_progress_is_painted_after_the_turn_not_in_it(qtbot, make_window: WindowFactory) -> None:
    window = make_window(show=True)
    qtbot.waitExposed(window)
    panel = window.analysis.panel
    panel.set_busy(0, 30)
    for _ in range(5):
        QApplication.processEvents()
    bar, paints = panel.progress, _Paints()
    bar.installEventFilter(paints)
    panel.set_busy(7, 30)  # a result came
    assert bar.value() == 7 and paints.count == 0  # not painted in the result's turn
    qtbot.waitUntil(lambda: paints.count > 0, timeout=2000)  # painted after it
    assert bar.text() == "7 / 30 images"
