"""The τ contour stays on screen when the canvas is zoomed out. It was the one-image-pixel ring of
the Focus region drawn as an image layer: below 100 % the display shows block means of the image
(pyqtgraph's autoDownsample, ``app/display_downsample.py``), and a block that is only partly ring
averages to a lookup-table index of 0 (transparent), so at 25 % none of it was left. It is now also
traced as a line a few screen pixels wide (an :class:`~fosp_core.analysis.layers.Outline`)."""

from __future__ import annotations

import numpy as np

from app.analysis.overlays import LayerOverlays
from app.canvas import Canvas
from fosp_core.analysis.layers import SOLID_COLORS, LayerStack
from fosp_core.analysis.results import tau_contour
from tests.gui.canvas_helpers import pixels

YELLOW = SOLID_COLORS["yellow"]


def _hole(size: int = 400) -> np.ndarray:
    """bool (size, size): a disc (the Focus region) with a square gap in it."""
    yy, xx = np.mgrid[:size, :size]
    hole = (yy - size / 2) ** 2 + (xx - size / 2) ** 2 < (size * 0.35) ** 2
    hole[size // 2 - 20: size // 2 + 20, size // 2 - 20: size // 2 + 20] = False
    return hole


def _contour_pixels(canvas: Canvas, percent: float, qtbot) -> int:  # noqa: ANN001
    canvas.set_zoom(percent)
    qtbot.wait(10)
    assert abs(canvas.zoom_percent() - percent) < 0.5
    shot = pixels(canvas)[..., ::-1].astype(int)  # BGR -> RGB
    return int((np.abs(shot - YELLOW) <= 40).all(axis=-1).sum())


def test_the_tau_contour_is_as_visible_at_25_percent_as_at_100(qtbot) -> None:
    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.resize(400, 400)
    canvas.set_image(np.full((400, 400, 3), 90, np.uint8))
    stack = LayerStack()
    stack.set_visible("probability", False)
    overlays = LayerOverlays(canvas, stack)
    stack.events.changed.connect(overlays.on_layer_changed)
    hole = _hole()
    overlays.show({"τ contour": tau_contour(hole), "hole": hole})
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.fit()  # centred on the image
    qtbot.wait(10)
    # At 100 % the 400 px view shows the whole ring; at 25 % the image is a 100 px square, where
    # the ring is a quarter as long: at least that many pixels of a line one or more pixels wide.
    full = _contour_pixels(canvas, 100.0, qtbot)
    assert full >= tau_contour(hole).sum() * 0.9, full
    quarter = _contour_pixels(canvas, 25.0, qtbot)
    assert quarter >= 0.8 * full / 4, (quarter, full)
