"""FOSP_STALL_REPORT: a long turn of the GUI thread is reported with the GUI thread's stack and what each
thread of the process did meanwhile; off unless the variable asks for it."""

from __future__ import annotations

import sys
import time

import pytest
from PySide6.QtCore import QObject, QTimer

from app.stall_report import ENV, StallReporter, install_stall_reporter


def test_a_long_turn_is_reported_with_where_the_gui_thread_was(qtbot) -> None:
    reporter = StallReporter(threshold_ms=30)
    reporter.start()

    def slow_slot() -> None:  # a turn that holds the GUI thread (sleeping: the watchdog runs meanwhile)
        time.sleep(0.3)

    try:
        QTimer.singleShot(0, slow_slot)
        qtbot.waitUntil(lambda: len(reporter.reports) >= 1, timeout=5000)
    finally:
        reporter.stop()
    report = reporter.reports[0]
    assert any(line.endswith(" slow_slot") for line in report.gui_stack)
    assert report.ms > 30
    assert "slow_slot" in report.text()
    if sys.platform.startswith("linux"):
        assert "MainThread" in report.threads and "fosp-stall-watch" in report.threads


@pytest.mark.parametrize(("value", "threshold_s"), [(None, None), ("", None), ("0", None), ("yes", None),
                                                   ("1", 0.05), ("120", 0.12)])
def test_only_the_variable_starts_a_reporter(qtbot, value: str | None, threshold_s: float | None) -> None:
    parent = QObject()
    reporter = install_stall_reporter(parent, {} if value is None else {ENV: value})
    try:
        assert (reporter.threshold_s if reporter is not None else None) == threshold_s
    finally:
        if reporter is not None:
            reporter.stop()
