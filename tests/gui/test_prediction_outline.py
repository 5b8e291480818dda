"""The prediction mask is edged with a solid line 2 screen pixels wide in a darker shade of its colour
(fosp_core.analysis.layers PREDICTION_*), on the canvas, in an exported view and in the compare grid:
its rose fill at 45 % was 3.9 ΔE00 from grey smoke, so where the mask ended over smoke was hard to see.
The line follows the mask threshold and new results, and lies under the ground truth's dashed one."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from app.analysis.compare_grid import CompareGrid
from app.analysis.overlays import OVERLAY_PREFIX, LayerOverlays, outline_item
from app.analysis.render import composite
from app.canvas import Canvas
from fosp_core.analysis.layers import PREDICTION_OUTLINE, SOLID_COLORS, LayerStack, thresholded_arrays
from fosp_core.infer.result import Prediction
from tests.gui.canvas_helpers import pixels

EDGE = LayerStack()["prediction mask"].outline_rgb()
ROSE = SOLID_COLORS["rose"]
LIME = SOLID_COLORS["lime"]


def _near(shot: np.ndarray, rgb: tuple[int, int, int] | None, tolerance: int = 12) -> np.ndarray:
    return (np.abs(shot.astype(int) - rgb) <= tolerance).all(axis=-1)


def _ramp(h: int = 120, w: int = 160) -> Prediction:
    """A probability rising from the left edge to the right: the mask at threshold t is the columns
    right of about t·w."""
    return Prediction(probability=np.broadcast_to(np.linspace(0, 1, w, dtype=np.float32), (h, w)).copy())


def _canvas(qtbot, stack: LayerStack) -> tuple[Canvas, LayerOverlays]:  # noqa: ANN001
    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.resize(400, 300)
    canvas.set_image(np.full((120, 160, 3), 128, np.uint8))
    overlays = LayerOverlays(canvas, stack)
    stack.events.changed.connect(overlays.on_layer_changed)  # as the analysis controller does
    stack.set_visible("probability", False)
    stack.set_visible("prediction mask", True)
    return canvas, overlays


def test_the_outline_follows_the_threshold_and_new_results(qtbot) -> None:
    stack = LayerStack()
    canvas, overlays = _canvas(qtbot, stack)
    prediction = _ramp()
    overlays.show(thresholded_arrays(prediction, 0.5))
    curve = outline_item(canvas.overlay(OVERLAY_PREFIX + "prediction mask"))
    assert curve is not None
    pen = curve.opts["pen"]
    assert pen.isCosmetic() and pen.widthF() == PREDICTION_OUTLINE.width and pen.style() == Qt.PenStyle.SolidLine
    assert pen.color().getRgb()[:3] == EDGE
    left = curve.getData()[0].min()
    assert abs(left - 0.5 * 160) <= 1.5  # the mask's left edge, where the ramp crosses 0.5

    overlays.refresh_thresholded(thresholded_arrays(prediction, 0.75))  # the threshold slider moved
    assert abs(curve.getData()[0].min() - 0.75 * 160) <= 1.5

    item = canvas.overlay(OVERLAY_PREFIX + "prediction mask")
    stack.set_opacity("prediction mask", 0.3)
    assert curve.opacity() == item.opacity() == 0.3  # faded with its layer
    item.setVisible(False)  # video mode hides the image's layers
    assert not curve.isVisible()
    item.setVisible(True)
    assert curve.isVisible()
    stack.set_visible("prediction mask", False)  # hidden: the line with it, redrawn when shown
    assert not curve.isVisible()
    overlays.refresh_thresholded(thresholded_arrays(prediction, 0.25))
    stack.set_visible("prediction mask", True)
    assert curve.isVisible() and abs(curve.getData()[0].min() - 0.25 * 160) <= 1.5

    box = np.zeros((120, 160), bool)
    box[30:90, 40:120] = True
    overlays.show({"prediction mask": box})  # a new result
    x, y = curve.getData()
    assert (x.min(), x.max(), y.min(), y.max()) == (40.5, 119.5, 30.5, 89.5)
    stack.set_colormap("prediction mask", "blue")
    assert curve.opts["pen"].color().getRgb()[:3] == stack["prediction mask"].outline_rgb() != EDGE


def test_the_canvas_draws_it_under_the_ground_truth_s_dashes(qtbot) -> None:
    stack = LayerStack()
    canvas, overlays = _canvas(qtbot, stack)
    stack.set_visible("ground truth", True)
    box = np.zeros((120, 160), bool)
    box[30:90, 40:120] = True
    overlays.show({"prediction mask": box, "ground truth": box})
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.fit()
    qtbot.wait(10)
    shot = pixels(canvas)[..., ::-1]  # BGR -> RGB
    edge, lime = _near(shot, EDGE), _near(shot, LIME, 40)
    rows = np.flatnonzero(lime.sum(axis=1) > 20)  # the top and bottom edges' rows
    assert rows.size >= 2
    top = rows[0]
    band = slice(top - 1, top + 3)
    columns = np.flatnonzero(lime[band].any(axis=0) | edge[band].any(axis=0))
    along = slice(columns.min() + 4, columns.max() - 4)  # the top edge, corners left out
    lime_on, edge_on = lime[band, along].any(axis=0), edge[band, along].any(axis=0)
    assert 0.4 < lime_on.mean() < 0.8  # the ground truth's dashes, on top
    assert (lime_on | edge_on).mean() > 0.95  # the prediction's line in the gaps between them
    inside = shot[shot.shape[0] // 2, shot.shape[1] // 2].astype(float)
    expected = 0.55 * 128 + 0.45 * np.array(ROSE) # its fill at 45 %, under the ground truth's 25 %
    expected = 0.75 * expected + 0.25 * np.array(LIME)
    assert np.abs(inside - expected).max() <= 3, (inside, expected)


def test_the_exported_view_edges_the_fill_in_the_darker_shade() -> None:
    stack = LayerStack()
    stack.set_visible("τ contour", False)
    stack.set_visible("probability", False)
    stack.set_visible("prediction mask", True)
    rgb = np.full((120, 160, 3), (120, 124, 140), np.uint8)  # a demo image's grey smoke
    box = np.zeros((120, 160), bool)
    box[30:90, 40:120] = True
    out = composite(rgb, stack, {"prediction mask": box})
    assert _near(out[30, 40:120], EDGE, 1).all() and _near(out[30:90, 40], EDGE, 1).all()
    expected = 0.55 * np.array((120, 124, 140)) + 0.45 * np.array(ROSE)
    assert np.abs(out[60, 80] - expected).max() <= 1
    assert (out[5, 5] == rgb[5, 5]).all()


def test_the_compare_grid_edges_its_prediction_panel_as_the_canvas_does(qtbot) -> None:
    grid = CompareGrid()
    qtbot.addWidget(grid)
    pen = grid.prediction_outline.opts["pen"]
    assert pen.color().getRgb()[:3] == EDGE and pen.isCosmetic() and pen.widthF() == PREDICTION_OUTLINE.width
    prediction = _ramp()
    grid.set_content(np.zeros((120, 160, 3), np.uint8), prediction, None, 0.5)
    x, _ = grid.prediction_outline.getData()
    assert abs(x.min() - 80) <= 1.5
    grid.set_content(None, None, None, 0.5)
    assert len(grid.prediction_outline.getData()[0]) == 0


def test_a_speckled_mask_is_not_traced(qtbot) -> None:
    """A noisy probability map thresholded is speckle, all edges: tracing it took 0.9 s a threshold
    move at 1920x1080 and its points 140 ms a repaint (bench_threshold.py's noisy map). It is not
    traced (its edge is an image instead: tests/gui/test_speckled_edge.py); a mask with a plume's
    long but smooth edge keeps its traced outline."""
    stack = LayerStack()
    canvas, overlays = _canvas(qtbot, stack)
    speckle = np.random.default_rng(0).random((600, 800)) > 0.5
    overlays.show({"prediction mask": speckle})
    curve = outline_item(canvas.overlay(OVERLAY_PREFIX + "prediction mask"))
    assert curve is not None and len(curve.getData()[0]) == 0
    assert canvas.overlay(OVERLAY_PREFIX + "prediction mask").image is not None  # the fill is drawn
    yy, xx = np.mgrid[:600, :800]
    wavy = yy > 300 + 40 * np.sin(xx / 7.0)  # a boundary some 3000 px long
    overlays.show({"prediction mask": wavy})
    assert len(curve.getData()[0]) > 100
