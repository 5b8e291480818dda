"""The brush outline was a bare 1.5 px ring in the tool's colour: the eraser's white and the ignore
band's yellow vanished over white cloud and bright sky (the backdrop of most smoke photos), and the
brush's salmon over a salmon mask. The outline, and the polygon and lasso paths, now have a dark halo
under the colour: seen over white as over black."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF

from app.annotation.brush_cursor import BrushCursor, PathPreview
from tests.gui.canvas_helpers import pixels

RADIUS = 30


def _canvas(qtbot, make_window, value: int):  # noqa: ANN001, ANN202
    window = make_window(show=True)
    qtbot.waitExposed(window)
    canvas = window.canvas
    canvas.set_image(np.full((200, 200, 3), value, np.uint8))
    canvas.fit()
    qtbot.wait(50)
    return canvas


def _ring_contrast(canvas, background: int) -> int:  # noqa: ANN001
    """The largest difference of luma from `background` on the ring's right-hand side (a few device
    pixels): cyan over white differs in its red alone, 92 of 255 in luma."""
    scene = canvas.view_box.mapViewToScene(QPointF(100.5 + RADIUS + 0.5, 100.5))
    point = canvas.mapFromScene(scene)
    grabbed = pixels(canvas).astype(float) @ np.array([0.114, 0.587, 0.299])  # BGRA's B, G, R
    ratio = canvas.devicePixelRatioF()
    x, y = round(point.x() * ratio), round(point.y() * ratio)
    patch = grabbed[y - 4:y + 5, x - 4:x + 5]
    return int(np.abs(patch - background).max())


def test_a_white_outline_shows_over_a_white_image(qtbot, make_window) -> None:
    canvas = _canvas(qtbot, make_window, 255)
    cursor = BrushCursor(canvas)
    cursor.set_color("#ffffff")  # the eraser's
    cursor.set_radius(RADIUS)
    cursor.move_to(100, 100)
    cursor.show()
    qtbot.wait(50)
    assert _ring_contrast(canvas, 255) >= 120


def test_the_outline_still_shows_over_a_black_image(qtbot, make_window) -> None:
    canvas = _canvas(qtbot, make_window, 0)
    cursor = BrushCursor(canvas)
    cursor.set_color("#ffd600")  # the ignore band's
    cursor.set_radius(RADIUS)
    cursor.move_to(100, 100)
    cursor.show()
    qtbot.wait(50)
    assert _ring_contrast(canvas, 0) >= 120


def test_a_polygon_path_shows_over_a_white_image(qtbot, make_window) -> None:
    canvas = _canvas(qtbot, make_window, 255)
    preview = PathPreview(canvas)
    preview.show_points([(100 + RADIUS, 60), (100 + RADIUS, 140)])  # a vertical line through the probe
    qtbot.wait(50)
    assert _ring_contrast(canvas, 255) >= 120
