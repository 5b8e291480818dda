"""A speckled prediction (a noisy probability map at the threshold: a boundary longer than
OUTLINE_EDGE_BUDGET pixels) got no edge at all, and its 45 % rose fill alone did not show it: at zoom
to fit the canvas draws a block of a mask only where all of it is in the mask, so speckle vanished,
and nothing said so. Its edge is now drawn as an image at the display's resolution
(app.analysis.ragged_edge): the traced curve stays empty, the edge pixels show in the outline's
colour at every zoom, on the canvas and in an exported view."""

from __future__ import annotations

import numpy as np

from app.analysis.overlays import OVERLAY_PREFIX, LayerOverlays, outline_item
from app.analysis.ragged_edge import edge_item, edge_pixels
from app.analysis.render import composite, too_ragged
from app.canvas import Canvas
from fosp_core.analysis.layers import SOLID_COLORS, LayerStack
from tests.gui.canvas_helpers import assert_as_drawn_directly, pixels

EDGE = LayerStack()["prediction mask"].outline_rgb()
SMOKE = (120, 124, 140)  # a demo image's grey smoke
H, W = 1080, 1920


def _near(shot: np.ndarray, rgb: tuple[int, int, int] | None, tolerance: int = 2) -> np.ndarray:
    return (np.abs(shot.astype(int) - rgb) <= tolerance).all(axis=-1)


def _speckle(density: float = 0.5) -> np.ndarray:
    """A uniform noise map at the threshold (bench_threshold.py's noisy map): 1920x1080 of speckle,
    in the left half only (the right half stays bare)."""
    mask = np.random.default_rng(0).random((H, W)) < density
    mask[:, W // 2:] = False
    return mask


def _canvas(qtbot, stack: LayerStack) -> tuple[Canvas, LayerOverlays]:  # noqa: ANN001
    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.resize(800, 450)
    canvas.set_image(np.full((H, W, 3), SMOKE, np.uint8))
    overlays = LayerOverlays(canvas, stack)
    stack.events.changed.connect(overlays.on_layer_changed)  # as the analysis controller does
    stack.set_visible("probability", False)
    stack.set_visible("τ contour", False)
    stack.set_visible("prediction mask", True)
    canvas.show()
    qtbot.waitExposed(canvas)
    return canvas, overlays


def _shown(canvas: Canvas, qtbot) -> np.ndarray:  # noqa: ANN001
    qtbot.wait(10)
    canvas.viewport().repaint()
    qtbot.waitUntil(lambda: not canvas.compositor.previewing, timeout=10_000)
    # a layer over 1 MP gets its level from the background thread (a stand-in shown meanwhile)
    qtbot.waitUntil(lambda: not any(getattr(item, "standing_in", False) for item in canvas.scene().items()),
                    timeout=10000)
    canvas.viewport().repaint()
    return pixels(canvas)[..., ::-1]  # BGR -> RGB


def test_a_speckled_prediction_shows_its_edge_at_every_zoom(qtbot) -> None:
    stack = LayerStack()
    canvas, overlays = _canvas(qtbot, stack)
    speckle = _speckle()
    assert too_ragged(speckle)
    overlays.show({"prediction mask": speckle})
    item = canvas.overlay(OVERLAY_PREFIX + "prediction mask")
    assert len(outline_item(item).getData()[0]) == 0  # not traced: 1.4 M points
    edge = edge_item(item)
    assert edge is not None and edge.isVisible()
    canvas.fit()
    shot = _shown(canvas, qtbot)
    middle = shot.shape[0] // 2
    on = _near(shot[middle], EDGE)
    columns = np.flatnonzero(_near(shot[middle], SMOKE, 3) | on)  # the image's extent on screen
    left, right = columns.min(), columns.max()
    half = (left + right) // 2
    assert on[left + 2:half - 2].mean() > 0.9  # the speckled half: edge at every screen pixel
    assert not on[half + 2:right].any()  # the bare half: nothing
    assert_as_drawn_directly(canvas)

    canvas.set_zoom(4.0)  # 4 screen pixels an image pixel, around the middle of the image
    canvas.view_box.setRange(xRange=(W // 2 - 100, W // 2 - 0), yRange=(H // 2 - 50, H // 2 + 6), padding=0)
    shot = _shown(canvas, qtbot)
    on = _near(shot, EDGE)
    assert 0.2 < on.mean() < 0.8  # single speckles: edge pixels, between them the bare smoke
    assert _near(shot, SMOKE, 3).mean() > 0.1

    stack.set_opacity("prediction mask", 0.5)
    assert edge.effectiveOpacity() == 0.5  # faded with its layer
    stack.set_visible("prediction mask", False)
    assert not edge.isVisible()
    stack.set_visible("prediction mask", True)
    stack.set_colormap("prediction mask", "blue")
    assert tuple(edge.lut[255, :3]) == stack["prediction mask"].outline_rgb() != EDGE


def test_a_smooth_mask_after_speckle_is_traced_again(qtbot) -> None:
    stack = LayerStack()
    canvas, overlays = _canvas(qtbot, stack)
    overlays.show({"prediction mask": _speckle(0.05)})  # sparse speckle: still ragged
    item = canvas.overlay(OVERLAY_PREFIX + "prediction mask")
    edge = edge_item(item)
    assert edge is not None and edge.image is not None
    box = np.zeros((H, W), bool)
    box[300:700, 400:1200] = True
    overlays.refresh_thresholded({"prediction mask": box})  # the threshold moved
    assert edge.image is None and not edge.isVisible()
    x, y = outline_item(item).getData()
    assert (x.min(), x.max(), y.min(), y.max()) == (400.5, 1199.5, 300.5, 699.5)


def test_the_edge_pixels_are_the_mask_pixels_with_a_neighbour_outside() -> None:
    mask = np.zeros((7, 9), bool)
    mask[1:6, 1:8] = True
    mask[0, 0] = True  # on the image's border: all edge
    expected = mask.copy()
    expected[2:5, 2:7] = False  # the interior
    assert (edge_pixels(mask) == expected * 255).all()


def test_an_exported_view_of_a_speckled_prediction_shows_its_edge() -> None:
    stack = LayerStack()
    for name in ("τ contour", "probability"):
        stack.set_visible(name, False)
    stack.set_visible("prediction mask", True)
    speckle = _speckle()
    out = composite(np.full((H, W, 3), SMOKE, np.uint8), stack, {"prediction mask": speckle})
    on = _near(out, EDGE, 1)
    assert on[:, : W // 2].mean() > 0.4 and not on[:, W // 2:].any()
    assert (on == (edge_pixels(speckle) > 0)).all()
    rose_fill = np.rint(0.55 * np.array(SMOKE) + 0.45 * np.array(SOLID_COLORS["rose"]))
    inside = speckle & ~on  # the few pixels whose 4 neighbours are all in the mask: the fill
    assert inside.any() and _near(out, rose_fill, 1)[inside].all()
