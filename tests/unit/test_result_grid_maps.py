"""A letterboxed prediction's Focus Map, τ hole and separated background are held at the network's
grid (fosp_core.infer.gridmap.GridMap), like its energies since session 26: at 8000 x 6000 they were
384 MB of a 576 MB result (Focus Map 192, background 144, hole 48), so a 48 MP result no longer fit
the result cache's 512 MiB. The probability stays a full-size float32 map (the mask threshold reads
it; docs/benchmarks-huge-images.md, session 27, A).

Every reader gets the old values: ``full()`` is the old full-size map bit for bit (the same torch
calls on the same network maps), so the layers, the τ contour, the compare grid and
``fosp predict --save`` (PNG bytes) are unchanged; a readout ``m[y, x]`` is within float rounding.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from fosp_core.analysis.layers import layer_arrays
from fosp_core.analysis.results import ResultCache, ResultKey, prediction_nbytes, tau_contour
from fosp_core.infer import assemble as assemble_mod
from fosp_core.infer.assemble import Assembler, Plan
from fosp_core.infer.gridmap import GridMap
from fosp_core.infer.outputs import write_prediction
from fosp_core.infer.predictor import Predictor
from fosp_core.infer.result import Prediction
from fosp_core.infer.tiling import letterbox_geometry, maps_from_letterbox
from tests.unit.test_infer_fakes import FakeFoSp

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo" / "JPEGImages"
MODEL = ROOT / "resources" / "models" / "fosp-default.safetensors"
SHOWN = "focus,hole,background"


def _grid_bytes(p: Prediction) -> int:
    return sum(a.nbytes for a in (p.focus_map, p.hole, p.background))


def test_focus_hole_and_background_bytes_do_not_grow_with_the_image() -> None:
    predictor = Predictor(FakeFoSp(), device="cpu", input_size=64)
    small, big = (np.zeros((s * 3, s * 4, 3), np.uint8) for s in (100, 400))  # 300x400, 1200x1600
    p_small, p_big = predictor.predict(small, need=SHOWN), predictor.predict(big, need=SHOWN)
    assert _grid_bytes(p_big) == _grid_bytes(p_small)  # was 16x (the pixels' ratio): 15.4 MB vs 0.96 MB
    assert _grid_bytes(p_big) <= 5 * 64 * 64 * 4  # a 1-channel focus grid, a 0/1 hole, 3 channels
    assert prediction_nbytes(p_big) == p_big.probability.nbytes + _grid_bytes(p_big)
    assert (p_big.focus_map.shape, p_big.focus_map.dtype) == ((1200, 1600), np.float32)
    assert (p_big.hole.shape, p_big.hole.dtype) == ((1200, 1600), np.bool_)
    assert (p_big.background.shape, p_big.background.dtype, p_big.background.ndim) == ((1200, 1600, 3), np.uint8, 3)
    assert isinstance(p_big.probability, np.ndarray)  # the threshold's map stays as it was


def test_tiled_predictions_keep_full_size_maps() -> None:
    predictor = Predictor(FakeFoSp(), device="cpu", tiled=True, tile=64, overlap=16)
    pred = predictor.predict(np.zeros((100, 150, 3), np.uint8), need=SHOWN)
    for m in (pred.focus_map, pred.hole, pred.background):
        assert isinstance(m, np.ndarray) and m.shape[:2] == (100, 150)


def test_a_48_mp_result_fits_the_cache_twice() -> None:
    """Two 8000x6000 results in a default ResultCache (512 MiB): before, one result was 576 MB and the
    cache kept only the newest. Built from fabricated network maps of the default model's shapes."""
    geom = letterbox_geometry(6000, 8000, 512)
    maps = {"logits": torch.zeros(1, 96, 128), "focus_logits": torch.zeros(1, 24, 32),
            "hole": torch.zeros(1, 384, 512), "background": torch.full((3, 384, 512), 100.0)}
    asm = Assembler(Plan(6000, 8000, letterbox=geom))
    asm.add(0, maps)
    pred = asm.finish(0.15)
    assert pred.shape == (6000, 8000) and pred.background.shape == (6000, 8000, 3)
    assert prediction_nbytes(pred) <= 256 * 10**6  # 192 MB of probability and 3.1 MB of grids
    cache = ResultCache()
    for i in range(2):
        cache.put(ResultKey.make(f"/photo-{i}.jpg", "default", 0.15), pred)
    assert len(cache) == 2


def _demo(index: int, shape: tuple[int, int]) -> np.ndarray:
    bgr = cv2.imread(str(sorted(DEMO.glob("*.jpg"))[index]))
    return np.ascontiguousarray(cv2.cvtColor(cv2.resize(bgr, shape[::-1], interpolation=cv2.INTER_LINEAR),
                                             cv2.COLOR_BGR2RGB))


_OLD: dict[tuple[int, int], tuple[np.ndarray, Prediction, Prediction]] = {}


@pytest.fixture(scope="module", autouse=True)
def _old_maps_let_go():  # noqa: ANN202
    """The old maps are shared by this file's tests only: let them go after (~600 MiB at 3000 x 4000)."""
    yield
    _OLD.clear()


def predict_with_old_maps(shape: tuple[int, int]) -> tuple[np.ndarray, Prediction, Prediction]:
    """(a demo photo at `shape`, the default model's prediction of it, the Prediction the old path made
    of the same network maps: each map to the image's size by maps_from_letterbox, then
    build_prediction's rules: sigmoid, >= 0.5, clamp/round to uint8 RGB)."""
    if shape in _OLD:
        return _OLD[shape]
    torch.set_num_threads(1)  # the same rounding in both paths (torch's threads may split differently)
    seen: list[dict[str, torch.Tensor]] = []
    real_add = assemble_mod.Assembler.add

    def add(self, k, maps):  # noqa: ANN001, ANN202
        seen.append({n: m.detach().clone() for n, m in maps.items()})
        return real_add(self, k, maps)

    assemble_mod.Assembler.add = add
    rgb = _demo(len(_OLD), shape)
    try:
        predictor = Predictor(MODEL, device="cpu")
        pred = predictor.predict(rgb, need=SHOWN)
    finally:
        assemble_mod.Assembler.add = real_add
    geom = letterbox_geometry(*shape, predictor.input_size)
    net = seen[0]
    full = {n: maps_from_letterbox(m, geom, "nearest" if n == "hole" else "bilinear") for n, m in net.items()
            if n in ("logits", "focus_map", "focus_logits", "hole", "background")}
    # the Focus Map: the model's probability resampled and clamped, or sigmoid of resampled logits
    focus = full["focus_map"][0].clamp(0, 1) if "focus_map" in full else torch.sigmoid(full["focus_logits"][0])
    old = Prediction(
        probability=np.ascontiguousarray(torch.sigmoid(full["logits"][0]).numpy()),
        focus_map=np.ascontiguousarray(focus.numpy()),
        hole=np.ascontiguousarray((full["hole"][0] >= 0.5).numpy()),
        background=np.ascontiguousarray(full["background"].clamp(0, 255).round().to(torch.uint8)
                                         .permute(1, 2, 0).numpy()),
        tau=pred.tau)
    _OLD[shape] = rgb, pred, old
    return _OLD[shape]


SHAPES = [(300, 400), (1333, 2001), (733, 301), (3000, 4000)]


@pytest.mark.parametrize("shape", [
    # the two biggest are slow; the default keeps (300, 400) and the odd (733, 301) of the same check
    SHAPES[0], pytest.param(SHAPES[1], marks=pytest.mark.slow), SHAPES[2], pytest.param(SHAPES[3], marks=pytest.mark.slow)])
def test_every_reader_gets_the_old_full_size_maps(shape: tuple[int, int]) -> None:
    _, pred, old = predict_with_old_maps(shape)
    np.testing.assert_array_equal(pred.probability, old.probability)
    for name in ("focus_map", "hole", "background"):
        gm, want = getattr(pred, name), getattr(old, name)
        assert isinstance(gm, GridMap) and gm.nbytes <= 3 * 512 * 512 * 4, name
        assert (gm.shape, gm.dtype, gm.ndim) == (want.shape, want.dtype, want.ndim), name
        full = gm.full()
        assert full.dtype == want.dtype and full.flags.c_contiguous
        np.testing.assert_array_equal(full, want, err_msg=name)  # bit for bit: display, PNGs, compare grid
        if shape != SHAPES[-1]:  # np.asarray(gm) is gm.full() at any size: read at the smaller sizes (12 MP)
            np.testing.assert_array_equal(np.asarray(gm), want, err_msg=name)
        assert gm.max() == want.max() and gm.min() == want.min()  # legend / levels
    # the analysis layers (their arrays as the canvas draws them) and the τ contour
    new_layers, old_layers = layer_arrays(pred, 0.5), layer_arrays(old, 0.5)
    assert new_layers.keys() == old_layers.keys()
    for name, want in old_layers.items():
        np.testing.assert_array_equal(np.asarray(new_layers[name]), want, err_msg=name)
    np.testing.assert_array_equal(tau_contour(pred.hole), tau_contour(old.hole))
    # readouts m[y, x] (the hover's focus value and background RGB): within float rounding
    rng = np.random.default_rng(7)
    ys, xs = rng.integers(0, shape[0], 300), rng.integers(0, shape[1], 300)
    focus = np.array([pred.focus_map[int(y), int(x)] for y, x in zip(ys, xs, strict=True)])
    np.testing.assert_allclose(focus, old.focus_map[ys, xs], rtol=1e-5, atol=1e-6)
    hole = np.array([pred.hole[int(y), int(x)] for y, x in zip(ys, xs, strict=True)])
    np.testing.assert_array_equal(hole, old.hole[ys, xs])  # nearest: the same indices
    bg = np.array([pred.background[int(y), int(x)] for y, x in zip(ys, xs, strict=True)])
    assert bg.shape == (300, 3) and np.abs(bg.astype(int) - old.background[ys, xs]).max() <= 1
    band = pred.focus_map[shape[0] // 2: shape[0] // 2 + 5]
    np.testing.assert_allclose(band, old.focus_map[shape[0] // 2: shape[0] // 2 + 5], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("shape", [(300, 400), (1333, 2001)])
def test_fosp_predict_outputs_are_byte_identical(shape: tuple[int, int], tmp_path: Path) -> None:
    """`fosp predict --save mask,prob,focus,background,overlay` (jobs.py's write_prediction) writes the
    same bytes from the grid-held maps as from the old full-size ones."""
    rgb, pred, old = predict_with_old_maps(shape)
    kinds = ("mask", "prob", "focus", "background", "overlay")
    new_files = write_prediction(tmp_path / "new", "img", rgb, pred, kinds, 0.5)
    old_files = write_prediction(tmp_path / "old", "img", rgb, old, kinds, 0.5)
    assert len(new_files) == len(old_files) == 5
    for a, b in zip(new_files, old_files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


@pytest.mark.parametrize("shape", [(6000, 8000), (733, 301), (300, 400), (512, 384), (100, 3000), (2001, 999)])
@pytest.mark.parametrize("cells", [1, 2, 16])
def test_the_hole_is_torchs_nearest_at_any_geometry(shape: tuple[int, int], cells: int) -> None:
    """The hole's full() looks torch's nearest source indices up in numpy (4x faster at 48 MP, no float
    map of the image): the very pixels maps_from_letterbox(..., "nearest") >= 0.5 gives, for a grid at
    the canvas, at half of it (torch's exact 2x rule) and at stride 16."""
    geom = letterbox_geometry(*shape, 512)
    grid = np.random.default_rng(cells).random((-(-geom.canvas_h // cells), -(-geom.canvas_w // cells))) > 0.6
    want = (maps_from_letterbox(torch.from_numpy(grid.astype(np.float32))[None], geom, "nearest")[0] >= 0.5).numpy()
    gm = GridMap(grid, geom, kind="mask", banded=False)
    np.testing.assert_array_equal(gm.full(), want)
    ys, xs = [0, shape[0] // 3, shape[0] - 1], [0, shape[1] // 2, shape[1] - 1]
    np.testing.assert_array_equal(gm.region(np.array(ys), np.array(xs)), want[np.ix_(ys, xs)])
