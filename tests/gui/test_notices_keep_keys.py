"""Notices the user did not ask for (an open error from the opener's thread, a failure of an analysis run in
the background) appear without taking the keyboard from the window: the next key still goes to the canvas,
as the "Saved masks to check" notice's does (app.quiet_notice, test_video_notice_keeps_keys)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from app.main_window import MainWindow
from app.services import DialogErrorReporter
from fosp_core.session import OpenError


def _shown_while_working(qtbot, window: MainWindow, show: Callable[[], QMessageBox]) -> QMessageBox:  # noqa: ANN001
    """`show` a notice while the canvas of the active `window` has the keyboard; the notice, once its
    showing's events are handled."""
    window.activateWindow()
    canvas = window.annotation.controller.canvas
    canvas.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window and QApplication.focusWidget() is canvas)
    box = show()
    qtbot.wait(100)  # the events of the box's showing (activation, focus) are handled
    assert box.isVisible()
    assert QApplication.activeWindow() is window and QApplication.focusWidget() is canvas  # was the box's OK
    return box


def test_an_open_error_leaves_the_keys_to_the_window(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    reporter = DialogErrorReporter()

    def show() -> QMessageBox:
        reporter.report(window, [OpenError(tmp_path / "gone.png", "no such file")])
        assert reporter.dialog is not None
        return reporter.dialog

    _shown_while_working(qtbot, window, show).close()


def test_an_analysis_failure_leaves_the_keys_to_the_window(qtbot, make_window) -> None:  # noqa: ANN001
    window = make_window(show=True)
    errors = window.analysis.reports

    def show() -> QMessageBox:
        errors.report("Inference failed: out of memory")
        assert errors.dialog is not None
        return errors.dialog

    _shown_while_working(qtbot, window, show).close()
