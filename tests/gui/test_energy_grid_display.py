"""What the analysis view shows of the foreground energies, now held at the network's grid
(fosp_core.infer.gridmap.GridMap), is what it showed of the old full-size maps: on the default
model's maps of demo photos, the canvas item's image is the old array, Export View's blend differs by
at most one 8-bit level (its bands are computed from the grid, equal within float rounding), the hover
readout gives the same values, and the compare grid's foreground picture is the old one."""

from __future__ import annotations

import re

import numpy as np
import pyqtgraph as pg
import pytest

from app.analysis.grid_maps import foreground_image
from app.analysis.readouts import hover_text
from app.analysis.render import composite, draw_layer
from fosp_core.analysis.layers import LayerStack, layer_arrays
from fosp_core.infer.gridmap import GridMap
from tests.unit.test_energy_grid_maps import _OLD, _predict_with_old_maps


@pytest.fixture(scope="module", autouse=True)
def _old_maps_let_go():  # noqa: ANN202
    """The unit tests' cache of old full-size maps, filled here too: let it go after this file."""
    yield
    _OLD.clear()


SHAPES = [(1333, 2001), (733, 301)]


def _old_arrays(prediction, old: dict[str, np.ndarray]) -> dict[str, np.ndarray]:  # noqa: ANN001
    arrays = layer_arrays(prediction, 0.5)
    for stride in prediction.foreground_energy:
        arrays[f"foreground energy /{stride}"] = old[f"fg{stride}"]
    return arrays


@pytest.mark.parametrize("shape", SHAPES)
def test_the_energy_layers_show_the_old_maps(qapp, shape: tuple[int, int]) -> None:  # noqa: ANN001
    prediction, old = _predict_with_old_maps(shape)
    new, before = layer_arrays(prediction, 0.5), _old_arrays(prediction, old)
    layers = LayerStack()
    for layer in layers:
        layers.set_visible(layer.name, False)
    for stride in prediction.foreground_energy:
        name = f"foreground energy /{stride}"
        assert isinstance(new[name], GridMap)
        item = pg.ImageItem(axisOrder="row-major")
        draw_layer(item, layers[name], new[name])
        np.testing.assert_array_equal(item.image, old[f"fg{stride}"])  # the canvas: the very same array
        assert tuple(item.levels) == (0.0, float(old[f"fg{stride}"].max()))
        layers.set_visible(name, True)
        layers.set_opacity(name, 1.0)
        rgb = np.full((*shape, 3), 90, np.uint8)
        got = composite(rgb, layers, new, band_rows=97).astype(int)
        want = composite(rgb, layers, before, band_rows=97).astype(int)
        assert np.abs(got - want).max() <= 1 and (got != want).mean() < 1e-3  # Export View
        layers.set_visible(name, False)


@pytest.mark.parametrize("shape", SHAPES)
def test_readout_and_compare_grid_read_the_old_values(shape: tuple[int, int]) -> None:
    prediction, old = _predict_with_old_maps(shape)
    new, before = layer_arrays(prediction, 0.5), _old_arrays(prediction, old)
    rng = np.random.default_rng(3)
    for y, x in zip(rng.integers(0, shape[0], 60), rng.integers(0, shape[1], 60), strict=True):
        a, b = hover_text(new, int(x), int(y)), hover_text(before, int(x), int(y))
        fa = [float(v) for v in re.findall(r"/\d+ (-?[\d.]+)", a)]
        fb = [float(v) for v in re.findall(r"/\d+ (-?[\d.]+)", b)]
        assert len(fa) == len(fb) == 4 and np.allclose(fa, fb, atol=0.0101), (a, b)  # at most a rounding tie
        assert re.sub(r"fg .*?(  |$)", "", a) == re.sub(r"fg .*?(  |$)", "", b)
    maps = [old[f"fg{s}"] / old[f"fg{s}"].max() for s in prediction.foreground_energy if old[f"fg{s}"].max() > 0]
    if not maps:  # no stride found any foreground: no picture (the demo photo _predict_with_old_maps
        assert foreground_image(prediction) is None  # picks follows the shared cache's size: test order)
    else:
        want = np.mean(maps, axis=0).astype(np.float32)
        np.testing.assert_allclose(foreground_image(prediction), want, rtol=1e-5, atol=1e-6)
