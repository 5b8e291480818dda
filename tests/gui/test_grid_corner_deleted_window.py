"""A window destroyed without being closed (``deleteLater()`` with no ``close()``) hides its docks as it
deletes them, after its Python wrapper is gone: GridCorner, still connected to their
``visibilityChanged``, raised "Internal C++ object (MainWindow) already deleted" for each (five for the
main window). It lets go of the docks as the window goes."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QWidget

from app.analysis.grid_corner import GridCorner
from app.main_window import MainWindow
from app.services import CollectingErrorReporter, Services


def _deleted(window: QMainWindow) -> None:
    """`window` deleted the way Qt deletes it after ``deleteLater()``, never closed."""
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def _raised_in_grid_corner(monkeypatch) -> list[str]:  # noqa: ANN001
    """The tracebacks of the exceptions Qt's signals raise from here on that pass through grid_corner.py."""
    raised: list[str] = []

    def hook(kind, value, tb) -> None:  # noqa: ANN001
        text = "".join(traceback.format_exception(kind, value, tb))
        if "grid_corner.py" in text:
            raised.append(text)

    monkeypatch.setattr(sys, "excepthook", hook)
    return raised


def test_a_window_deleted_unclosed_leaves_its_docks_signals_quiet(qtbot, monkeypatch) -> None:
    raised = _raised_in_grid_corner(monkeypatch)
    window = QMainWindow()
    window.setCentralWidget(QWidget())
    grid, timeline = QDockWidget("Compare", window), QDockWidget("Timeline", window)
    for dock in (grid, timeline):
        dock.setWidget(QWidget())
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    corner = GridCorner(window, grid)
    window.show()
    qtbot.waitExposed(window)
    assert window.corner(Qt.Corner.BottomRightCorner) == Qt.DockWidgetArea.BottomDockWidgetArea  # it follows
    _deleted(window)
    assert raised == []
    corner.update()  # a late call finds the window gone and does nothing
    assert raised == []


def test_the_main_window_deleted_unclosed_raises_nothing_in_grid_corner(qtbot, monkeypatch, tmp_path: Path) -> None:
    raised = _raised_in_grid_corner(monkeypatch)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.resize(1000, 700)
    window.show()
    qtbot.waitExposed(window)
    window.analysis.grid_dock.show()
    QApplication.processEvents()
    window.analysis.shutdown()  # its inference thread (close() stops it; deleting the window does not)
    _deleted(window)
    assert raised == [], raised[0] if raised else ""
