"""The canvas's re-read of the pixel under a still cursor (3a65f057: a key zoom or pan, Fit) ran on every
view move, also where the pixel under the cursor stayed the one just said: a wheel notch zooms around the
cursor, a key zoom around the view's centre, so the readouts (the analysis readout reads every layer at the
pixel: 1.3-4 ms on a 4000x3000 result with 12 layers) read the same pixel again on each step, 15-20 % of a
key zoom step (session 32's comparison). It says a pixel again only where it changed, or where the image did.
Counts the canvas's signals (no timing)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF

from app.canvas import Canvas


def _canvas(qtbot, shape=(300, 400)):  # noqa: ANN001, ANN202
    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.resize(640, 480)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.set_image(np.zeros((*shape, 3), np.uint8))
    canvas.fit()
    qtbot.wait(10)
    said: list[object] = []
    canvas.hovered.connect(lambda x, y: said.append((x, y)))
    canvas.left.connect(lambda: said.append(None))
    return canvas, said


def _centre(canvas: Canvas) -> QPointF:
    """A scene point within the pixel at the view's centre (not on its edge, where a zoom's rounding decides)."""
    return canvas.view_box.mapViewToScene(canvas.view_box.viewRect().center() + QPointF(0.4, 0.4))


def test_a_zoom_around_the_cursor_says_its_pixel_once(qtbot) -> None:  # noqa: ANN001
    canvas, said = _canvas(qtbot)
    canvas.pointer_at(_centre(canvas))  # the mouse moved there: said once
    assert len(said) == 1 and said[0] is not None
    for factor in (1.25, 1.25, 1.25, 0.8, 0.8, 0.8):
        canvas.zoom_by(factor)  # around the view's centre: the same pixel under the cursor
    assert canvas.image_pixel_at(canvas._cursor) == said[0]
    assert said == [said[0]], said  # not said again for each step


def test_a_pan_under_a_still_cursor_still_says_the_new_pixel(qtbot) -> None:  # noqa: ANN001
    canvas, said = _canvas(qtbot)
    canvas.zoom_by(4.0)
    canvas.pointer_at(_centre(canvas))
    first = said[-1]
    rect = canvas.view_box.viewRect()
    canvas.view_box.setRange(rect.translated(10.0, 0.0), padding=0.0)  # a key pan: the image moved under it
    now = canvas.image_pixel_at(canvas._cursor)
    assert now != first and said[-1] == now


def test_another_image_under_the_same_pixel_is_read_again(qtbot) -> None:  # noqa: ANN001
    canvas, said = _canvas(qtbot)
    canvas.pointer_at(_centre(canvas))
    count = len(said)
    canvas.set_image(np.zeros((600, 800, 3), np.uint8))  # another size: fitted, the view moved
    qtbot.wait(20)
    assert len(said) == count + 1 and said[-1] == canvas.image_pixel_at(canvas._cursor)
