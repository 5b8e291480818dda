"""The canvas compositor (app/layer_compositor.py): the pixels of drawing every layer directly on
each paint, for a fraction of the work; and the fast autoDownsample (app/display_downsample.py)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pyqtgraph.functions as pg_functions
import pytest
from pyqtgraph import functions_qimage

from app.canvas import Canvas
from app.display_downsample import block_mean_indices
from app.layer_compositor import LayerCompositor
from app.layer_item import LayerItem
from fosp_core.io.masks import read_mask
from tests.gui.annotation_helpers import drag
from tests.gui.canvas_helpers import (
    assert_as_drawn_directly,
    drawn_items,
    pixels,
    review_window,
    set_zoom,
    settle_buffers,
)


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path):
    return review_window(qtbot, make_window, demo_dir, tmp_path)


def test_the_layers_look_as_drawn_directly(window, qtbot) -> None:
    """Each zoom in turn in one window (a window a zoom cost ~0.4 s; what one zoom left drawn must not show)."""
    for zoom in ("fit", 100.0, 400.0, 37.3, 251.7):
        set_zoom(window, qtbot, zoom)
        shown = assert_as_drawn_directly(window.canvas)
        assert len(np.unique(shown.reshape(-1, 3), axis=0)) > 1000, zoom  # a photo with overlays, not a blank


def test_after_threshold_moves_strokes_and_opacity_the_cache_stays_exact(window, qtbot) -> None:
    """At each zoom, with the layers' buffers made (settled) or drawn straight (right after a zoom), in turn in
    one window (they were 6 tests, a window each: ~0.3 s of the 2-core CI's time a window). Each case starts
    from the window's own threshold, opacities, layers shown and outline (its strokes add to the earlier
    cases')."""
    ctl, canvas = window.analysis, window.canvas
    mask = window.annotation.controller.layer
    first = (ctl.settings.threshold, ctl.layers["probability"].opacity, ctl.layers["error map"].visible,
             mask.opacity, mask._outline)
    for settled in (True, False):
        for zoom in ("fit", 400.0, 251.7):  # each case at another zoom than the one before: no buffer kept
            case = f"zoom {zoom}, {'settled' if settled else 'drawn straight'}"
            threshold, opacity, error_map, mask_opacity, outline = first
            ctl.settings.set_threshold(threshold)
            ctl.layers.set_opacity("probability", opacity)
            ctl.layers.set_visible("error map", error_map)
            mask.set_opacity(mask_opacity)
            mask.set_outline(outline)
            set_zoom(window, qtbot, zoom)
            if settled:
                settle_buffers(canvas)
            before = pixels(canvas)
            if settled:
                settle_buffers(canvas)
            for threshold in (0.3, 0.62, 0.45):
                ctl.settings.set_threshold(threshold)
                qtbot.wait(5)
            rect = canvas.view_box.viewRect()
            cx, cy = rect.center().x(), rect.center().y()
            step = max(2.0, rect.width() / 40)
            drag(window, [(cx + i * step, cy + (i % 3) * step / 2) for i in range(8)])
            qtbot.wait(5)
            if settled:
                settle_buffers(canvas)
            ctl.layers.set_opacity("probability", 0.3)
            mask.set_opacity(0.8)
            qtbot.wait(5)
            after = assert_as_drawn_directly(canvas)
            assert np.any(after != before), case  # the edits show
            ctl.layers.set_visible("error map", False)
            mask.set_outline(True)
            qtbot.wait(5)
            assert_as_drawn_directly(canvas)


def test_an_unchanged_canvas_repaints_from_the_cache(window, qtbot, monkeypatch) -> None:
    viewport = window.canvas.viewport()
    viewport.repaint()
    drawn = drawn_items(monkeypatch)
    viewport.repaint()
    viewport.repaint()
    assert drawn == []
    window.canvas.zoom_by(1.25)  # a zoom step: a preview from the composite, then every layer drawn
    viewport.repaint()
    assert drawn == [] and window.canvas.compositor.previewing
    qtbot.waitUntil(lambda: window.canvas.base in drawn, timeout=2000)
    drawn.clear()
    qtbot.waitUntil(lambda: window.canvas.base in drawn, timeout=2000)  # its buffer, once still


def test_an_opacity_drag_only_blends(window, qtbot, monkeypatch) -> None:
    settle_buffers(window.canvas)
    drawn = drawn_items(monkeypatch)
    for opacity in (0.2, 0.4, 0.6):
        window.analysis.layers.set_opacity("probability", opacity)
        window.canvas.viewport().repaint()
    assert drawn == []


def _group_redraws(monkeypatch) -> list[tuple[LayerItem, int]]:  # noqa: ANN001
    """(group root, height of the redrawn band) for each group redrawn from now on."""
    redraws: list[tuple[LayerItem, int]] = []
    original = LayerCompositor._draw_group

    def spy(self, group, view_transform):  # noqa: ANN001, ANN202
        redraws.append((group.root, group.dirty.boundingRect().height()))
        return original(self, group, view_transform)

    monkeypatch.setattr(LayerCompositor, "_draw_group", spy)
    return redraws


def test_a_threshold_move_draws_only_the_thresholded_layers(window, qtbot, monkeypatch) -> None:
    canvas = window.canvas
    settle_buffers(canvas)
    drawn = drawn_items(monkeypatch)
    window.analysis.settings.set_threshold(0.7)
    canvas.viewport().repaint()
    names = {canvas.overlay(f"analysis:{n}"): n for n in ("prediction mask", "error map")}
    assert {names.get(item, item) for item in drawn} == {"prediction mask", "error map"}


def test_a_brush_segment_redraws_only_rows_near_it(window, qtbot, monkeypatch) -> None:
    canvas = window.canvas
    set_zoom(window, qtbot, 400.0)
    rect = canvas.view_box.viewRect()
    cx, cy = rect.center().x(), rect.center().y()
    drag(window, [(cx - 20, cy - 20)])  # the mask has something in view (an empty one is not drawn)
    settle_buffers(canvas)
    redraws = _group_redraws(monkeypatch)
    drag(window, [(cx, cy), (cx + 6, cy)])
    qtbot.wait(10)
    mask_root = window.annotation.controller.layer.root
    assert redraws and {root for root, _ in redraws} == {mask_root}
    radius, zoom = 3, 4
    assert max(height for _, height in redraws) <= (2 * radius + 2) * zoom + 8  # the disc's rows + margins
    assert_as_drawn_directly(canvas)


def test_a_failing_compositor_falls_back_to_drawing_directly(window, qtbot, monkeypatch) -> None:
    canvas = window.canvas
    canvas.set_composited(False)
    expected = pixels(canvas)
    canvas.set_composited(True)

    def broken(painter) -> None:  # noqa: ANN001
        raise RuntimeError("boom")

    monkeypatch.setattr(canvas.compositor, "paint", broken)
    canvas.viewport().repaint()
    assert not canvas.composited
    np.testing.assert_array_equal(pixels(canvas), expected)


# --- the fast autoDownsample -------------------------------------------------------------------
_LUT = np.zeros((256, 4), np.uint8)


def _pyqtgraph_indices(image: np.ndarray, xds: int, yds: int) -> np.ndarray:
    """What pyqtgraph's ImageItem.render does with autoDownsample: block means, then levels."""
    means = pg_functions.downsample(pg_functions.downsample(image, xds, axis=1), yds, axis=0)
    indices, _ = functions_qimage._rescale_and_lookup_float(np, means, np.asarray((0.0, 255.0)), _LUT,
                                                           forceApplyLut=False)
    return indices


@pytest.mark.parametrize("xds,yds", [(2, 2), (3, 3), (3, 2), (1, 3), (4, 1), (7, 5), (16, 16), (13, 20)])
def test_block_mean_indices_match_pyqtgraph(demo_dir: Path, xds: int, yds: int) -> None:
    label = read_mask(sorted((demo_dir / "SegmentationClass").glob("*.png"))[0])  # 0/1/255, real edges
    rng = np.random.default_rng(xds * 100 + yds)
    codes = rng.integers(0, 3, (yds * 37 + 3, xds * 29 + 5)).astype(np.uint8)  # an error map's 0/1/2
    for image in (label, label == 1, codes, rng.integers(0, 256, codes.shape).astype(np.uint8)):
        np.testing.assert_array_equal(block_mean_indices(image, xds, yds), _pyqtgraph_indices(image, xds, yds))


@pytest.mark.parametrize("xds,yds", [(16, 16), (8, 16), (1, 256), (256, 1), (2, 128)])
def test_block_mean_indices_match_pyqtgraph_on_exact_boundaries(xds: int, yds: int) -> None:
    """Blocks whose mean x 256/255 is a whole number: where pyqtgraph's float rounding decides."""
    count = xds * yds
    sums = [255 * k * count // 256 for k in range(257) if (255 * k * count) % 256 == 0]
    image = np.zeros((yds, xds * len(sums)), np.uint8)
    rng = np.random.default_rng(count)
    for i, total in enumerate(sums):
        values = np.full(count, total // count)
        values[: total % count] += 1
        rng.shuffle(values)
        image[:, i * xds:(i + 1) * xds] = values.reshape(yds, xds)
    np.testing.assert_array_equal(block_mean_indices(image, xds, yds), _pyqtgraph_indices(image, xds, yds))


def test_a_downsampled_layer_renders_as_pyqtgraph_renders_it(demo_dir: Path, qtbot) -> None:
    """A 2000x1500 error map shown at a third of its size: the same QImage as pyqtgraph's ImageItem."""
    import pyqtgraph as pg

    canvas = Canvas()
    canvas.resize(700, 500)
    qtbot.addWidget(canvas)
    canvas.show()
    label = read_mask(sorted((demo_dir / "SegmentationClass").glob("*.png"))[0])
    codes = cv2.resize(label, (2000, 1500), interpolation=cv2.INTER_NEAREST) % 3
    lut = np.zeros((256, 4), np.uint8)
    lut[1], lut[2] = (255, 0, 0, 255), (0, 0, 255, 255)
    ours, reference = canvas.add_overlay("ours"), pg.ImageItem(axisOrder="row-major")
    canvas.view_box.addItem(reference)
    for item in (ours, reference):
        item.setAutoDownsample(True)
        item.setLookupTable(lut, update=False)
        item.setImage(codes, autoLevels=False, levels=(0.0, 255.0))
    qtbot.wait(20)
    ours.render()
    reference.render()
    assert ours._lastDownsample == reference._lastDownsample and ours._lastDownsample[0] > 1
    assert ours.qimage == reference.qimage
