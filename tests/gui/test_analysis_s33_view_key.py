"""The compositor keeps each layer's pixels for the view they were drawn at (app/layer_compositor.py), and
told views apart by their exact transforms: a pan there and back before a paint (a drag's moves
coalesced, 101.3 image pixels at fit) left 5.6e-17 in the scale, so every layer was drawn again and its
kept pixels dropped. Views are now told apart to 1/64 of a device pixel at the corners of a rectangle
holding any image (app.layer_painter._transform_key, LAYER_EXTENT): float noise keeps the pixels; a pan of
a thirty-second of a pixel, or a zoom moving the far side of the image by a tenth of one, draws again, and
the canvas shows what drawing every layer directly shows."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QTransform

from app.canvas import Canvas
from app.layer_painter import KEY_STEPS, _transform_key
from tests.gui.canvas_helpers import assert_as_drawn_directly, drawn_items, settle_buffers

SHAPE = (1100, 1500)
ZOOM = 73.7  # percent: below 1:1, off the whole zooms


def _canvas(qtbot) -> Canvas:  # noqa: ANN001
    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.resize(900, 700)
    canvas.show()
    qtbot.waitExposed(canvas)
    h, w = SHAPE
    rng = np.random.default_rng(4)
    canvas.set_image(rng.integers(0, 255, (h, w, 3), np.uint8))
    for name in ("a", "b"):
        layer = canvas.add_overlay(name)
        layer.setImage(rng.integers(0, 255, (h, w), np.uint8))
        layer.setOpacity(0.6)
    canvas.fit()
    qtbot.wait(20)
    canvas.set_zoom(ZOOM)  # room to pan (a fit leaves none: a pan there is undone by a zoom)
    qtbot.wait(20)
    canvas.viewport().repaint()
    qtbot.waitUntil(lambda: not canvas.compositor.previewing, timeout=10_000)
    settle_buffers(canvas)
    return canvas


def _transform(canvas: Canvas) -> tuple[float, ...]:
    m = canvas.view_box.childGroup.deviceTransform(canvas.viewportTransform())
    return (m.m11(), m.m12(), m.m21(), m.m22(), m.dx(), m.dy())


def test_a_pan_back_within_float_noise_keeps_the_layers_pixels(qtbot, monkeypatch) -> None:
    canvas = _canvas(qtbot)
    before = _transform(canvas)
    drawn = drawn_items(monkeypatch)
    noisy = False
    for d in np.arange(1, 40) * 37.3:  # there and back before a paint: float noise at most
        canvas.view_box.translateBy(x=d, y=d / 2)
        canvas.view_box.translateBy(x=-d, y=-d / 2)
        noisy |= _transform(canvas) != before
        assert np.allclose(_transform(canvas), before, rtol=0, atol=1e-9)
        canvas.viewport().repaint()
        settle_buffers(canvas)
    assert noisy, "no pan left noise in the transform: the test shows nothing"
    assert drawn == [], f"{len(drawn)} layer draws for a view within float noise of the one drawn"
    assert_as_drawn_directly(canvas)


@pytest.mark.parametrize("move", ["pan 1/32 px", "pan 0.4 px", "zoom: far side 0.1 px"])
def test_a_view_a_fraction_of_a_pixel_away_is_drawn_again(qtbot, monkeypatch, move: str) -> None:
    canvas = _canvas(qtbot)
    per_pixel = 100.0 / canvas.zoom_percent()  # image pixels a device pixel (offscreen: dpr 1)
    drawn = drawn_items(monkeypatch)
    if move.startswith("pan"):
        shift = 1 / 32 if "1/32" in move else 0.4
        canvas.view_box.translateBy(x=shift * per_pixel)
    else:  # the scale changed so that the image's far side moves a tenth of a pixel
        m = canvas.view_box.childGroup.transform()
        scale = 1 + 0.1 / (SHAPE[1] * m.m11())
        canvas.view_box.childGroup.setTransform(QTransform(m.m11() * scale, 0, 0, m.m22() * scale, m.dx(), m.dy()))
    canvas.viewport().repaint()
    qtbot.waitUntil(lambda: not canvas.compositor.previewing, timeout=10_000)
    settle_buffers(canvas)
    assert drawn, f"{move}: the layers' pixels of the view before were shown"
    assert_as_drawn_directly(canvas)


def test_the_key_tells_views_apart_at_the_layers_corners() -> None:
    extent = QRectF(0, 0, 4000, 3000)
    base = QTransform(0.25, 0, 0, 0.25, 33.0, 15.0)
    key = _transform_key(base, extent)
    noise = QTransform(0.25 + 5.6e-17, 0, 0, 0.25, 33.0 + 1e-12, 15.0 - 1e-12)
    assert _transform_key(noise, extent) == key
    far_side = QTransform(0.25 * (1 + 0.1 / 1000), 0, 0, 0.25, 33.0, 15.0)  # 0.1 px at x = 4000
    assert _transform_key(far_side, extent) != key
    assert _transform_key(far_side, QRectF(0, 0, 10, 10)) == _transform_key(base, QRectF(0, 0, 10, 10))
    assert _transform_key(QTransform(0.25, 0, 0, 0.25, 33.0 + 2 / KEY_STEPS, 15.0), extent) != key
    hidpi = QTransform(0.25, 0, 0, 0.25, 33.0 + 0.75 / KEY_STEPS, 15.0)  # under a step in logical px
    assert _transform_key(hidpi, extent, dpr=2.0) != _transform_key(base, extent, dpr=2.0)



def test_a_stroke_into_an_empty_tile_of_the_mask_draws_the_tiles_rows_only(qtbot, make_window, tmp_path,
                                                                          monkeypatch) -> None:
    """The key is of the transform alone: the mask's group grows as a stroke gives an empty tile its
    picture (512 px tiles, each without one until painted); a key made of the group's bounds (e6aeb5dd)
    changed with it, and the mask was drawn over the whole viewport and its kept pixels dropped, where the
    new tile's rows are what changed."""
    from PySide6.QtGui import QPainter

    from app.layer_item import LayerItem
    from fosp_core.annotation.tool_state import Tool
    from tests.gui.annotation_helpers import drag
    from tests.gui.odd_window import odd_photo_window

    window = odd_photo_window(qtbot, make_window, tmp_path, SHAPE, seed=6)
    window.annotation.controller.state.set_tool(Tool.BRUSH)
    canvas = window.canvas
    canvas.fit()
    qtbot.wait(20)
    h, w = SHAPE
    drag(window, [(w * 0.1, h * 0.1), (w * 0.12, h * 0.1)])  # in the first tile
    canvas.viewport().repaint()
    qtbot.waitUntil(lambda: not canvas.compositor.previewing, timeout=10_000)
    settle_buffers(canvas)
    root = window.annotation.controller.layer.root
    bounds = root.childrenBoundingRect()
    whole: list[LayerItem] = []
    real, limit = LayerItem.draw, canvas.viewport().height() * 0.9

    def spy(item: LayerItem, painter: QPainter) -> None:
        clip = painter.clipBoundingRect()
        if clip.isEmpty() or clip.height() > limit:
            whole.append(item)
        real(item, painter)

    monkeypatch.setattr(LayerItem, "draw", spy)
    drag(window, [(w * 0.85, h * 0.85), (w * 0.87, h * 0.85)])  # in the last tile, empty until now
    canvas.viewport().repaint()
    assert root.childrenBoundingRect() != bounds  # the group grew
    assert whole == [], f"a stroke drew {len(whole)} layer items over the whole viewport"
    assert_as_drawn_directly(canvas)
