"""Helpers for the Model dock layout tests (laptop screens, large fonts, the compare grid open): a
shown window with a result and its metrics, and whether a widget is in view in the dock's scroll area."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from tests.gui.tiny_model import WAIT_MS, ready_window


def in_view(widget: QWidget, area: QScrollArea) -> bool:
    """`widget` is shown whole inside the scroll area's viewport as it is scrolled now."""
    viewport = area.viewport()
    rect = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
    return widget.isVisible() and viewport.rect().contains(rect)


def window_with_metrics(qtbot, make_window, checkpoint: Path, demo_dir: Path, tmp_path: Path):  # noqa: ANN001, ANN201
    """(window, AnalysisController): a window shown at 1366 x 768 with a result of `checkpoint` and its
    metrics, as after Ctrl+R on the first demo image (projects under `tmp_path`)."""
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], projects_root=tmp_path)
    assert ctl.run_current() is not None
    qtbot.waitUntil(lambda: ctl.prediction is not None, timeout=WAIT_MS)
    ctl.update_metrics()
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window, ctl


def settle_at(window: QWidget, width: int, height: int) -> None:
    """Resize `window` to `width` x `height` and let its layouts settle (they do in chained posted
    events: a wrapped label grows its box)."""
    window.resize(width, height)
    for _ in range(8):
        QApplication.processEvents()
