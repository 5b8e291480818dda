"""A validation image whose short side is under the network's smallest input (29 px for MiT, 32 for the
app's canvas) crashed the whole training run at its first validation ("ValueError: fosp-s: images must be
at least 29x29, got (20, 512)"): `resize_for_eval` left an image alone when its long side already was
`train.val_size` (or `val_size = 0`, native), and only a resized image had its sides kept at 32 or more.
The app and `fosp predict` take such an image (the letterbox pads it). An image of a thin strip (a
panorama's band, a cropped horizon) is a valid photo: it is now stretched to 32 px on that side, its
probability upsampled back to its label as every validation image's is; hard-example mining
(`mine_source`) and the inpainter's validation read images the same way."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
import torch


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.mark.parametrize(("shape", "long_side", "resized"), [
    ((20, 512, 3), 512, (32, 512, 3)),   # the long side is val_size already: only the thin side grows
    ((20, 300, 3), 0, (32, 300, 3)),     # native size (val_size = 0)
    ((512, 7, 3), 512, (512, 32, 3)),
    ((300, 400, 3), 0, (300, 400, 3)),   # nothing to do: the same array
    ((300, 512, 3), 512, (300, 512, 3)),
])
def test_resize_for_eval_keeps_every_side_at_32_or_more(shape: tuple[int, int, int], long_side: int,
                                                       resized: tuple[int, int, int]) -> None:
    from fosp_core.train.data import resize_for_eval

    image = np.random.default_rng(0).integers(0, 255, shape, dtype=np.uint8)
    out = resize_for_eval(image, long_side)
    assert out.shape == resized and out.dtype == np.uint8
    if resized == shape:
        assert out is image


def test_a_thin_validation_image_is_scored_not_a_crash() -> None:
    from fosp_core.model.registry import build_model
    from fosp_core.train.data import resize_for_eval
    from fosp_core.train.evaluate import predict_probability

    model = build_model("fosp-s").eval()
    image = np.random.default_rng(1).integers(0, 255, (20, 512, 3), dtype=np.uint8)
    prob = predict_probability(model, resize_for_eval(image, 512), (20, 512), torch.device("cpu"),
                               contextlib.nullcontext)
    assert prob.shape == (20, 512) and np.isfinite(prob).all()
