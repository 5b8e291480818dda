"""The compare grid's panels are equal columns whose images fill them (aspect kept), at any size: its
linked aspect-locked panels had unequal columns (the titles differ in width) and passed each other their
widened view ranges, which grew at every resize: after shrinking the window the images were about 15 px
wide in 150 px panels. Now the view range is the same after any number of resizes, each panel shows the
image at the same on-screen size (within a pixel), as large as the panel allows: at 1366x768, in a
narrow window and in a narrow floating dock."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app.analysis.compare_grid import COLUMNS, CompareGrid
from app.main_window import MainWindow
from app.services import CollectingErrorReporter, Services
from fosp_core.infer.result import Prediction
from fosp_core.io.images import read_image
from tests.conftest import DEMO_DIR

SAMPLE = next(iter(sorted((DEMO_DIR / "JPEGImages").glob("*.jpg"))), None)  # a real SmokeSeg photo, bundled


def _content(grid: CompareGrid, rgb: np.ndarray) -> None:
    """`rgb` with a made-up result and label, so every title is its longest (threshold, ground truth)."""
    h, w = rgb.shape[:2]
    ramp = np.tile(np.linspace(0, 1, w, dtype=np.float32), (h, 1))
    prediction = Prediction(probability=ramp, focus_map=ramp, foreground_energy={4: ramp}, background=rgb)
    grid.set_content(rgb, prediction, (ramp > 0.5).astype(np.uint8), 0.5, "core:0.7")


def _shown(grid: CompareGrid) -> list[tuple[float, float, float, float]]:
    """Each panel's (image width, image height, panel width, panel height) on screen, pixels."""
    out = []
    for box, column in zip(grid.view_boxes, COLUMNS, strict=True):
        box.updateMatrix()  # (pyqtgraph maps the view range to the panel as it paints next)
        panel = box.sceneBoundingRect()
        item = grid.items[column]
        image = item.mapRectToScene(item.boundingRect()).intersected(panel)
        out.append((image.width(), image.height(), panel.width(), panel.height()))
    return out


def _assert_filled_equally(grid: CompareGrid) -> None:
    shown = _shown(grid)
    for values in zip(*shown, strict=True):
        assert max(values) - min(values) <= 1.0, shown  # equal panels, the image equal in each
    image_w, image_h, panel_w, panel_h = shown[0]
    assert min(panel_w - image_w, panel_h - image_h) <= 1.0, shown  # as large as the panel allows
    assert image_w > 0 and image_h > 0


def _shown_grid(qtbot, width: int) -> CompareGrid:
    """A compare grid `width` x 240 on screen, showing a black 400x300 image with made-up results."""
    grid = CompareGrid()
    qtbot.addWidget(grid)
    grid.resize(width, 240)
    grid.show()
    qtbot.waitExposed(grid)
    _content(grid, np.zeros((300, 400, 3), np.uint8))
    QApplication.processEvents()
    return grid


def test_the_view_range_and_the_panels_stay_put_across_resizes(qtbot) -> None:
    grid = _shown_grid(qtbot, 1366)
    first = grid.view_boxes[0].viewRange()
    _assert_filled_equally(grid)
    for _ in range(6):
        for size in ((700, 200), (430, 260), (1366, 240)):
            grid.resize(*size)
            QApplication.processEvents()
            _assert_filled_equally(grid)
    assert np.allclose(grid.view_boxes[0].viewRange(), first)
    for box in grid.view_boxes:
        assert np.allclose(box.viewRange(), first)


def test_a_zoom_in_one_panel_is_shown_in_all(qtbot) -> None:
    grid = _shown_grid(qtbot, 1000)
    box = grid.view_boxes[2]
    box.scaleBy((0.5, 0.5))
    box.sigRangeChangedManually.emit([True, True])  # as the wheel does
    QApplication.processEvents()
    for other in grid.view_boxes:
        assert np.allclose(other.viewRange(), box.viewRange())
    grid.fit()
    _assert_filled_equally(grid)


def test_in_the_window_at_1366x768_and_in_narrow_docks(qtbot, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
    qtbot.addWidget(window)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    dock, grid = window.analysis.grid_dock, window.analysis.grid
    dock.show()
    QApplication.processEvents()  # (its visibility change shows the window's image: none)
    assert SAMPLE is not None
    _content(grid, read_image(SAMPLE).rgb)
    QApplication.processEvents()
    _assert_filled_equally(grid)
    first = grid.view_boxes[0].viewRange()
    for size in ((900, 600), (1366, 768), (800, 600), (1366, 768)):
        window.resize(*size)
        QApplication.processEvents()
        _assert_filled_equally(grid)
    assert np.allclose(grid.view_boxes[0].viewRange(), first)
    dock.setFloating(True)
    dock.resize(480, 260)
    QApplication.processEvents()
    _content(grid, read_image(SAMPLE).rgb)  # (floated, shown again: it showed the window's image, none)
    QApplication.processEvents()
    _assert_filled_equally(grid)
    assert grid.view_boxes[0].sceneBoundingRect().height() > 60  # titles wrapped, not the panels squeezed away
