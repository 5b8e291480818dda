"""Default inpainter: channel plan, mask input, the one-batch feature difference, pre-training."""

from __future__ import annotations

import pytest
import torch

from fosp_core.model import Inpainter, InpainterConfig, masked_reconstruction_loss

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _trained_looking(inp: Inpainter) -> Inpainter:
    """Give the zero-initialised residual branches weights so the test sees real signal paths."""
    for m in inp.modules():
        if isinstance(m, torch.nn.Conv2d):
            torch.nn.init.normal_(m.weight, 0.0, 0.05)
            torch.nn.init.normal_(m.bias, 0.0, 0.05)
    return inp.eval()


def _hole(b: int, h: int, w: int) -> torch.Tensor:
    hole = torch.zeros(b, 1, h, w)
    hole[..., h // 4 : h // 2, w // 3 : w // 2] = 1.0
    return hole


def test_channel_plan_and_sizes():
    inp = Inpainter().eval()
    assert inp.feature_channels == (512, 512, 512, 256)
    x = torch.rand(2, 3, 70, 45) * 255
    with torch.inference_mode():
        out = inp(x, _hole(2, 70, 45))
    assert [tuple(f.shape) for f in out.features] == [
        (2, 512, 3, 2),
        (2, 512, 5, 3),
        (2, 512, 9, 6),
        (2, 256, 18, 12),
    ]
    assert out.rgb.shape == (2, 3, 70, 45)


def test_hole_is_what_the_network_sees():
    inp = _trained_looking(Inpainter())
    x = torch.rand(1, 3, 64, 64) * 255
    hole = _hole(1, 64, 64)
    y = x.clone()
    y[hole.expand_as(y) > 0] = 0.0  # change only the hidden pixels
    with torch.inference_mode():
        a, b = inp(x, hole).rgb, inp(y, hole).rgb
        c = inp(y, torch.zeros_like(hole)).rgb
    assert torch.allclose(a, b, atol=1e-4)  # pixels under the hole are never read
    assert not torch.allclose(b, c, atol=1e-3)


def test_feature_difference_equals_two_calls():
    inp = _trained_looking(Inpainter())
    x = torch.rand(2, 3, 64, 96) * 255
    hole = _hole(2, 64, 96)
    with torch.inference_mode():
        diffs, rgb = inp.feature_difference(x, hole)
        n, a = inp(x, hole), inp(x, torch.zeros_like(hole))
    for d, fn, fa in zip(diffs, n.features, a.features, strict=True):
        assert torch.allclose(d, fn - fa, atol=1e-4)
    assert torch.allclose(rgb, n.rgb, atol=1e-3)


def test_pretraining_step_reduces_the_masked_reconstruction_loss():
    inp = Inpainter(InpainterConfig(widths=(8, 16, 32, 64), feature_channels=(64, 64, 64, 32))).train()
    x = torch.rand(2, 3, 64, 64) * 255
    hole = _hole(2, 64, 64)
    opt = torch.optim.Adam(inp.parameters(), lr=1e-2)
    losses = []
    for _ in range(8):
        out = inp(x, hole, need_features=False)
        assert out.features is None
        loss = masked_reconstruction_loss(out.rgb, x, hole)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]
    assert all(p.grad is not None for p in inp.feature_heads.parameters())  # heads are trained too


def test_bad_hole_shape_is_refused():
    inp = Inpainter()
    with pytest.raises(ValueError, match="hole mask must be"):
        inp(torch.rand(1, 3, 64, 64), torch.zeros(1, 64, 64))
