"""QA of the inference core: a predictor shared by two threads, maps that land exactly on the input
(letterbox and tiles, odd sizes), and the value ranges and dtypes of every output map."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from fosp_core.infer import Predictor
from tests.unit.test_infer_fakes import FakeFoSp

torch.set_num_threads(1)
DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "resources" / "models" / "fosp-default.safetensors"


class SlowFake(FakeFoSp):
    """FakeFoSp that yields the GIL inside encode, so two threads interleave on every call."""

    def encode(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        time.sleep(0.002)
        return super().encode(x)


class Echo(nn.Module):
    """Returns its input's red channel as the smoke probability (logits of value / 255), at full
    resolution: whatever the predictor does to the image on the way in must be undone on the way out."""

    def __init__(self) -> None:
        super().__init__()
        self.unused = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        v = (x[:, :1] / 255.0).clamp(1e-4, 1 - 1e-4)
        return torch.log(v / (1 - v))


def test_two_threads_sharing_a_predictor_each_get_their_own_tau() -> None:
    # Two threads, one predictor, different images and tau: a call used the tau the other thread had
    # just set (Prediction.tau and the hole said 0.6 for a call made with 0.05).
    rng = np.random.default_rng(0)
    images = [rng.integers(0, 255, (96, 128, 3), dtype=np.uint8) for _ in range(2)]
    taus = (0.05, 0.6)
    refs = [Predictor(FakeFoSp(), device="cpu", input_size=64).predict(images[i], tau=taus[i]) for i in range(2)]
    shared = Predictor(SlowFake(), device="cpu", input_size=64)
    wrong: list[tuple[int, float | None]] = []

    def work(i: int) -> None:
        for _ in range(25):
            pred = shared.predict(images[i], tau=taus[i])
            if (pred.tau != taus[i] or not np.array_equal(pred.hole, refs[i].hole)
                    or not np.allclose(pred.probability, refs[i].probability, atol=1e-5)):
                wrong.append((i, pred.tau))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []


@pytest.mark.parametrize("size", [(700, 300), (37, 1000), (513, 511), (1, 50), (31, 7), (1080, 1920)])
@pytest.mark.parametrize("tiled", [False, True])
def test_maps_land_on_the_input_without_a_shift(size: tuple[int, int], tiled: bool) -> None:
    h, w = size
    img = np.zeros((h, w, 3), np.uint8)
    img[:, int(w * 0.61):] = 255  # a vertical edge right of centre
    img2 = np.zeros((h, w, 3), np.uint8)
    img2[int(h * 0.37):] = 255  # a horizontal edge above centre
    p = Predictor(Echo(), device="cpu", tiled=tiled, tile=256, overlap=64, input_size=512)
    prob = p.predict(img, need=()).probability
    prob2 = p.predict(img2, need=()).probability
    assert prob.shape == prob2.shape == (h, w) and prob.dtype == np.float32
    if tiled:  # native resolution: exact
        np.testing.assert_allclose(prob, img[..., 0] / 255.0, atol=2e-4)
        return
    # resized there and back: the 0.5 crossing stays within half a pixel of the edge
    if w > 1:
        row = prob[h // 2]
        x = int(np.argmax(row >= 0.5))
        assert abs((x - 1) + (0.5 - row[x - 1]) / (row[x] - row[x - 1]) + 0.5 - int(w * 0.61)) < 0.75
    if h > 1:
        col = prob2[:, w // 2]
        y = int(np.argmax(col >= 0.5))
        assert abs((y - 1) + (0.5 - col[y - 1]) / (col[y] - col[y - 1]) + 0.5 - int(h * 0.37)) < 0.75


@pytest.mark.parametrize("tiled", [False, True])
def test_default_model_odd_sizes_give_full_size_maps_in_range(tiled: bool) -> None:
    p = Predictor(DEFAULT_MODEL, device="cpu", tiled=tiled, input_size=128, tile=128, overlap=32)
    rng = np.random.default_rng(1)
    for h, w in [(1, 1), (1, 97), (97, 1), (3, 7), (131, 257)]:
        pred = p.predict(rng.integers(0, 255, (h, w, 3), dtype=np.uint8), need="all")
        for m in (pred.probability, pred.focus_map, *pred.side_maps.values()):
            assert m.shape == (h, w) and m.dtype == np.float32 and np.isfinite(m).all()
            assert 0.0 <= m.min() and m.max() <= 1.0
        assert pred.hole.shape == (h, w) and pred.hole.dtype == bool
        assert pred.background.shape == (h, w, 3) and pred.background.dtype == np.uint8
        for e in pred.foreground_energy.values():
            assert e.shape == (h, w) and e.dtype == np.float32 and (e >= 0).all()
