"""Pixel inspection in the compare grid (Analysis ▸ Compare, the paper's Fig. 7): hovering a panel said
nothing, neither where the cursor was nor any value, while the same pixel on the canvas read x, y, RGB,
p, focus...: an analyst comparing the Focus Map with the image could not read the value of what they
pointed at. Over any of the five panels, the status bar now reads that pixel of the image, as the canvas
does; between the panels and off the image it reads nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtTest import QTest

from fosp_core.infer.result import Prediction

SHAPE = (45, 71)  # odd, not square


def _window(qtbot, make_window, tmp_path: Path):  # noqa: ANN001, ANN202
    h, w = SHAPE
    path = tmp_path / "odd.png"
    Image.fromarray(np.random.default_rng(5).integers(0, 255, (h, w, 3), np.uint8)).save(path)
    window = make_window(show=True)
    window.resize(1400, 800)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([path], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10000)
    probability = (np.arange(h * w, dtype=np.float32) / (h * w)).reshape(h, w)  # a value per pixel
    window.analysis._show(Prediction(probability=probability, focus_map=1 - probability))
    window.analysis.grid_dock.show()
    qtbot.waitUntil(lambda: window.analysis.grid._shape == SHAPE)
    qtbot.wait(50)
    return window, probability


def _pos(grid, column: int, x: float, y: float) -> QPoint:  # noqa: ANN001
    """The grid's viewport position over (x, y) of the image in panel `column`."""
    scene = grid.view_boxes[column].mapViewToScene(QPointF(x, y))
    return grid.mapFromScene(scene)


def _move(qtbot, grid, pos: QPoint) -> None:  # noqa: ANN001
    QTest.mouseMove(grid.viewport(), pos + QPoint(3, 2))  # a move to where the last one left it is dropped
    qtbot.wait(30)
    QTest.mouseMove(grid.viewport(), pos)
    qtbot.wait(30)


def test_hovering_a_panel_reads_its_pixel(qtbot, make_window, tmp_path: Path) -> None:
    """Each of the 5 panels in turn in one window (a window a panel cost ~0.45 s)."""
    window, probability = _window(qtbot, make_window, tmp_path)
    grid = window.analysis.grid
    rgb = window.session.current_image.rgb
    for column in range(5):
        for x, y in ((3, 4), (SHAPE[1] - 1, SHAPE[0] - 1), (40, 20)):
            _move(qtbot, grid, _pos(grid, column, x + 0.5, y + 0.5))
            r, g, b = (int(v) for v in rgb[y, x])
            assert window.readouts.pixel.text() == f"x {x:>5}  y {y:>5}   RGB {r:>3} {g:>3} {b:>3}", (column, x, y)
            text = window.analysis.hover_label.text()
            assert f"p {probability[y, x]:.3f}" in text and f"focus {1 - probability[y, x]:.3f}" in text, (column, text)


def test_between_panels_and_off_the_grid_it_reads_nothing(qtbot, make_window, tmp_path: Path) -> None:
    window, _ = _window(qtbot, make_window, tmp_path)
    grid = window.analysis.grid
    _move(qtbot, grid, _pos(grid, 2, 10.5, 10.5))
    assert window.readouts.pixel.text().startswith("x    10  y    10")
    _move(qtbot, grid, _pos(grid, 2, 10.5, -2.0))  # above the image, in its panel's column
    assert window.readouts.pixel.text() == "" and window.analysis.hover_label.text() == ""
    _move(qtbot, grid, _pos(grid, 2, 10.5, 10.5))
    assert window.readouts.pixel.text().startswith("x    10  y    10")
    QTest.mouseMove(window.canvas.viewport(), QPoint(1, 1))  # the cursor goes to the canvas's corner, off its image
    qtbot.wait(30)
    assert window.readouts.pixel.text() == ""
