"""The canvas compositor (app/layer_compositor.py): the pixels of drawing every layer directly on
each paint, for a fraction of the work; and the fast autoDownsample (app/display_downsample.py)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pyqtgraph.functions as pg_functions
import pytest
from pyqtgraph import functions_qimage
from PySide6.QtGui import QImage

from app.canvas import Canvas
from app.display_downsample import block_mean_indices
from app.layer_compositor import LayerCompositor
from app.layer_item import LayerItem
from fosp_core.annotation.tool_state import Tool
from fosp_core.infer.result import Prediction
from fosp_core.io.masks import read_mask
from tests.gui.annotation_helpers import copy_demo, drag, open_and_wait


def _prediction_from_label(label: np.ndarray) -> Prediction:
    """A plausible probability map for a real label: its smoke blurred, plus smooth noise (a mask
    and an error map with real, ragged edges)."""
    smoke = cv2.GaussianBlur((label == 1).astype(np.float32), (0, 0), sigmaX=6)
    noise = cv2.resize(np.random.default_rng(0).random((12, 12), np.float32), label.shape[::-1])
    return Prediction(probability=np.clip(0.8 * smoke + 0.4 * (noise - 0.5), 0, 1).astype(np.float32))


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path):
    """A shown window on a demo photo with the layers of a review: probability, prediction mask and
    error map (from a prediction made from the photo's label) and the annotation mask."""
    win = make_window(show=True)
    win.annotation.controller.registry.projects_root = tmp_path / "projects"
    folder = copy_demo(demo_dir, tmp_path / "demo")
    open_and_wait(qtbot, win, folder)
    path = win.session.current_path
    label = read_mask(folder / "SegmentationClass" / f"{path.stem}.png")
    ctl = win.analysis
    for name in ("prediction mask", "error map"):
        ctl.layers.set_visible(name, True)
    ctl._show(_prediction_from_label(label))  # what a finished run shows, without a model
    assert ctl.label is not None and {"probability", "prediction mask", "error map"} <= set(ctl.arrays)
    win.annotation.controller.state.set_tool(Tool.BRUSH)
    win.annotation.controller.state.set_radius(3)
    qtbot.wait(20)
    return win


def _pixels(canvas: Canvas) -> np.ndarray:
    image = canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[..., :3].copy()


def _assert_as_drawn_directly(canvas: Canvas) -> np.ndarray:
    """The composited canvas (caches as they are) shows exactly what drawing every layer shows."""
    assert canvas.composited, "the compositor gave up (see the log)"
    cached = _pixels(canvas)
    canvas.set_composited(False)
    direct = _pixels(canvas)
    canvas.set_composited(True)
    differ = np.any(cached != direct, axis=2)
    assert not differ.any(), f"{int(differ.sum())} pixels differ, e.g. at (row, col) {np.argwhere(differ)[0]}"
    return cached


def _settle(canvas: Canvas) -> None:
    """Paint, then make the buffers the compositor makes once the canvas has been still a while."""
    canvas.viewport().repaint()
    canvas.compositor.make_buffers()


def _set_zoom(window, qtbot, zoom: str | float) -> None:  # noqa: ANN001
    canvas = window.canvas
    if zoom == "fit":
        canvas.fit()
    else:
        canvas.set_zoom(float(zoom))
    qtbot.wait(10)


@pytest.mark.parametrize("zoom", ["fit", 100.0, 400.0, 37.3, 251.7])
def test_the_layers_look_as_drawn_directly(window, qtbot, zoom) -> None:
    _set_zoom(window, qtbot, zoom)
    shown = _assert_as_drawn_directly(window.canvas)
    assert len(np.unique(shown.reshape(-1, 3), axis=0)) > 1000  # a photo with overlays, not a blank


@pytest.mark.parametrize("settled", [True, False])
@pytest.mark.parametrize("zoom", ["fit", 400.0, 251.7])
def test_after_threshold_moves_strokes_and_opacity_the_cache_stays_exact(window, qtbot, zoom, settled) -> None:
    """With the layers' buffers made (settled) or drawn straight (right after a zoom)."""
    ctl, canvas = window.analysis, window.canvas
    _set_zoom(window, qtbot, zoom)
    if settled:
        _settle(canvas)
    before = _pixels(canvas)
    if settled:
        _settle(canvas)
    for threshold in (0.3, 0.62, 0.45):
        ctl.settings.set_threshold(threshold)
        qtbot.wait(5)
    rect = canvas.view_box.viewRect()
    cx, cy = rect.center().x(), rect.center().y()
    step = max(2.0, rect.width() / 40)
    drag(window, [(cx + i * step, cy + (i % 3) * step / 2) for i in range(8)])
    qtbot.wait(5)
    if settled:
        _settle(canvas)
    ctl.layers.set_opacity("probability", 0.3)
    window.annotation.controller.layer.set_opacity(0.8)
    qtbot.wait(5)
    after = _assert_as_drawn_directly(canvas)
    assert np.any(after != before)  # the edits show
    ctl.layers.set_visible("error map", False)
    window.annotation.controller.layer.set_outline(True)
    qtbot.wait(5)
    _assert_as_drawn_directly(canvas)


def _drawn_items(monkeypatch) -> list[LayerItem]:  # noqa: ANN001
    """The LayerItems drawn (into the composite or a buffer) from now on."""
    drawn: list[LayerItem] = []
    original = LayerItem.draw
    monkeypatch.setattr(LayerItem, "draw", lambda item, painter: (drawn.append(item), original(item, painter)))
    return drawn


def test_an_unchanged_canvas_repaints_from_the_cache(window, qtbot, monkeypatch) -> None:
    viewport = window.canvas.viewport()
    viewport.repaint()
    drawn = _drawn_items(monkeypatch)
    viewport.repaint()
    viewport.repaint()
    assert drawn == []
    window.canvas.zoom_by(1.25)  # a new view draws every layer again
    viewport.repaint()
    assert window.canvas.base in drawn
    drawn.clear()
    qtbot.waitUntil(lambda: window.canvas.base in drawn, timeout=2000)  # its buffer, once still


def test_an_opacity_drag_only_blends(window, qtbot, monkeypatch) -> None:
    _settle(window.canvas)
    drawn = _drawn_items(monkeypatch)
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
    _settle(canvas)
    drawn = _drawn_items(monkeypatch)
    window.analysis.settings.set_threshold(0.7)
    canvas.viewport().repaint()
    names = {canvas.overlay(f"analysis:{n}"): n for n in ("prediction mask", "error map")}
    assert {names.get(item, item) for item in drawn} == {"prediction mask", "error map"}


def test_a_brush_segment_redraws_only_rows_near_it(window, qtbot, monkeypatch) -> None:
    canvas = window.canvas
    _set_zoom(window, qtbot, 400.0)
    rect = canvas.view_box.viewRect()
    cx, cy = rect.center().x(), rect.center().y()
    drag(window, [(cx - 20, cy - 20)])  # the mask has something in view (an empty one is not drawn)
    _settle(canvas)
    redraws = _group_redraws(monkeypatch)
    drag(window, [(cx, cy), (cx + 6, cy)])
    qtbot.wait(10)
    mask_root = window.annotation.controller.layer.root
    assert redraws and {root for root, _ in redraws} == {mask_root}
    radius, zoom = 3, 4
    assert max(height for _, height in redraws) <= (2 * radius + 2) * zoom + 8  # the disc's rows + margins
    _assert_as_drawn_directly(canvas)


def test_a_failing_compositor_falls_back_to_drawing_directly(window, qtbot, monkeypatch) -> None:
    canvas = window.canvas
    canvas.set_composited(False)
    expected = _pixels(canvas)
    canvas.set_composited(True)

    def broken(painter) -> None:  # noqa: ANN001
        raise RuntimeError("boom")

    monkeypatch.setattr(canvas.compositor, "paint", broken)
    canvas.viewport().repaint()
    assert not canvas.composited
    np.testing.assert_array_equal(_pixels(canvas), expected)


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
