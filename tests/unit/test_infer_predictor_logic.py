"""Predictor logic on a counting stand-in model: shapes, letterbox, caching, tau, tiling, batches, OOM."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from fosp_core.infer import DeviceError, DeviceFallbackWarning, InferenceError, Predictor, resolve_device
from fosp_core.infer import devices as devmod
from fosp_core.infer.tiling import PAD_RGB, letterbox_geometry, letterbox_image, tile_grid
from tests.unit.test_infer_fakes import FakeFoSp

torch.set_num_threads(1)


def _image(h: int, w: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    img = rng.integers(0, 255, (h, w, 3), dtype=np.uint8)
    img[h // 3: h // 2, w // 4: w // 2] = 230  # a bright patch so the maps are not uniform
    return img


def test_full_resolution_outputs_for_odd_size() -> None:
    p = Predictor(FakeFoSp(), device="cpu", input_size=64)
    pred = p.predict(_image(97, 131), need="all")
    assert pred.probability.shape == (97, 131) and pred.probability.dtype == np.float32
    assert 0.0 <= pred.probability.min() and pred.probability.max() <= 1.0
    assert pred.focus_map.shape == (97, 131) and pred.focus_map.dtype == np.float32
    assert pred.hole.shape == (97, 131) and pred.hole.dtype == bool
    assert pred.background.shape == (97, 131, 3) and pred.background.dtype == np.uint8
    assert sorted(pred.foreground_energy) == [4, 8, 16, 32]
    assert all(e.shape == (97, 131) and e.dtype == np.float32 for e in pred.foreground_energy.values())
    assert set(pred.side_maps) == {"g32", "g16", "g8", "g4"}
    m = pred.mask(0.5)
    assert m.shape == (97, 131) and m.dtype == np.uint8 and set(np.unique(m)) <= {0, 1}
    assert pred.tau == pytest.approx(0.15)


def test_default_needs_skip_heavy_maps() -> None:
    pred = Predictor(FakeFoSp(), device="cpu", input_size=64).predict(_image(40, 50))
    assert pred.focus_map is not None and pred.hole is not None
    assert pred.background is None and not pred.foreground_energy and not pred.side_maps
    with pytest.raises(ValueError, match="unknown outputs"):
        Predictor(FakeFoSp(), device="cpu", input_size=64).predict(_image(40, 50), need="nonsense")


def test_letterbox_keeps_aspect_and_pads_only_below_32_px() -> None:
    geom = letterbox_geometry(97, 131, 64)
    assert (geom.new_h, geom.new_w) == (47, 64)
    canvas = letterbox_image(_image(97, 131), geom)
    assert canvas.shape == (47, 64, 3)  # the resized image itself, as validation feeds it: no band
    tall = letterbox_geometry(200, 50, 64)
    assert (tall.new_h, tall.new_w) == (64, 16)
    assert (tall.canvas_h, tall.canvas_w) == (64, 32)  # thinner than 32 px: padded to 32, never squared
    canvas = letterbox_image(_image(200, 50), tall)
    assert canvas.shape == (64, 32, 3)
    assert (canvas[:, 16:] == np.array(PAD_RGB, np.uint8)).all()


def test_model_sees_letterboxed_canvas() -> None:
    model = FakeFoSp()
    seen: list[torch.Tensor] = []
    orig = model.encode
    model.encode = lambda x: (seen.append(x.clone()), orig(x))[1]  # type: ignore[method-assign]
    Predictor(model, device="cpu", input_size=64).predict(_image(30, 60))
    Predictor(model, device="cpu", input_size=64).predict(_image(20, 60))
    Predictor(model, device="cpu", input_size=64).predict(_image(45, 60))
    # 30x60 -> 32x64; 45x60 -> 48x64, no padding either; 20x60 -> 21x64 is thinner than 32 px: on a
    # 32x64 canvas, 11 rows of mean colour, not 43
    assert seen[0].shape == (1, 3, 32, 64) and seen[0].dtype == torch.float32
    assert seen[2].shape == (1, 3, 48, 64)
    assert seen[1].shape == (1, 3, 32, 64)
    assert torch.all(seen[1][0, :, 21:, :] == torch.tensor(PAD_RGB, dtype=torch.float32)[:, None, None])
    assert not torch.all(seen[1][0, :, 20, :] == torch.tensor(PAD_RGB, dtype=torch.float32)[:, None])


def test_batches_hold_one_canvas_shape() -> None:
    """Images of other aspect ratios in one call are batched by canvas shape, in order."""
    model = FakeFoSp()
    preds = Predictor(model, device="cpu", input_size=64, batch_size=4).predict_batch(
        [_image(30, 60), _image(31, 62), _image(60, 30), _image(64, 64), _image(30, 60)])
    assert [p.probability.shape for p in preds] == [(30, 60), (31, 62), (60, 30), (64, 64), (30, 60)]
    assert model.batch_sizes == [2, 1, 1, 1]


def test_threshold_change_does_not_run_the_network() -> None:
    model = FakeFoSp()
    pred = Predictor(model, device="cpu", input_size=64).predict(_image(64, 64))
    calls = (model.encode_calls, model.decode_calls)
    masks = [pred.mask(t) for t in (0.1, 0.5, 0.9)]
    assert (model.encode_calls, model.decode_calls) == calls
    assert masks[0].sum() >= masks[1].sum() >= masks[2].sum()


def test_tau_change_reruns_only_decode() -> None:
    model = FakeFoSp()
    p = Predictor(model, device="cpu", input_size=64)
    img = _image(80, 100)
    a = p.predict(img)
    assert (model.encode_calls, model.decode_calls) == (1, 1)
    b = p.set_tau(0.9)
    assert (model.encode_calls, model.decode_calls) == (1, 2)
    assert b.tau == 0.9 and a.hole.sum() > b.hole.sum()
    c = p.predict(img.copy(), tau=0.15)  # same pixels, new array: still cached
    assert (model.encode_calls, model.decode_calls) == (1, 3)
    np.testing.assert_allclose(c.probability, a.probability, atol=1e-6)
    p.predict(_image(80, 100, seed=1))  # another image: encodes again
    assert model.encode_calls == 2


def test_set_tau_without_predict_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="predict"):
        Predictor(FakeFoSp(), device="cpu", input_size=64).set_tau(0.3)


def test_cache_limit_disables_caching_but_set_tau_still_works_via_predict() -> None:
    model = FakeFoSp()
    p = Predictor(model, device="cpu", input_size=64, cache_limit_mb=0)
    p.predict(_image(64, 64))
    with pytest.raises(RuntimeError):
        p.set_tau(0.4)


def test_tiled_equals_direct_when_image_fits_one_tile() -> None:
    img = _image(96, 128)
    direct = Predictor(FakeFoSp(), device="cpu", input_size=128).predict(img, need="all")
    tiled = Predictor(FakeFoSp(), device="cpu", tiled=True, tile=128, overlap=32).predict(img, need="all")
    assert tiled.tiled and not direct.tiled
    np.testing.assert_allclose(tiled.probability, direct.probability, atol=1e-5)
    np.testing.assert_allclose(tiled.focus_map, direct.focus_map, atol=1e-5)
    assert (tiled.hole == direct.hole).all()


def test_tile_grid_covers_every_pixel_with_overlap() -> None:
    for h, w in [(1080, 1920), (2048, 3072), (130, 129), (512, 512), (513, 700)]:
        tiles = tile_grid(h, w, 512, 64)
        cover = np.zeros((h, w), np.int32)
        for t in tiles:
            assert t.h <= 512 and t.w <= 512 and t.y0 + t.h <= h and t.x0 + t.w <= w
            cover[t.y0: t.y0 + t.h, t.x0: t.x0 + t.w] += 1
        assert cover.min() >= 1
        xs = sorted({t.x0 for t in tiles})
        assert all(x % 32 == 0 for x in xs)
        assert all(b - a <= 512 - 64 for a, b in zip(xs, xs[1:], strict=False))


def test_tiled_big_frame_matches_a_full_resolution_run() -> None:
    """Tiles at native resolution reassemble what the network computes on the whole frame."""
    img = _image(200, 360, seed=3)
    model = FakeFoSp()
    tiled = Predictor(model, device="cpu", tiled=True, tile=128, overlap=48, batch_size=3).predict(img)
    assert tiled.probability.shape == (200, 360) and np.isfinite(tiled.probability).all()
    canvas = np.empty((384, 384, 3), np.uint8)
    canvas[...] = PAD_RGB
    canvas[:200, :360] = img
    whole = Predictor(FakeFoSp(), device="cpu", input_size=384).predict(canvas)
    ref = whole.probability  # 384x384 canvas == native scale
    diff = np.abs(tiled.probability - ref[:200, :360])
    assert diff.mean() < 0.003, diff.mean()
    assert model.batch_sizes and max(model.batch_sizes) <= 3


def test_tiled_canvases_are_native_resolution_crops() -> None:
    img = _image(300, 700)
    model = FakeFoSp()
    seen: list[torch.Tensor] = []
    orig = model.encode
    model.encode = lambda x: (seen.append(x.clone()), orig(x))[1]  # type: ignore[method-assign]
    p = Predictor(model, device="cpu", tiled=True, tile=128, overlap=32, batch_size=64)
    p.predict(img)
    tiles = tile_grid(300, 700, 128, 32)
    x = seen[0]
    assert x.shape[0] == len(tiles)
    t = tiles[5]
    np.testing.assert_array_equal(x[5].permute(1, 2, 0).numpy().astype(np.uint8),
                                  img[t.y0: t.y0 + 128, t.x0: t.x0 + 128])


def test_predict_batch_matches_single_predictions() -> None:
    imgs = [_image(60, 80, 1), _image(90, 120, 2), _image(97, 131, 3), _image(64, 64, 4)]
    model = FakeFoSp()
    p = Predictor(model, device="cpu", input_size=64, batch_size=2)
    batch = p.predict_batch(imgs)
    assert model.batch_sizes == [2, 1, 1]  # 48x64 twice, then 47x64 and 64x64 alone
    for img, b in zip(imgs, batch, strict=True):
        single = Predictor(FakeFoSp(), device="cpu", input_size=64).predict(img)
        np.testing.assert_allclose(b.probability, single.probability, atol=1e-5)


def _oom_once_above(model: FakeFoSp, limit: int) -> None:
    orig = model.encode

    def encode(x: torch.Tensor):  # noqa: ANN202
        if x.shape[0] > limit:
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return orig(x)

    model.encode = encode  # type: ignore[method-assign]


def test_oom_halves_the_batch_and_keeps_results() -> None:
    imgs = [_image(64, 64, s) for s in range(5)]
    ref = Predictor(FakeFoSp(), device="cpu", input_size=64, batch_size=1).predict_batch(imgs)
    model = FakeFoSp()
    _oom_once_above(model, 1)
    p = Predictor(model, device="cpu", input_size=64, batch_size=4)
    with pytest.warns(DeviceFallbackWarning, match="batch"):
        out = p.predict_batch(imgs)
    assert p.batch_size == 1 and len(out) == 5
    for a, b in zip(out, ref, strict=True):
        np.testing.assert_allclose(a.probability, b.probability, atol=1e-6)


def test_oom_at_batch_one_on_gpu_falls_back_to_cpu(monkeypatch) -> None:
    """Simulated: the 'GPU' is out of memory whatever the batch; the predictor must end on the CPU."""
    model = FakeFoSp()
    p = Predictor(model, device="cpu", input_size=64, batch_size=2, precision="bf16")
    on_gpu = {"flag": True}
    monkeypatch.setattr(devmod, "is_accelerator", lambda d: on_gpu["flag"])
    orig_encode = model.encode

    def encode(x: torch.Tensor):  # noqa: ANN202
        if on_gpu["flag"]:
            raise torch.cuda.OutOfMemoryError("CUDA out of memory.")
        return orig_encode(x)

    model.encode = encode  # type: ignore[method-assign]
    orig_fallback = p._fall_back_to_cpu

    def fallback() -> None:
        on_gpu["flag"] = False
        orig_fallback()

    monkeypatch.setattr(p, "_fall_back_to_cpu", fallback)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = p.predict_batch([_image(64, 64, 0), _image(64, 64, 1)])
    messages = [str(w.message) for w in caught if issubclass(w.category, DeviceFallbackWarning)]
    assert any("retrying with batch 1" in m for m in messages)
    assert any("continuing on the CPU" in m for m in messages)
    assert len(out) == 2 and p.device.type == "cpu" and p.autocast_dtype is None
    ref = Predictor(FakeFoSp(), device="cpu", input_size=64).predict(_image(64, 64, 1))
    np.testing.assert_allclose(out[1].probability, ref.probability, atol=1e-6)


def test_oom_on_cpu_at_batch_one_raises_a_clear_error() -> None:
    model = FakeFoSp()
    _oom_once_above(model, 0)
    p = Predictor(model, device="cpu", input_size=64, batch_size=1)
    with pytest.raises(InferenceError, match="out of memory on cpu"):
        p.predict(_image(64, 64))


def test_non_oom_errors_propagate() -> None:
    model = FakeFoSp()
    model.encode = lambda x: (_ for _ in ()).throw(RuntimeError("shape mismatch"))  # type: ignore[method-assign]
    with pytest.raises(RuntimeError, match="shape mismatch"):
        Predictor(model, device="cpu", input_size=64).predict(_image(64, 64))


def test_bad_images_are_refused() -> None:
    p = Predictor(FakeFoSp(), device="cpu", input_size=64)
    with pytest.raises(ValueError, match="zero width"):
        p.predict(np.zeros((0, 10, 3), np.uint8))
    with pytest.raises(ValueError, match="uint8"):
        p.predict(np.zeros((10, 10, 3), np.float32))
    with pytest.raises(ValueError, match="shape"):
        p.predict(np.zeros((10, 10, 4), np.uint8))
    assert p.predict(np.zeros((10, 12), np.uint8)).probability.shape == (10, 12)  # gray is expanded


def test_devices_and_precisions_on_this_machine() -> None:
    assert resolve_device("cpu").type == "cpu"
    if not torch.cuda.is_available():
        assert resolve_device("auto").type in ("cpu", "mps")
        with pytest.raises(DeviceError, match="not available"):
            resolve_device("cuda")
    with pytest.raises(DeviceError, match="unknown device"):
        resolve_device("tpu9")
    with pytest.raises(DeviceError, match="not supported"):
        Predictor(FakeFoSp(), device="cpu", precision="fp16")
    with pytest.raises(ValueError, match="multiple of 32"):
        Predictor(FakeFoSp(), device="cpu", input_size=100)
    assert devmod.is_out_of_memory(torch.cuda.OutOfMemoryError("x"))
    assert devmod.is_out_of_memory(RuntimeError("MPS backend out of memory"))
    assert not devmod.is_out_of_memory(RuntimeError("size mismatch"))


def test_bf16_autocast_and_channels_last_paths_agree_with_fp32() -> None:
    img = _image(64, 64)
    ref = Predictor(FakeFoSp(), device="cpu", input_size=64).predict(img).probability
    bf16 = Predictor(FakeFoSp(), device="cpu", input_size=64, precision="bf16").predict(img).probability
    cl = Predictor(FakeFoSp(), device="cpu", input_size=64, channels_last=True).predict(img).probability
    assert np.abs(bf16 - ref).max() < 0.05
    np.testing.assert_allclose(cl, ref, atol=1e-5)
