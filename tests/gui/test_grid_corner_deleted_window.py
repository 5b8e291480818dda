"""A window destroyed without being closed (``deleteLater()`` with no ``close()``) hides its docks as it
deletes them, after its Python wrapper is gone: GridCorner, still connected to their
``visibilityChanged``, raised "Internal C++ object (MainWindow) already deleted" for each (five for the
main window). It lets go of the docks as the window goes."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from app.analysis.grid_corner import GridCorner
from tests.gui.deleted_helpers import delete_now, shown_main_window


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
    delete_now(window)
    assert raised == []
    corner.update()  # a late call finds the window gone and does nothing
    assert raised == []


def test_the_main_window_deleted_unclosed_raises_nothing_in_grid_corner(qtbot, monkeypatch, tmp_path: Path) -> None:
    raised = _raised_in_grid_corner(monkeypatch)
    window = shown_main_window(qtbot, tmp_path)
    window.analysis.shutdown()  # its inference thread (close() stops it; deleting the window does not)
    delete_now(window)
    assert raised == [], raised[0] if raised else ""
