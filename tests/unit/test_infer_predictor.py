"""Predictor on the real (tiny, randomly initialised) fosp-s / segformer-b0 models."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import torch

from fosp_core.infer import Predictor, probability_fn
from fosp_core.io.images import list_images, read_image
from fosp_core.model import build_model

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def fosp_s() -> torch.nn.Module:
    torch.manual_seed(0)
    return build_model("fosp-s").eval()


@pytest.fixture(scope="module")
def demo_rgb(demo_dir) -> np.ndarray:
    rgb = read_image(list_images(demo_dir / "JPEGImages")[0]).rgb
    return np.ascontiguousarray(rgb[100:197, 200:331])  # 97 x 131 crop of a real smoke scene


def _count_calls(model: torch.nn.Module) -> dict[str, int]:
    counts = {"encode": 0, "decode": 0}
    for name in counts:
        orig = getattr(model, name)

        @functools.wraps(orig)  # keeps the signature (the predictor reads decode's keywords)
        def wrapped(*a, _orig=orig, _name=name, **k):  # noqa: ANN002, ANN003, ANN202
            counts[_name] += 1
            return _orig(*a, **k)

        setattr(model, name, wrapped)
    return counts


def test_fosp_s_outputs_at_full_resolution(fosp_s, demo_rgb) -> None:
    p = Predictor(fosp_s, device="cpu", input_size=128)
    pred = p.predict(demo_rgb, need="all")
    h, w = demo_rgb.shape[:2]
    assert pred.probability.shape == (h, w) and pred.probability.dtype == np.float32
    assert pred.focus_map.shape == (h, w) and pred.hole.shape == (h, w) and pred.hole.dtype == bool
    assert pred.background.shape == (h, w, 3) and pred.background.dtype == np.uint8
    assert sorted(pred.foreground_energy) == [4, 8, 16, 32]
    assert set(pred.side_maps) == {"g32", "g16", "g8", "g4"}
    assert pred.tau == pytest.approx(0.15)
    # the hole is where the Focus Map exceeds tau (same resampling up to a pixel of border)
    agree = np.mean(pred.hole == (pred.focus_map > 0.15))
    assert agree > 0.95


def test_threshold_and_tau_reuse_the_encodings(demo_rgb) -> None:
    torch.manual_seed(1)
    model = build_model("fosp-s").eval()
    counts = _count_calls(model)
    p = Predictor(model, device="cpu", input_size=64)
    pred = p.predict(demo_rgb)
    assert counts == {"encode": 1, "decode": 1}
    for t in (0.2, 0.5, 0.8):
        pred.mask(t)
    assert counts == {"encode": 1, "decode": 1}
    low, high = p.set_tau(0.0), p.set_tau(1.0)
    assert counts == {"encode": 1, "decode": 3}
    assert low.hole.all() and not high.hole.any()
    np.testing.assert_allclose(low.focus_map, high.focus_map, atol=1e-6)  # the Focus Map does not depend on tau


def test_tiled_matches_direct_when_the_image_fits_one_tile(fosp_s, demo_rgb) -> None:
    img = np.ascontiguousarray(demo_rgb[:96, :128])
    direct = Predictor(fosp_s, device="cpu", input_size=128).predict(img)
    tiled = Predictor(fosp_s, device="cpu", tiled=True, tile=128, overlap=32).predict(img)
    np.testing.assert_allclose(tiled.probability, direct.probability, atol=1e-4)


def test_tiled_large_frame_covers_every_pixel(fosp_s, demo_rgb) -> None:
    big = np.ascontiguousarray(np.tile(demo_rgb, (2, 2, 1))[:180, :250])
    pred = Predictor(fosp_s, device="cpu", tiled=True, tile=64, overlap=16, batch_size=8).predict(big, need="all")
    assert pred.probability.shape == (180, 250) and np.isfinite(pred.probability).all()
    assert pred.background.shape == (180, 250, 3) and sorted(pred.foreground_energy) == [4, 8, 16, 32]


def test_segformer_has_no_focus_and_ignores_tau(demo_rgb) -> None:
    torch.manual_seed(0)
    p = Predictor(build_model("segformer-b0"), device="cpu", input_size=64)
    pred = p.predict(demo_rgb, need="all")
    assert pred.probability.shape == demo_rgb.shape[:2]
    assert pred.focus_map is None and pred.hole is None and pred.background is None and pred.tau is None


def test_probability_fn_for_eval(fosp_s, demo_rgb) -> None:
    fn = probability_fn(fosp_s, device="cpu", input_size=64)
    prob = fn(demo_rgb)
    assert prob.shape == demo_rgb.shape[:2] and prob.dtype == np.float32
    assert 0.0 <= prob.min() and prob.max() <= 1.0
