"""Synthetic early smoke (fosp_core.data.synth): delta and alpha statistics, Eq. 1, masks that match
alpha, real smoke never left unlabelled, reproducibility, and the `fosp dataset synth` command.

Backgrounds are the bundled demo SmokeSeg samples (real HPWREN photos with labelled smoke), so
the tests run on a fresh clone.
"""

from __future__ import annotations

import argparse

import cv2
import numpy as np
import pytest

from fosp_core.data.noise import fractal_noise
from fosp_core.data.synth import (
    MASK_THRESHOLD,
    SmokeSynthesizer,
    SynthConfig,
    load_backgrounds,
    make_contact_sheet,
)
from fosp_core.data.synth_backgrounds import analyse_scene, prepare_background
from fosp_core.data.types import Sample

N_STATS = 40


@pytest.fixture(scope="module")
def backgrounds(demo_dir):
    bgs = load_backgrounds(demo_dir)
    assert len(bgs) == 4 and all(b.mask_path is not None for b in bgs)
    return bgs


@pytest.fixture(scope="module")
def samples(backgrounds) -> list[Sample]:
    return list(SmokeSynthesizer(SynthConfig(), seed=123).samples(backgrounds, N_STATS))


def test_delta_spans_small_and_medium(samples):
    # delta of the synthetic smoke alone (alpha above the threshold), whatever real smoke was kept.
    deltas = np.array([float((s.meta["alpha"] > MASK_THRESHOLD).mean()) for s in samples])
    assert deltas.min() >= 0.0002, deltas.min()
    small = np.count_nonzero((deltas >= 0.0005 * 0.8) & (deltas < 0.005))
    medium = np.count_nonzero((deltas >= 0.005) & (deltas < 0.025))
    assert small >= 8 and medium >= 6, (small, medium, np.round(100 * deltas, 3))
    in_range = np.count_nonzero((deltas >= 0.0004) & (deltas <= 0.035))
    assert in_range >= 0.75 * len(deltas), np.round(100 * deltas, 3)
    # log-uniform draw: the median sits well inside the range, not at one end
    assert 0.001 < np.median(deltas) < 0.012, np.median(deltas)


def test_alpha_is_soft_and_bounded(samples):
    for s in samples:
        a = s.meta["alpha"]
        assert a.dtype == np.float32 and a.shape == s.image.shape[:2]
        assert a.min() >= 0.0 and a.max() <= 1.0
        assert a.max() > MASK_THRESHOLD
    # soft edges: every plume has a fringe of faint smoke below the threshold
    fringe = [np.count_nonzero((s.meta["alpha"] > 0.01) & (s.meta["alpha"] <= MASK_THRESHOLD)) for s in samples]
    assert min(fringe) > 0
    peaks = np.array([s.meta["alpha"].max() for s in samples])
    assert peaks.std() > 0.05  # opacity varies from plume to plume


def test_mask_is_alpha_above_threshold(samples, backgrounds):
    for s in samples:
        assert s.mask.dtype == np.uint8 and s.mask.shape == s.image.shape[:2]
        assert set(np.unique(s.mask).tolist()) <= {0, 1}
        above = s.meta["alpha"] > MASK_THRESHOLD
        if not s.meta["params"]["kept_real_smoke"]:
            np.testing.assert_array_equal(s.mask, above.astype(np.uint8))
        else:  # union with the real smoke that stayed in the crop
            assert np.all(s.mask[above] == 1)
        assert s.smoke_ratio() == pytest.approx(s.meta["delta"])
        assert s.source is None and s.id.startswith("synth_123_")


def test_real_smoke_is_never_left_unlabelled(samples, backgrounds):
    by_id = {b.id: b for b in backgrounds}
    margin = SynthConfig().exclusion_margin
    for s in samples:
        rgb, smoke = by_id[s.meta["background"]].load()
        x, y, side = s.meta["crop"]
        window = smoke[y : y + side, x : x + side].astype(np.uint8)
        if s.meta["params"]["kept_real_smoke"]:
            real = cv2.resize(window, s.mask.shape[::-1], interpolation=cv2.INTER_NEAREST) > 0
            assert real.any() and np.all(s.mask[real] == 1)
        else:  # the window keeps at least `margin` source pixels from any labelled smoke
            dist = cv2.distanceTransform((~smoke).astype(np.uint8), cv2.DIST_L2, 3)
            assert dist[y : y + side, x : x + side].min() >= margin - 1


def test_union_when_no_clear_window(backgrounds):
    rgb, smoke = backgrounds[0].load()
    rng = np.random.default_rng(0)
    prep = prepare_background(rgb, smoke, rng, size=512, margin=10_000)  # no window can be clear
    assert prep.exclude is not None and prep.exclude.any()
    x, y, side = prep.crop
    assert np.count_nonzero(prep.exclude) >= 0.9 * np.count_nonzero(smoke[y : y + side, x : x + side])
    res = SmokeSynthesizer(seed=1).composite(prep.image, rng, prep.exclude)
    assert np.all(res.mask[prep.exclude] == 1)
    assert res.params["kept_real_smoke"]
    np.testing.assert_array_equal(res.mask, ((res.alpha > MASK_THRESHOLD) | prep.exclude).astype(np.uint8))
    # the plume was placed clear of the real smoke
    assert np.count_nonzero((res.alpha > MASK_THRESHOLD) & prep.exclude) < 0.05 * np.count_nonzero(prep.exclude)


def test_image_follows_eq1(backgrounds):
    synth = SmokeSynthesizer(seed=5)
    rgb, _ = backgrounds[1].load()
    for i in range(6):
        res = synth.composite(rgb, synth.rng_for(i))
        assert res.image.dtype == np.uint8 and res.image.shape == rgb.shape
        np.testing.assert_array_equal(res.background, rgb)
        assert res.smoke.dtype == np.float32 and res.smoke.min() >= 0.0 and res.smoke.max() <= 255.0
        expect = (1.0 - res.alpha[..., None]) * res.background.astype(np.float64) + res.alpha[..., None] * res.smoke
        assert np.abs(res.image.astype(np.float64) - expect).max() <= 0.5 + 1e-3
        assert np.array_equal(res.image[res.alpha == 0], rgb[res.alpha == 0])
        # the smoke shows: the composite differs visibly from the background inside the mask
        diff = np.abs(res.image.astype(np.int16) - rgb.astype(np.int16)).mean(axis=2)
        assert diff[res.mask == 1].mean() > 6.0


def test_plume_rises_from_terrain(backgrounds):
    synth = SmokeSynthesizer(seed=9)
    for i in range(8):
        rgb, _ = backgrounds[i % 4].load()
        scene = analyse_scene(rgb)
        res = synth.composite(rgb, synth.rng_for(i))
        p = res.params["plumes"][0]
        sx, sy = p["source_xy"]
        assert sy >= scene.horizon[int(sx)] - 2  # at or below the horizon line
        ys, xs = np.nonzero(res.alpha > MASK_THRESHOLD)
        assert np.median(ys) <= sy + 2  # most of the plume is above its source


def test_reproducible_with_seed(backgrounds):
    a = list(SmokeSynthesizer(seed=7).samples(backgrounds, 3))
    b = list(SmokeSynthesizer(seed=7).samples(backgrounds, 3))
    c = list(SmokeSynthesizer(seed=8).samples(backgrounds, 3))
    for x, y in zip(a, b, strict=True):
        assert x.id == y.id
        np.testing.assert_array_equal(x.image, y.image)
        np.testing.assert_array_equal(x.mask, y.mask)
        np.testing.assert_array_equal(x.meta["alpha"], y.meta["alpha"])
    assert not all(np.array_equal(x.image, z.image) for x, z in zip(a, c, strict=True))
    # a sample does not depend on how many come before it
    later = next(SmokeSynthesizer(seed=7).samples(backgrounds, 1, start=2))
    np.testing.assert_array_equal(later.image, a[2].image)


def test_noise_is_seeded_and_bounded():
    a = fractal_noise((64, 80), np.random.default_rng(1))
    b = fractal_noise((64, 80), np.random.default_rng(1))
    np.testing.assert_array_equal(a, b)
    assert a.shape == (64, 80) and a.dtype == np.float32
    assert -1.5 < a.min() < 0 < a.max() < 1.5 and a.std() > 0.1
    t = fractal_noise((64, 80), np.random.default_rng(2), turbulence=True)
    assert t.min() >= 0.0


def test_contact_sheet(samples):
    sheet = make_contact_sheet(samples[:6], cols=3, tile=128)
    assert sheet.dtype == np.uint8 and sheet.ndim == 3 and sheet.shape[2] == 3
    assert sheet.shape[1] == 3 * 128 + 2 * 4


def test_cli_writes_smokeseg(demo_dir, tmp_path):
    from fosp_core.cli import dataset_synth
    from fosp_core.data.datasets import open_dataset

    parser = argparse.ArgumentParser()
    dataset_synth.register(parser.add_subparsers())
    out = tmp_path / "synth"
    sheet = tmp_path / "sheet.png"
    args = parser.parse_args(["synth", "--backgrounds", str(demo_dir), "--n", "5", "--seed", "3",
                              "--val-fraction", "0.2", "--contact-sheet", str(sheet), str(out)])
    assert args.func(args) == 0
    ds = open_dataset(out)
    assert len(ds) == 5 and sheet.is_file()
    assert len(open_dataset(out, split="train")) == 4 and len(open_dataset(out, split="val")) == 1
    for s in ds:
        assert s.image.shape == (512, 512, 3)
        assert set(np.unique(s.mask).tolist()) <= {0, 1} and s.mask.any()
    # the same seed writes the same masks
    again = SmokeSynthesizer(SynthConfig(), seed=3).sample(load_backgrounds(demo_dir)[0], 0)
    assert again.id == "synth_3_000000"
    # an existing folder is not overwritten without --overwrite
    assert args.func(args) == 1
