"""Zoom has bounds. Pressing - forty times took a demo image to "zoom 0%" (0.017 %: the image a
dot nobody finds), and + sixty times to 83 713 538 % (the view 0.001 image pixel wide, one flat
colour); the wheel went as far. Now the view spans at least `MIN_VIEW_PIXELS` image pixels (fewer
only for an image that small) and at most `MAX_VIEW_FACTOR` times the image's longer side."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from app.canvas import MAX_VIEW_FACTOR, MIN_VIEW_PIXELS
from tests.gui.annotation_helpers import demo_window, key


def _wheel(window, steps: int) -> None:  # noqa: ANN001
    viewport = window.canvas.viewport()
    centre = QPointF(viewport.rect().center())
    for _ in range(abs(steps)):
        event = QWheelEvent(centre, QPointF(viewport.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                            QPoint(0, 120 if steps > 0 else -120), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(viewport, event)


@pytest.mark.parametrize("how", ["keys", "wheel"])
def test_zoom_stops_at_its_bounds(qtbot, make_window, demo_dir: Path, tmp_path: Path, how: str) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    canvas = window.canvas
    h, w = canvas.image_shape
    for _ in range(40):
        key(window, "-") if how == "keys" else _wheel(window, -1)
    qtbot.wait(20)
    rect = canvas.view_box.viewRect()
    assert max(rect.width(), rect.height()) <= MAX_VIEW_FACTOR * max(h, w) * 1.001
    assert window.zoom_label.text() != "zoom 0%"
    for _ in range(80):
        key(window, "+") if how == "keys" else _wheel(window, 1)
    qtbot.wait(20)
    rect = canvas.view_box.viewRect()
    assert min(rect.width(), rect.height()) >= MIN_VIEW_PIXELS * 0.999
    canvas.fit()  # and fit still fits
    qtbot.wait(20)
    rect = canvas.view_box.viewRect()
    assert rect.width() >= w and rect.height() >= h
