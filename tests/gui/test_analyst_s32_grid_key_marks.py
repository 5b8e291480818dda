"""The compare grid's colour keys, under a pointed pixel: the separated-foreground panel shows each
stride's energy over its own maximum, averaged (its key: "foreground, relative 0 … 1"), a value no
readout gave (the status bar reads the raw energies by stride), so what a colour of that panel was worth
at the pixel pointed at could not be read. Over any panel the Focus Map's and the separated foreground's
keys now mark where on their bar that pixel's value lies; off the image, and in an exported grid, no mark."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from app.analysis.compare_grid import COLUMNS
from fosp_core.infer.result import Prediction
from tests.gui.test_analyst_s32_grid_hover import _window

FOCUS, FOREGROUND = COLUMNS[1], COLUMNS[3]


def _show(qtbot, make_window, tmp_path: Path):  # noqa: ANN001, ANN202
    window, probability = _window(qtbot, make_window, tmp_path)
    h, w = probability.shape
    ramp = np.linspace(0, 4, w, dtype=np.float32)[None, :].repeat(h, 0)  # max 4: relative = x / (w - 1)
    energy = {s: ramp.copy() for s in (32, 16, 8, 4)}
    window.analysis._show(Prediction(probability=probability, focus_map=1 - probability, foreground_energy=energy))
    grid = window.analysis.grid
    qtbot.waitUntil(lambda: not grid.drawing and grid.maps.picture(FOREGROUND) is not None, timeout=10000)
    return window, grid, probability


def _point(qtbot, grid, column: int, x: int, y: int) -> None:  # noqa: ANN001
    pos = grid.mapFromScene(grid.view_boxes[column].mapViewToScene(QPointF(x + 0.5, y + 0.5)))
    QTest.mouseMove(grid.viewport(), pos + QPoint(3, 2))
    qtbot.wait(30)
    QTest.mouseMove(grid.viewport(), pos)
    qtbot.wait(30)


def test_the_keys_mark_the_pointed_pixels_values(qtbot, make_window, tmp_path: Path) -> None:
    window, grid, probability = _show(qtbot, make_window, tmp_path)
    h, w = probability.shape
    for column, (x, y) in ((0, (10, 5)), (3, (50, 30)), (4, (w - 1, h - 1))):
        _point(qtbot, grid, column, x, y)
        focus, foreground = grid.keys[FOCUS].mark(), grid.keys[FOREGROUND].mark()
        assert focus is not None and abs(focus - (1 - probability[y, x])) < 1e-4, (column, focus)
        assert foreground is not None and abs(foreground - x / (w - 1)) < 1e-4, (column, foreground)
    _point(qtbot, grid, 2, 10, -3)  # above the image
    assert grid.keys[FOCUS].mark() is None and grid.keys[FOREGROUND].mark() is None


def test_an_exported_grid_has_no_mark(qtbot, make_window, tmp_path: Path) -> None:
    window, grid, _ = _show(qtbot, make_window, tmp_path)
    grid.export_png(tmp_path / "plain.png")
    _point(qtbot, grid, 1, 20, 20)
    assert grid.keys[FOCUS].mark() is not None
    grid.export_png(tmp_path / "pointed.png")
    assert QImage(str(tmp_path / "plain.png")) == QImage(str(tmp_path / "pointed.png"))
    assert grid.keys[FOCUS].mark() is not None  # the mark is back once written
