"""The ground truth is drawn with a second cue besides its colour: a dashed outline a few screen
pixels wide over a light fill, on the canvas, in an exported view and in the compare grid, all from
fosp_core.analysis.layers' GROUND_TRUTH_* (it was a sky-blue fill, lost over sky and smoke, and the
compare grid outlined it in a green of its own)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from app.analysis.compare_grid import CompareGrid
from app.analysis.overlays import OVERLAY_PREFIX, LayerOverlays, outline_item
from app.analysis.render import composite
from app.canvas import Canvas
from fosp_core.analysis.layers import GROUND_TRUTH_COLOUR, GROUND_TRUTH_OUTLINE, SOLID_COLORS, LayerStack

LIME = SOLID_COLORS[GROUND_TRUTH_COLOUR]


def _box(h: int = 120, w: int = 160) -> np.ndarray:
    mask = np.zeros((h, w), bool)
    mask[30:90, 40:120] = True
    return mask


def _is_lime(pixels: np.ndarray) -> np.ndarray:
    return (np.abs(pixels.astype(int) - LIME) <= 40).all(axis=-1)


def test_the_canvas_outlines_the_ground_truth_with_a_dashed_line(qtbot) -> None:
    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.resize(400, 300)
    canvas.set_image(np.zeros((120, 160, 3), np.uint8))
    stack = LayerStack()
    overlays = LayerOverlays(canvas, stack)
    stack.events.changed.connect(overlays.on_layer_changed)  # as the analysis controller does
    stack.set_visible("ground truth", True)
    overlays.show({"ground truth": _box()})
    item = canvas.overlay(OVERLAY_PREFIX + "ground truth")
    curve = outline_item(item)
    assert curve is not None
    pen = curve.opts["pen"]
    assert pen.isCosmetic() and pen.widthF() == GROUND_TRUTH_OUTLINE.width
    assert pen.style() == Qt.PenStyle.CustomDashLine and tuple(pen.dashPattern()) == GROUND_TRUTH_OUTLINE.dash
    assert pen.color().getRgb()[:3] == LIME
    x, y = curve.getData()
    assert (x.min(), x.max(), y.min(), y.max()) == (40.5, 119.5, 30.5, 89.5)  # the edge pixels' centres

    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.fit()
    shot = canvas.grab().toImage().convertToFormat(canvas.grab().toImage().Format.Format_RGB888)
    pixels = np.frombuffer(shot.constBits(), np.uint8).reshape(shot.height(), shot.bytesPerLine())
    pixels = pixels[:, : shot.width() * 3].reshape(shot.height(), shot.width(), 3)
    lime = _is_lime(pixels)
    rows = np.flatnonzero(lime.sum(axis=1) > 20)  # the top and bottom edges' rows
    assert rows.size >= 2, "no ground-truth outline on the canvas"
    top = lime[rows[0]]
    runs = np.flatnonzero(np.diff(top.astype(np.int8)) == 1)
    assert runs.size >= 5, "the top edge is not dashed"  # 3+2 line widths: ~12 px a period at 2.5 px

    stack.set_visible("ground truth", False)
    assert not curve.isVisible()  # a child of the layer's item: hidden with it
    overlays.show({})
    assert curve.getData()[0] is None or len(curve.getData()[0]) == 0


def test_the_exported_view_draws_the_outline_and_a_light_fill() -> None:
    stack = LayerStack()
    stack.set_visible("τ contour", False)
    stack.set_visible("probability", False)
    stack.set_visible("ground truth", True)
    rgb = np.full((120, 160, 3), (97, 135, 197), np.uint8)  # a demo image's sky
    out = composite(rgb, stack, {"ground truth": _box()})
    edge = _is_lime(out[29:33, 40:120]).any(axis=0)  # the top edge, 2 px wide from row 30
    assert 0.4 < edge.mean() < 0.8  # dashed: lime on about 3 of every 5 line widths
    inside = out[60, 80].astype(float)
    expected = 0.75 * np.array((97, 135, 197)) + 0.25 * np.array(LIME)  # the fill's 25 %
    assert np.abs(inside - expected).max() <= 1
    assert (out[5, 5] == rgb[5, 5]).all()


def test_the_compare_grid_draws_the_ground_truth_as_the_canvas_does(qtbot) -> None:
    grid = CompareGrid()
    qtbot.addWidget(grid)
    pen = grid.gt_outline.opts["pen"]
    assert pen.color().getRgb()[:3] == LIME and pen.isCosmetic()
    assert pen.widthF() == GROUND_TRUTH_OUTLINE.width and tuple(pen.dashPattern()) == GROUND_TRUTH_OUTLINE.dash


def test_the_ground_truth_swatch_shows_a_dashed_edge_and_a_light_fill(qtbot) -> None:
    from app.analysis.legend import key_image

    image = key_image(LayerStack()["ground truth"]).convertToFormat(key_image(LayerStack()["ground truth"]).Format.Format_RGB888)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    pixels = pixels[:, : image.width() * 3].reshape(image.height(), image.width(), 3)
    top, middle = _is_lime(pixels[0]), pixels[image.height() // 2, image.width() // 2]
    assert 0.4 < top.mean() < 0.9 and not _is_lime(middle)  # dashed edge, light fill
