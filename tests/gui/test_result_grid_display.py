"""What the analysis view shows of the Focus Map, τ hole and separated background, now held at the
network's grid (fosp_core.infer.gridmap.GridMap, session 27), is what it showed of the old full-size
arrays: on the default model's maps of demo photos the canvas item's image is the old array, Export
View's blend is the old one pixel for pixel (those maps are upsampled whole for it), the compare
grid's Focus Map and background pictures are the old arrays, and the hover readout reads the same
values (the Focus value within a rounding tie of its third decimal, the background's RGB within one
level where a float rounding falls on a half)."""

from __future__ import annotations

import re

import numpy as np
import pyqtgraph as pg
import pytest

from app.analysis.compare_grid import COLUMNS, CompareGrid
from app.analysis.readouts import hover_text
from app.analysis.render import composite, draw_layer
from fosp_core.analysis.layers import LayerStack, layer_arrays
from fosp_core.infer.gridmap import GridMap
from tests.unit.test_result_grid_maps import predict_with_old_maps

SHAPES = [(1333, 2001), (733, 301)]
HELD = ("focus map", "hole", "separated background")


@pytest.mark.parametrize("shape", SHAPES)
def test_the_layers_and_export_view_show_the_old_arrays(qapp, shape: tuple[int, int]) -> None:  # noqa: ANN001
    rgb, prediction, old = predict_with_old_maps(shape)
    new, before = layer_arrays(prediction, 0.5), layer_arrays(old, 0.5)
    layers = LayerStack()
    for layer in layers:
        layers.set_visible(layer.name, False)
    for name in HELD:
        assert isinstance(new[name], GridMap) and not isinstance(before[name], GridMap)
        item = pg.ImageItem(axisOrder="row-major")
        draw_layer(item, layers[name], new[name])
        want = item.image
        draw_layer(item, layers[name], before[name])
        np.testing.assert_array_equal(want, item.image)  # the canvas: the very same array
        layers.set_visible(name, True)
    layers.set_visible("τ contour", True)
    got = composite(rgb, layers, new, band_rows=97)
    np.testing.assert_array_equal(got, composite(rgb, layers, before, band_rows=97))  # Export View


@pytest.mark.parametrize("shape", SHAPES)
def test_readout_and_compare_grid_read_the_old_values(qapp, qtbot, shape: tuple[int, int]) -> None:  # noqa: ANN001
    rgb, prediction, old = predict_with_old_maps(shape)
    new, before = layer_arrays(prediction, 0.5), layer_arrays(old, 0.5)
    rng = np.random.default_rng(3)
    for y, x in zip(rng.integers(0, shape[0], 80), rng.integers(0, shape[1], 80), strict=True):
        a, b = hover_text(new, int(x), int(y)), hover_text(before, int(x), int(y))
        fa, fb = (float(re.search(r"focus ([\d.]+)", t).group(1)) for t in (a, b))
        assert abs(fa - fb) <= 0.0011, (a, b)  # at most a rounding tie
        ca, cb = (np.array(re.search(r"bg RGB (\d+) (\d+) (\d+)", t).groups(), int) for t in (a, b))
        assert np.abs(ca - cb).max() <= 1, (a, b)
        strip = r"focus [\d.]+|bg RGB .*$"
        assert re.sub(strip, "", a) == re.sub(strip, "", b)
    grid = CompareGrid()
    grid.set_content(rgb, prediction, None, 0.5)
    qtbot.waitUntil(lambda: not grid.drawing, timeout=20000)  # (made on a worker: app.analysis.grid_maps)
    # the maps the panels show (the Focus Map's draws their colour indices: app.analysis.grid_indexed)
    np.testing.assert_array_equal(grid.maps.picture(COLUMNS[1]), old.focus_map)
    np.testing.assert_array_equal(grid.maps.picture(COLUMNS[2]), old.background)
