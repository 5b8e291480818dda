"""A strip under a device pixel across is still seen on the canvas (task P, session 29's QA sweep).

A 1x4000 strip at zoom to fit (20 % in an 800 px canvas) showed nothing but the ground truth's
outline: the base image was drawn 0.2 px wide (Qt fills a pixel only where the target covers its
centre), and an analysis layer (``autoDownsample``) asked for 5 columns per screen pixel of a 1 column
image, an empty picture. Now a side under a pixel is drawn one whole device pixel across, as image
viewers do (napari, ImageJ), composited and drawn directly alike; an ordinary image is drawn as before."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication

from app.canvas import Canvas
from tests.gui.canvas_helpers import pixels

GREEN = np.zeros((256, 4), np.uint8)
GREEN[1:] = (0, 255, 0, 255)  # index 0 transparent, anything else opaque green


def _canvas(qtbot, composited: bool) -> Canvas:
    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.resize(800, 800)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.set_composited(composited)
    return canvas


def _settle(canvas: Canvas) -> None:
    for _ in range(3):
        QApplication.processEvents()
    canvas.fit()
    QApplication.processEvents()


def _red(shot: np.ndarray) -> np.ndarray:
    """Where the grab is red (BGRX from the helper's RGB32: red is the third channel)."""
    b, g, r = shot[..., 0].astype(int), shot[..., 1].astype(int), shot[..., 2].astype(int)
    return (r > 150) & (g < 80) & (b < 80)


def _green(shot: np.ndarray) -> np.ndarray:
    b, g, r = shot[..., 0].astype(int), shot[..., 1].astype(int), shot[..., 2].astype(int)
    return (g > 150) & (r < 80) & (b < 80)


@pytest.mark.parametrize("composited", [True, False])
@pytest.mark.parametrize("shape", [(4000, 1), (1, 4000)])
def test_a_strip_at_fit_is_seen(qtbot, composited: bool, shape: tuple[int, int]) -> None:
    canvas = _canvas(qtbot, composited)
    rgb = np.zeros((*shape, 3), np.uint8)
    rgb[..., 0] = 255
    canvas.set_image(rgb)
    _settle(canvas)
    assert canvas.zoom_percent() < 50  # under a pixel across
    red = _red(pixels(canvas))
    long_side = red.any(axis=1 if shape[1] == 1 else 0).sum()
    across = red.sum() / max(1, long_side)
    assert long_side > 600, long_side  # drawn along the canvas, ...
    assert 1 <= across <= 2, across  # ... one device pixel across (not stretched)

    layer = canvas.add_overlay("mask")  # an analysis layer as app.analysis.overlays draws one
    layer.setAutoDownsample(True)
    layer.setLookupTable(GREEN)
    layer.setImage(np.ones(shape, np.uint8), autoLevels=False, levels=(0, 255))
    _settle(canvas)
    green = _green(pixels(canvas))
    assert green.any(axis=1 if shape[1] == 1 else 0).sum() > 600


def test_an_ordinary_image_is_drawn_exactly_as_before(qtbot) -> None:
    canvas = _canvas(qtbot, True)
    rgb = np.zeros((300, 400, 3), np.uint8)
    rgb[:, :, 0] = 255
    canvas.set_image(rgb)
    _settle(canvas)
    red = _red(pixels(canvas))
    zoom = canvas.zoom_percent() / 100
    assert abs(red.any(axis=0).sum() - 400 * zoom) <= 1.5
    assert abs(red.any(axis=1).sum() - 300 * zoom) <= 1.5


def test_the_odd_strip_file_is_seen_in_the_window(qtbot, make_window, tmp_path) -> None:
    """The odd inputs' 1x20000 strip (tests/odd_inputs), opened in the window at zoom to fit (4 %)."""
    from tests.odd_inputs.images import IMAGES

    path = IMAGES["strip_1x20000"].make(tmp_path)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.resize(1024, 640)
    window.open_paths([path], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=20000)
    canvas = window.canvas
    _settle(canvas)
    assert canvas.zoom_percent() < 10
    shot = pixels(canvas).astype(int)
    background = shot[2, 2]
    differs = np.abs(shot - background).sum(axis=2) > 60
    assert differs.any(axis=0).sum() > canvas.width() * 0.8  # the strip, across the canvas
    assert differs.any(axis=1).sum() <= 2  # a device pixel high (two where the picture's edge falls)


@pytest.mark.parametrize("shape", [(4000, 1), (1, 4000)])
def test_the_pixel_drawn_for_a_strip_is_the_strips_under_the_cursor(qtbot, shape: tuple[int, int]) -> None:
    """Hovering (or painting on) the device pixel drawn for a strip under a pixel across names the
    strip's pixel: the cursor on the line the user sees was outside the 0.2 px the strip spans."""
    canvas = _canvas(qtbot, True)
    rgb = np.zeros((*shape, 3), np.uint8)
    rgb[..., 0] = 255
    canvas.set_image(rgb)
    _settle(canvas)
    rows, columns = np.nonzero(_red(pixels(canvas)))
    assert canvas.mapToScene(0, 0) == QPointF(0, 0)  # the scene is in viewport pixels
    shown = list(zip(rows, columns, strict=True))[:: max(1, len(rows) // 50)]
    for row, column in shown:
        hit = canvas.image_pixel_at(QPointF(column + 0.5, row + 0.5))  # the pixel's centre
        assert hit is not None, (row, column)
        assert 0 <= hit[0] < shape[1] and 0 <= hit[1] < shape[0]
    assert len(shown) > 10
    assert canvas.image_pixel_at(QPointF(columns.min() - 2.5, rows.min() + 0.5)) is None  # beside the line:
    assert canvas.image_pixel_at(QPointF(columns.min() + 0.5, rows.min() - 2.5)) is None  # off the image
