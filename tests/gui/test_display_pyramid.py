"""The display pyramid (app/display_pyramid.py): pyqtgraph's own downsampled QImages, each factor
rendered once per image, the factors a zoom needs rendered ahead on a background thread."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pyqtgraph as pg
import pytest

from app import display_pyramid
from app.analysis.render import lookup_table
from app.canvas import Canvas
from app.display_pyramid import render_level, wanted_factors
from fosp_core.io.masks import read_mask

FACTORS = [(1, 1), (2, 2), (3, 3), (3, 2), (1, 3), (4, 1), (5, 5), (7, 6)]


def _layers(demo_dir: Path) -> dict[str, tuple[np.ndarray, tuple[float, float], np.ndarray | None]]:
    """(image, levels, table) of each kind of analysis layer, made from a real photo and label."""
    photo = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    rgb = cv2.cvtColor(cv2.imread(str(photo)), cv2.COLOR_BGR2RGB)[:301, :407]
    label = read_mask(demo_dir / "SegmentationClass" / f"{photo.stem}.png")[:301, :407]
    probability = cv2.GaussianBlur((label == 1).astype(np.float32), (0, 0), 5)
    energy = probability * 3.7
    return {
        "scalar": (probability, (0.0, 1.0), lookup_table("scalar", "inferno")),
        "scalar from its max": (energy, (0.0, float(energy.max())), lookup_table("scalar", "magma")),
        "binary": ((label == 1).view(np.uint8), (0.0, 255.0), lookup_table("binary", "red")),
        "bool": (label == 1, (0.0, 255.0), lookup_table("binary", "cyan")),
        "error": (label % 3, (0.0, 255.0), lookup_table("error", "red/blue")),
        "rgb": (rgb, (0.0, 255.0), None),
    }


@pytest.mark.parametrize("factors", FACTORS)
def test_levels_are_what_pyqtgraph_renders(demo_dir: Path, qtbot, factors) -> None:
    for kind, (image, levels, lut) in _layers(demo_dir).items():
        reference = pg.ImageItem(axisOrder="row-major")
        reference.setAutoDownsample(True)
        reference.setLookupTable(lut, update=False)
        reference.setImage(image, autoLevels=False, levels=levels)
        reference._computeDownsampleFactors = lambda f=factors: f  # as a view at that zoom would
        reference.render()
        ours = render_level(reference.image, reference.levels, reference.lut, factors)
        if kind == "bool" and factors == (1, 1):  # pyqtgraph's makeARGB road: the item renders it so
            assert ours is None
            continue
        assert ours is not None and ours == reference.qimage, f"{kind} at {factors}"


def test_a_map_with_nans_is_left_to_pyqtgraph() -> None:
    image = np.ones((40, 40), np.float32)
    image[3, 5] = np.nan
    assert render_level(image, np.asarray((0.0, 1.0)), lookup_table("scalar", "inferno"), (2, 2)) is None


def test_wanted_factors_run_from_the_current_one_to_one_below_fit() -> None:
    assert wanted_factors((3, 3), 3) == [(3, 3), (2, 2), (4, 4), (1, 1)]
    assert wanted_factors((1, 1), 2)[0] == (1, 1) and set(wanted_factors((1, 1), 2)) == {(1, 1), (2, 2), (3, 3)}


@pytest.fixture()
def canvas(qtbot):
    canvas = Canvas()
    canvas.resize(700, 500)
    qtbot.addWidget(canvas)
    canvas.show()
    return canvas


def _probability_layer(canvas: Canvas, demo_dir: Path):  # noqa: ANN202
    """A 2400x1800 probability layer over a photo of that size (a third of it shows at fit)."""
    photo = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    canvas.set_image(cv2.resize(cv2.cvtColor(cv2.imread(str(photo)), cv2.COLOR_BGR2RGB), (2400, 1800)))
    label = read_mask(demo_dir / "SegmentationClass" / f"{photo.stem}.png")
    probability = cv2.resize(cv2.GaussianBlur((label == 1).astype(np.float32), (0, 0), 5), (2400, 1800))
    item = canvas.add_overlay("probability")
    item.setAutoDownsample(True)
    item.setLookupTable(lookup_table("scalar", "inferno"), update=False)
    item.setImage(probability, autoLevels=False, levels=(0.0, 1.0))
    item.setOpacity(0.5)
    return item


def _count_renders(monkeypatch) -> list[tuple[tuple[int, int], str]]:  # noqa: ANN001
    """(factors, thread name) of each level rendered from now on."""
    calls: list[tuple[tuple[int, int], str]] = []
    original = display_pyramid.render_level

    def spy(image, levels, lut, factors):  # noqa: ANN001, ANN202
        calls.append((factors, threading.current_thread().name))
        return original(image, levels, lut, factors)

    monkeypatch.setattr(display_pyramid, "render_level", spy)
    return calls


def _show(canvas: Canvas, qtbot, zoom: float | None) -> None:  # noqa: ANN001
    if zoom is None:
        canvas.fit()
    else:
        canvas.set_zoom(zoom)
    canvas.viewport().repaint()
    qtbot.waitUntil(lambda: not canvas.compositor.previewing, timeout=10_000)
    canvas.viewport().repaint()
    # a large layer's level comes from the background thread, a stand-in shown meanwhile
    qtbot.waitUntil(lambda: not any(getattr(item, "standing_in", False) for item in canvas.scene().items()),
                    timeout=10000)


def test_a_factor_seen_once_is_not_rendered_again(canvas, qtbot, demo_dir: Path, monkeypatch) -> None:
    item = _probability_layer(canvas, demo_dir)
    item.pyramid.prefetch = lambda *args: None  # nothing ahead: every level on demand
    calls = _count_renders(monkeypatch)
    _show(canvas, qtbot, None)
    fit = item._lastDownsample
    _show(canvas, qtbot, 100.0)
    assert item._lastDownsample == (1, 1) and [f for f, _ in calls] == [fit, (1, 1)]
    _show(canvas, qtbot, None)
    assert item._lastDownsample == fit and len(calls) == 2
    reference = pg.ImageItem(axisOrder="row-major")
    reference.setAutoDownsample(True)
    reference.setLookupTable(item.lut, update=False)
    reference.setImage(item.image, autoLevels=False, levels=item.levels)
    reference._computeDownsampleFactors = lambda: fit
    reference.render()
    assert item.qimage == reference.qimage
    item.setLookupTable(lookup_table("scalar", "viridis"))  # another table: the levels are made anew
    _show(canvas, qtbot, None)
    assert len(calls) == 3 and item.qimage != reference.qimage


def test_the_levels_a_zoom_needs_are_rendered_ahead_in_the_background(canvas, qtbot, demo_dir: Path,
                                                                      monkeypatch) -> None:
    calls = _count_renders(monkeypatch)
    item = _probability_layer(canvas, demo_dir)
    _show(canvas, qtbot, None)
    fit = item._lastDownsample
    assert fit[0] > 1
    qtbot.waitUntil(lambda: len(item.pyramid) > fit[0], timeout=5000)  # PREFETCH_MS after the image
    for future in item.pyramid._levels.values():
        future.result(timeout=5)
    on_demand = len([c for c in calls if c[1] == threading.current_thread().name])
    for zoom in (100.0, 55.0, None):
        _show(canvas, qtbot, zoom)
    assert len([c for c in calls if c[1] == threading.current_thread().name]) == on_demand
    assert {f for f, thread in calls if thread != threading.current_thread().name} >= {(1, 1), (2, 2)}


@pytest.mark.parametrize("xds,yds", [(2, 2), (3, 3), (1, 3), (4, 1), (7, 5)])
def test_rgb_block_means_match_pyqtgraph_on_whole_means(xds: int, yds: int) -> None:
    """Blocks whose mean is a whole number: where pyqtgraph's float rounding decides the value."""
    from pyqtgraph import functions as pg_functions

    from app.display_downsample import block_mean_rgb

    rng = np.random.default_rng(xds * 10 + yds)
    count, blocks = xds * yds, 200
    image = np.zeros((yds, xds * blocks, 3), np.uint8)
    for i in range(blocks):
        for channel in range(3):
            mean = int(rng.integers(1, 255))
            values = np.full(count, mean)
            for t in range(count // 2):  # spread around the mean, the sum kept
                step = int(rng.integers(0, min(mean, 255 - mean) + 1))
                values[2 * t] += step
                values[2 * t + 1] -= step
            rng.shuffle(values)
            image[:, i * xds:(i + 1) * xds, channel] = values.reshape(yds, xds)
    means = pg_functions.downsample(pg_functions.downsample(image, xds, axis=1), yds, axis=0)
    np.testing.assert_array_equal(block_mean_rgb(image, xds, yds), np.clip(means, 0, 255).astype(np.uint8))


def test_a_hidden_layer_keeps_only_the_level_it_showed(canvas, qtbot, demo_dir: Path, monkeypatch) -> None:
    item = _probability_layer(canvas, demo_dir)
    item.pyramid.prefetch = lambda *args: None
    _show(canvas, qtbot, 100.0)
    _show(canvas, qtbot, None)
    fit = item._lastDownsample
    assert set(item.pyramid._levels) == {(1, 1), fit}
    calls = _count_renders(monkeypatch)
    item.setVisible(False)
    assert set(item.pyramid._levels) == {fit}
    item.setVisible(True)
    _show(canvas, qtbot, None)
    assert calls == [] and item._lastDownsample == fit
