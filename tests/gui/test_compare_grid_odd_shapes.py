"""The compare grid's export of images of odd shapes (task P, session 29's QA sweep).

Its height followed the image's aspect without a cap (width 1800, each panel 1800/5 wide): a 1x4000
strip asked for an 1800 x 1 440 000 PNG that could not be saved, and the user read only "could not
write PATH". The panels are now letterboxed within an aspect of at most 4:1 either way (as a
figure tool fits an image into its axes): the grid is written, the strip in it, at least a pixel wide."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

from app.analysis.compare_grid import COLUMNS, CompareGrid
from fosp_core.infer.result import Prediction

PANEL_ASPECT = 4.0  # app.analysis.compare_grid.PANEL_ASPECT: a panel at most 4x as high as wide, and back


def _strip_grid(qtbot, h: int, w: int) -> tuple[CompareGrid, np.ndarray]:
    grid = CompareGrid()
    qtbot.addWidget(grid)
    rgb = np.zeros((h, w, 3), np.uint8)
    rgb[..., 0] = 255  # a red strip on the grid's dark grey
    probability = np.ones((h, w), np.float32)
    grid.set_content(rgb, Prediction(probability=probability, focus_map=probability, background=rgb,
                                     foreground_energy={4: probability}), None, 0.5)
    return grid, rgb


def _red_columns(image: QImage, top: int, bottom: int, left: int, right: int, step: int = 7) -> int:
    """How many columns of `image` between `left` and `right` hold a red pixel between rows `top`, `bottom`."""
    found = 0
    for x in range(left, right):
        if any(image.pixelColor(x, y).red() > 150 and image.pixelColor(x, y).green() < 80
               for y in range(top, bottom, step)):
            found += 1
    return found


def test_a_tall_strip_exports_letterboxed(qtbot, tmp_path: Path) -> None:
    grid, _ = _strip_grid(qtbot, 4000, 1)
    path = tmp_path / "strip-compare-grid.png"
    assert grid.export_png(path, width=1800)
    image = QImage(str(path))
    assert image.width() == 1800
    panel = 1800 / len(COLUMNS)
    assert image.height() <= panel * PANEL_ASPECT + 200  # titles and keys under 200 px
    assert _red_columns(image, 100, image.height() - 100, 0, int(panel)) >= 1  # the strip is there


def test_a_wide_strip_exports_letterboxed(qtbot, tmp_path: Path) -> None:
    grid, _ = _strip_grid(qtbot, 1, 4000)
    path = tmp_path / "wide-compare-grid.png"
    assert grid.export_png(path, width=1800)
    image = QImage(str(path))
    panel = 1800 / len(COLUMNS)
    assert image.height() >= panel / PANEL_ASPECT  # not a grid of titles over panels 0 px high
    assert _red_columns(image, 0, image.height(), 0, int(panel), step=1) >= panel / 2  # the strip, drawn across
