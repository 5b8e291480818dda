"""The compare grid's scalar panels (Focus Map, separated foreground) are handed to pyqtgraph as the
colour indices its own rescale makes, made on the grid's worker (app.analysis.grid_indexed, session 28
C): the picture drawn is the same, byte for byte and colour for colour, and no float map is rescaled on
the GUI thread at the panel's paint (0.3-1.0 s a 48 MP panel)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pyqtgraph.functions as fn
import pytest

from app.analysis.compare_grid import COLUMNS, CompareGrid
from app.analysis.grid_indexed import colour_indices
from app.analysis.render import lookup_table
from tests.gui.grid_layer_helpers import letterboxed


def _rendered(item: pg.ImageItem) -> tuple[bytes, object, list[int]]:
    item.render()
    qimage = item.qimage
    return bytes(qimage.constBits())[: qimage.sizeInBytes()], qimage.format(), qimage.colorTable()


@pytest.mark.parametrize("levels", [(0.0, 1.0), (0.0, 3.7), (-0.25, 0.5)])
@pytest.mark.parametrize("colormap", ["viridis", "magma"])
def test_the_indices_draw_the_same_picture(qtbot, levels: tuple[float, float], colormap: str) -> None:  # noqa: ANN001
    rng = np.random.default_rng(0)
    values = (rng.random((97, 131), np.float32) * 2.0 - 0.5).astype(np.float32)
    values[0, :8] = (levels[0], levels[1], 0.0, 1.0, np.nextafter(np.float32(levels[1]), np.float32(0)), -1e9, 1e9, 0.5)
    table = lookup_table("scalar", colormap, translucent=False)
    assert table is not None and len(table) == 256
    as_float, as_indices = pg.ImageItem(axisOrder="row-major"), pg.ImageItem(axisOrder="row-major")
    as_float.setLookupTable(table)
    as_float.setImage(values, autoLevels=False, levels=levels)
    indices = colour_indices(values, levels)
    assert indices is not None and indices.dtype == np.uint8
    as_indices.setLookupTable(table)
    as_indices.setImage(indices, autoLevels=False, levels=None)
    assert _rendered(as_float) == _rendered(as_indices)


def test_a_map_with_nan_gets_no_indices() -> None:
    values = np.zeros((8, 8), np.float32)
    values[3, 3] = np.nan
    assert colour_indices(values, (0.0, 1.0)) is None
    assert colour_indices(np.zeros((8, 8, 3), np.float32), (0.0, 1.0)) is None


def test_the_grid_s_scalar_panels_are_not_rescaled_at_their_paint(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    prediction = letterboxed(1, strides=(4, 8))
    grid = CompareGrid()
    qtbot.addWidget(grid)
    grid.set_content(np.zeros((*prediction.shape, 3), np.uint8), prediction, None, 0.5)
    qtbot.waitUntil(lambda: not grid.drawing, timeout=20000)
    rescaled: list[tuple[int, ...]] = []
    real = fn.rescaleData
    monkeypatch.setattr(fn, "rescaleData", lambda data, *a, **k: (rescaled.append(data.shape), real(data, *a, **k))[1])
    wants = {COLUMNS[1]: prediction.focus_map.full(), COLUMNS[3]: grid.maps.picture(COLUMNS[3])}
    for column, want in wants.items():
        item = grid.items[column]
        item.render()
        assert item.image.dtype == np.uint8 and item.levels is None
        np.testing.assert_array_equal(grid.maps.picture(column), want)  # the map itself, for the key and levels
        reference = pg.ImageItem(axisOrder="row-major")
        reference.setLookupTable(item.lut)
        reference.setImage(want, autoLevels=False, levels=(0.0, 1.0))
        monkeypatch.setattr(fn, "rescaleData", real)
        assert _rendered(reference) == _rendered(item)
        monkeypatch.setattr(fn, "rescaleData", lambda data, *a, **k: (rescaled.append(data.shape), real(data, *a, **k))[1])
    assert prediction.shape not in rescaled
    assert grid.key_texts()[COLUMNS[1]] == "Focus Map 0 … 1"
