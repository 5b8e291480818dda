"""A MainWindow deleted without being closed (``deleteLater()``, no ``close()``) tears down cleanly: no
Python exception from a slot (action_tips followed an action's ``changed`` after its wrapper was gone:
"Internal C++ object (QAction) already deleted") and its inference thread stopped (it was stopped only
in ``closeEvent``; the QThread destroyed while it ran is a fatal Qt message, "QThread: Destroyed while
thread 'fosp-inference' is still running", which aborts the process)."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QThread, qInstallMessageHandler

from app.analysis.inference_worker import InferenceWorker
from tests.gui.deleted_helpers import delete_now, shown_main_window


@pytest.fixture
def qt_messages() -> Iterator[list[str]]:
    """Every Qt message (warnings included) from here on, in order."""
    messages: list[str] = []
    previous = qInstallMessageHandler(lambda _mode, _context, text: messages.append(text))
    yield messages
    qInstallMessageHandler(previous)


@pytest.fixture
def raised(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tracebacks of the exceptions raised in slots from here on."""
    found: list[str] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, value, tb: found.append(
        "".join(traceback.format_exception(kind, value, tb))))
    return found


def _stopped_after(thread: QThread) -> bool:
    """Whether `thread` had stopped; stops it where it had not (so that a failing test does not abort)."""
    running = thread.isRunning()
    if running:
        thread.quit()
        thread.wait()
    return not running


def test_a_worker_deleted_without_shutdown_stops_its_thread(qtbot, qt_messages: list[str]) -> None:
    owner = QObject()
    worker = InferenceWorker(owner)
    thread = worker._thread
    assert thread.isRunning()
    delete_now(owner)
    assert _stopped_after(thread)
    assert not [m for m in qt_messages if "QThread" in m]


def test_the_main_window_deleted_unclosed_tears_down_quietly(qtbot, tmp_path: Path, qt_messages: list[str],
                                                              raised: list[str]) -> None:
    window = shown_main_window(qtbot, tmp_path)
    thread = window.analysis.worker._thread
    assert thread.isRunning()
    delete_now(window)
    assert _stopped_after(thread)
    assert raised == [], raised[0] if raised else ""
    assert not [m for m in qt_messages if "QThread" in m or "already deleted" in m], qt_messages
