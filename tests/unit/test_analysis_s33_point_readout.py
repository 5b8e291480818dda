"""A hover readout reads one pixel of each layer held at the network's grid (`GridMap`): it is made of the
few grid cells under that pixel, never of the whole map.

Before, ``gm[y, x]`` of an image smaller than the network's 512 px canvas (the last resize antialiased)
brought the whole map to the image's size on every hover (``full()``: 228 ms a hover for a 400 x 300
photo's layers), the τ contour did so at any size (26 ms a read at 4000 x 3000), and the other maps
multiplied per-axis weight rows over the whole grid (bench/bench_analysis_readout.py). Now
:meth:`GridMap.at` takes each axis's taps (bilinear, or antialiased as PyTorch weighs them) of the
cells it needs; its values are ``full()``'s within float rounding (a mask, its boundary exactly)."""

from __future__ import annotations

import numpy as np
import pytest

from fosp_core.infer.gridmap import GridMap
from fosp_core.infer.tiling import letterbox_geometry

# smaller than the canvas (antialiased), odd, bigger, thin either way
SHAPES = [(300, 400), (37, 53), (511, 300), (480, 640), (1080, 1920), (5, 900), (700, 3)]


def _maps(shape: tuple[int, int]) -> dict[str, GridMap]:
    h, w = shape
    g = letterbox_geometry(h, w, 512)
    rng = np.random.default_rng(h * w)
    ch, cw = g.canvas_h, g.canvas_w
    hole = GridMap(rng.random((ch // 8, cw // 8)).repeat(8, 0).repeat(8, 1) > 0.6, g, kind="mask", banded=False)
    return {
        "focus": GridMap(rng.random((ch // 16, cw // 16), np.float32), g, unit=True, banded=False),
        "energy /4": GridMap(rng.random((ch // 4, cw // 4), np.float32) * 4, g),
        "side (logits)": GridMap(rng.normal(size=(ch // 8, cw // 8)).astype(np.float32) * 3, g, squash=True),
        "background": GridMap(rng.random((3, ch, cw), np.float32) * 255, g, kind="rgb", banded=False),
        "hole": hole,
        "hole (float grid)": GridMap(rng.random((ch, cw)).astype(np.float32), g, kind="mask"),
        "τ contour": hole.boundary(),
        "whole": GridMap.whole(rng.random(shape, np.float32)),
    }


def _pixels(shape: tuple[int, int]) -> list[tuple[int, int]]:
    h, w = shape
    rng = np.random.default_rng(7)
    corners = [(0, 0), (0, w - 1), (h - 1, 0), (h - 1, w - 1), (h // 2, w // 2)]
    return corners + [(int(y), int(x)) for y, x in zip(rng.integers(0, h, 60), rng.integers(0, w, 60), strict=True)]


@pytest.mark.parametrize("shape", SHAPES)
def test_a_pixel_is_read_from_its_grid_cells_never_the_whole_map(shape, monkeypatch) -> None:
    maps = _maps(shape)
    fulls = {name: m.full() for name, m in maps.items()}

    def whole_map(self: GridMap) -> np.ndarray:
        raise AssertionError("a single-pixel read brought the whole map to the image's size")

    monkeypatch.setattr(GridMap, "full", whole_map)
    for name, m in maps.items():
        full = fulls[name]
        for y, x in _pixels(shape):
            value = m[y, x]
            assert np.asarray(value).dtype == full.dtype and np.shape(value) == full[y, x].shape, name
            if m.kind == "mask" or m.is_whole:
                assert value == full[y, x], (name, shape, y, x)
            elif m.kind == "rgb":  # rounded to a level: one apart where the rounding falls on a half
                assert np.abs(value.astype(int) - full[y, x].astype(int)).max() <= 1, (name, shape, y, x)
            else:
                assert abs(float(value) - float(full[y, x])) <= 1e-4 * max(1.0, abs(float(full[y, x]))), \
                    (name, shape, y, x, float(value), float(full[y, x]))


def test_negative_and_out_of_bounds_pixels_read_as_an_array_does() -> None:
    m = _maps((300, 400))["energy /4"]
    assert m[-1, -1] == m[299, 399]
    for y, x in ((300, 0), (0, 400), (-301, 0)):
        with pytest.raises(IndexError):
            m[y, x]
