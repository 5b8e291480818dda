"""The foreground energies and side outputs of a letterboxed prediction are held at the network's
grid (fosp_core.infer.gridmap.GridMap), not at the image's size: at 8000 x 6000 the four full-size
float32 energies were 768 MB of a 1282 MB result. Their bytes no longer grow with the image's pixels,
and every reader sees what the old full-size maps held: ``full()`` is the old
``maps_from_letterbox`` call itself, a readout ``m[y, x]`` and a band ``m[rows]`` equal it within
float rounding (the same two bilinear steps, as weights), on the default model's maps of demo photos.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from fosp_core.analysis.results import prediction_nbytes
from fosp_core.infer import assemble as assemble_mod
from fosp_core.infer.gridmap import GridMap, full_size
from fosp_core.infer.predictor import Predictor
from fosp_core.infer.tiling import letterbox_geometry, maps_from_letterbox
from tests.unit.test_infer_fakes import FakeFoSp

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo" / "JPEGImages"
MODEL = ROOT / "resources" / "models" / "fosp-default.safetensors"


def _map_bytes(prediction) -> int:  # noqa: ANN001
    return sum(m.nbytes for m in (*prediction.foreground_energy.values(), *prediction.side_maps.values()))


def test_energy_and_side_map_bytes_do_not_grow_with_the_image() -> None:
    predictor = Predictor(FakeFoSp(), device="cpu", input_size=64)
    small, big = (np.zeros((s * 3, s * 4, 3), np.uint8) for s in (100, 400))  # 300x400, 1200x1600
    p_small, p_big = predictor.predict(small, need="all"), predictor.predict(big, need="all")
    assert len(p_big.foreground_energy) == 4 and len(p_big.side_maps) == 4
    assert _map_bytes(p_big) == _map_bytes(p_small)  # was 16x (the pixels' ratio)
    assert _map_bytes(p_big) < 8 * 64 * 64 * 4  # eight maps, each at most the 64 px canvas
    # the prediction's bytes: the full-size maps (probability, focus, hole, background) and the grids
    full = p_big.probability.nbytes + p_big.focus_map.nbytes + p_big.hole.nbytes + p_big.background.nbytes
    assert prediction_nbytes(p_big) == full + _map_bytes(p_big)
    assert all(m.shape == (1200, 1600) and m.dtype == np.float32 for m in p_big.foreground_energy.values())


def test_tiled_predictions_hold_their_maps_whole() -> None:
    """Tiled runs blend every map at the image's size from overlapping windows: held as they are."""
    predictor = Predictor(FakeFoSp(), device="cpu", tiled=True, tile=64, overlap=16)
    pred = predictor.predict(np.zeros((100, 150, 3), np.uint8), need="all")
    for m in (*pred.foreground_energy.values(), *pred.side_maps.values()):
        assert isinstance(m, GridMap) and m.is_whole and m.grid.shape == (100, 150)
        assert m.full() is m.grid


def _demo(index: int, shape: tuple[int, int]) -> np.ndarray:
    bgr = cv2.imread(str(sorted(DEMO.glob("*.jpg"))[index]))
    return np.ascontiguousarray(cv2.cvtColor(cv2.resize(bgr, shape[::-1], interpolation=cv2.INTER_LINEAR),
                                             cv2.COLOR_BGR2RGB))


_OLD: dict[tuple[int, int], tuple[object, dict[str, np.ndarray]]] = {}


@pytest.fixture(scope="module", autouse=True)
def _old_maps_let_go():  # noqa: ANN202
    """The old maps are shared by this file's tests only: let them go after (~600 MiB at 3000 x 4000)."""
    yield
    _OLD.clear()


def _predict_with_old_maps(shape: tuple[int, int]):  # noqa: ANN202
    """(the default model's prediction of a demo photo at `shape`, the energies and side maps the old
    path made of the same network maps: maps_from_letterbox to the image, then the sigmoid for side
    outputs, as assemble.build_prediction did before they were kept at the grid)."""
    if shape in _OLD:
        return _OLD[shape]
    torch.set_num_threads(1)
    seen: list[dict[str, torch.Tensor]] = []
    real_add = assemble_mod.Assembler.add

    def add(self, k, maps):  # noqa: ANN001, ANN202
        seen.append({n: m.detach().clone() for n, m in maps.items()})
        return real_add(self, k, maps)

    assemble_mod.Assembler.add = add
    try:
        predictor = Predictor(MODEL, device="cpu")
        pred = predictor.predict(_demo(len(_OLD), shape), need="all")
    finally:
        assemble_mod.Assembler.add = real_add
    geom = letterbox_geometry(*shape, predictor.input_size)
    old = {}
    for name, m in seen[0].items():
        if name.startswith("fg") or name.startswith("side_"):
            full = maps_from_letterbox(m, geom, "bilinear")[0]
            old[name] = np.ascontiguousarray((torch.sigmoid(full) if name.startswith("side_") else full).numpy())
    _OLD[shape] = pred, old
    return pred, old


SHAPES = [(1333, 2001), (733, 301), (211, 1517), (3000, 4000)]


@pytest.mark.parametrize("shape", [
    # the two biggest are slow; the default keeps the odd shapes (733, 301) and (211, 1517) of the same check
    pytest.param(SHAPES[0], marks=pytest.mark.slow), SHAPES[1], SHAPES[2], pytest.param(SHAPES[3], marks=pytest.mark.slow)])
def test_maps_and_readouts_are_the_old_full_size_maps(shape: tuple[int, int]) -> None:
    pred, old = _predict_with_old_maps(shape)
    rng = np.random.default_rng(7)
    ys, xs = rng.integers(0, shape[0], 200), rng.integers(0, shape[1], 200)
    pairs = [(f"fg{s}", e) for s, e in pred.foreground_energy.items()]
    pairs += [(f"side_{k}", m) for k, m in pred.side_maps.items()]
    assert len(pairs) == 8
    for name, gm in pairs:
        want = old[name]
        assert isinstance(gm, GridMap) and gm.shape == want.shape
        assert gm.nbytes <= 512 * 512 * 4
        # what the display draws: the same map (the same interpolation of the same grid; torch's threads may
        # round one value in 10^5 a unit in the last place differently from one run to the next)
        np.testing.assert_allclose(gm.full(), want, rtol=1e-6, atol=1e-8)
        if shape != SHAPES[-1]:  # np.asarray(gm) is gm.full() at any size: read at the smaller sizes (12 MP x 8 maps)
            np.testing.assert_allclose(np.asarray(gm), want, rtol=1e-6, atol=1e-8)
        top = float(np.abs(want).max()) or 1.0
        values = np.array([gm[int(y), int(x)] for y, x in zip(ys, xs, strict=True)])  # the hover readout
        np.testing.assert_allclose(values, want[ys, xs], rtol=1e-5, atol=1e-5 * top)
        np.testing.assert_allclose(gm[shape[0] // 2: shape[0] // 2 + 7], want[shape[0] // 2: shape[0] // 2 + 7],
                                   rtol=1e-5, atol=1e-5 * top)  # a band, as Export View blends them
        assert gm.max() == want.max() and gm.min() == want.min()  # the legend's and levels' range
        assert full_size(gm) is not None and gm.any() == bool(want.any())
