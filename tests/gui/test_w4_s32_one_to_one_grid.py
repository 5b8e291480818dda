"""1:1 and the other whole zooms (200 %, 400 %) put each image pixel on whole screen pixels, whatever
the sizes of the image and of the canvas: no screen pixel's centre lies on an image pixel's edge.

Where one did (an image of odd width in a viewport of even width at 1:1: the view centred on the
image is half a pixel off the pixel grid), which pixel a screen pixel shows was Qt's rounding, and
the photo (RGB) and a layer over it (RGBA, or a lookup table) were rounded apart: every analysis
layer was drawn one pixel right of the photo (tests/gui/test_layers_aligned.py failed once the Model
panel's sentence-case buttons, d2bf7f0b, left the canvas 416 px wide for a 301 px wide image).
"""

from __future__ import annotations

import numpy as np
import pytest

from app.canvas import Canvas
from tests.gui.canvas_helpers import pixels

SHAPES = [(733, 301), (211, 1517), (300, 400), (333, 517)]
VIEWPORTS = [(416, 614), (417, 614), (416, 615), (417, 615)]


def centres(canvas: Canvas) -> tuple[np.ndarray, np.ndarray]:
    """(x, y): the image coordinates of the viewport's pixel centres along a row and a column."""
    to_image = canvas.view_box.childGroup.deviceTransform(canvas.viewportTransform()).inverted()[0]
    u = np.arange(canvas.viewport().width()) + 0.5
    v = np.arange(canvas.viewport().height()) + 0.5
    return to_image.m11() * u + to_image.m31(), to_image.m22() * v + to_image.m32()


def on_edges(coords: np.ndarray) -> int:
    fraction = coords - np.floor(coords)
    return int(np.count_nonzero((fraction < 1e-6) | (fraction > 1 - 1e-6)))


def shown_canvas(qtbot, shape: tuple[int, int], viewport: tuple[int, int]) -> Canvas:  # noqa: ANN001
    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.resize(*viewport)
    canvas.show()
    qtbot.waitExposed(canvas)
    h, w = shape
    x, y = np.meshgrid(np.arange(w), np.arange(h))
    rgb = np.stack([(x * 37 + y * 11) % 256, (x * 13) % 256, (y * 29) % 256], axis=-1).astype(np.uint8)
    canvas.set_image(rgb)
    qtbot.wait(10)
    return canvas


def settled(qtbot, canvas: Canvas) -> None:  # noqa: ANN001
    """Drawn exactly (a zoom step shows a scaled preview first: app.zoom_preview)."""
    qtbot.wait(10)
    canvas.viewport().repaint()
    qtbot.waitUntil(lambda: not canvas.compositor.previewing, timeout=10_000)
    canvas.viewport().repaint()


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_whole_zooms_leave_no_screen_pixel_centre_on_an_image_pixel_edge(qtbot, shape, viewport) -> None:
    canvas = shown_canvas(qtbot, shape, viewport)
    for percent in (100.0, 200.0, 400.0, 100.0):
        canvas.set_zoom(percent)
        canvas.viewport().repaint()
        x, y = centres(canvas)
        assert abs(canvas.zoom_percent() - percent) < 1e-6
        assert (on_edges(x), on_edges(y)) == (0, 0), (percent, x[:3], y[:3])


@pytest.mark.parametrize("shape", [(733, 301), (300, 400)])
def test_a_layer_of_the_photos_own_pixels_covers_it_exactly_at_1_to_1(qtbot, shape) -> None:
    canvas = shown_canvas(qtbot, shape, (416, 614))
    canvas.set_zoom(100.0)
    settled(qtbot, canvas)
    photo = pixels(canvas)
    rgb = canvas.base.image
    layer = canvas.add_overlay("same pixels")
    layer.setImage(np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)]), autoLevels=False, levels=None)
    layer.setOpacity(1.0)
    settled(qtbot, canvas)
    covered = pixels(canvas)
    differ = np.any(photo != covered, axis=2)
    assert not differ.any(), f"{int(differ.sum())} screen pixels differ, e.g. (row, col) {np.argwhere(differ)[0]}"


@pytest.mark.parametrize("shape", [(733, 301), (333, 517)])
def test_1_to_1_at_once_after_an_image_opens_zooms_around_its_centre(qtbot, shape) -> None:
    """An image shown is fitted when the view next updates; 1:1 asked before that zoomed around the
    centre of the range before the fit (the last image's, or pyqtgraph's first 8 x 8): the image
    was off to a side, most of it out of view, and which depended on the event loop's timing."""
    canvas = shown_canvas(qtbot, (40, 60), (416, 614))
    h, w = shape
    canvas.set_image(np.zeros((h, w, 3), np.uint8))
    canvas.set_zoom(100.0)  # no event processed between
    centre = canvas.view_box.viewRect().center()
    assert abs(centre.x() - w / 2) <= 0.5 and abs(centre.y() - h / 2) <= 0.5, (centre, shape)
