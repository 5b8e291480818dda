"""Helpers for the tests of Qt objects deleted under their threads or signals: what slots, threads and Qt
said from a point on, an object deleted the way Qt deletes it after ``deleteLater()``, and a shown main
window to delete unclosed."""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from app.main_window import MainWindow
from app.services import CollectingErrorReporter, Services


def capture_raised(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What slots (sys.excepthook) and threads (threading.excepthook) raised, and Qt's messages, from here
    on until the generator resumes (for a test's ``raised`` fixture: ``yield from capture_raised(...)``)."""
    found: list[str] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, value, tb: found.append(
        "".join(traceback.format_exception(kind, value, tb))))
    monkeypatch.setattr(threading, "excepthook", lambda args: found.append(repr(args.exc_value)))
    previous = qInstallMessageHandler(lambda _mode, _context, text: found.append(text))
    yield found
    qInstallMessageHandler(previous)


def delete_now(obj: QObject) -> None:
    """`obj` deleted the way Qt deletes it after ``deleteLater()`` (never closed), and the events after."""
    obj.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def shown_main_window(qtbot, tmp_path: Path) -> MainWindow:  # noqa: ANN001 - qtbot fixture
    """A MainWindow with its own settings and projects under `tmp_path`, shown with its grid dock, made
    outside ``make_window`` (whose teardown would close it) to be deleted unclosed."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.resize(1000, 700)
    window.show()
    qtbot.waitExposed(window)
    window.analysis.grid_dock.show()
    QApplication.processEvents()
    return window
