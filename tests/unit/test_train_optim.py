"""Optimiser groups (no decay on norms/biases/position blocks, head lr x10) and the lr schedule."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from fosp_core.train.config import OptimConfig
from fosp_core.train.optim import PolyWarmupLR, build_optimizer, lr_factor, param_groups


class _Tiny(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.backbone = nn.ModuleDict({"proj": nn.Conv2d(3, 4, 3), "layer_norm": nn.LayerNorm(4),
                                       "pos_block": nn.Conv2d(4, 4, 3, groups=1)})
        self.head = nn.Sequential(nn.Conv2d(4, 4, 1), nn.BatchNorm2d(4), nn.Conv2d(4, 1, 1))
        self.inpainter = nn.Conv2d(3, 3, 1).requires_grad_(False)


def test_groups_decay_and_lr_multipliers() -> None:
    torch.set_num_threads(1)
    model = _Tiny()
    cfg = OptimConfig(lr=1e-4, head_lr_mult=10.0, weight_decay=0.01)
    groups = {g["name"]: g for g in param_groups(model.named_parameters(), cfg)}
    names = {id(p): n for n, p in model.named_parameters()}
    member = {g: sorted(names[id(p)] for p in grp["params"]) for g, grp in groups.items()}
    assert member["backbone"] == ["backbone.proj.weight"]
    assert member["backbone_no_decay"] == sorted(["backbone.proj.bias", "backbone.layer_norm.weight",
                                                  "backbone.layer_norm.bias", "backbone.pos_block.weight",
                                                  "backbone.pos_block.bias"])
    assert member["head"] == ["head.0.weight", "head.2.weight"]
    assert "head.1.weight" in member["head_no_decay"] and "head.0.bias" in member["head_no_decay"]
    assert not any(n.startswith("inpainter") for ns in member.values() for n in ns)
    assert groups["backbone"]["lr"] == pytest.approx(1e-4) and groups["head"]["lr"] == pytest.approx(1e-3)
    assert groups["backbone"]["weight_decay"] == 0.01 and groups["head_no_decay"]["weight_decay"] == 0.0


def test_poly_warmup_values() -> None:
    # mmseg: warm-up from warmup_ratio to 1 linearly, times poly (1 - it/total)^power
    assert lr_factor(0, 1000, 100, 1e-6, 1.0) == pytest.approx(1e-6)
    assert lr_factor(50, 1000, 100, 0.0, 1.0) == pytest.approx(0.5 * 0.95)
    assert lr_factor(100, 1000, 100, 1e-6, 1.0) == pytest.approx(0.9)
    assert lr_factor(500, 1000, 100, 1e-6, 1.0) == pytest.approx(0.5)
    assert lr_factor(1000, 1000, 100, 1e-6, 1.0) == 0.0
    assert lr_factor(500, 1000, 0, 0.0, 2.0) == pytest.approx(0.25)
    assert lr_factor(1000, 1000, 0, 0.0, 1.0, min_ratio=0.1) == pytest.approx(0.1)


def test_scheduler_steps_and_resumes() -> None:
    model = _Tiny()
    cfg = OptimConfig(lr=6e-5, head_lr_mult=10.0, warmup_iters=1500, warmup_ratio=1e-6)
    opt = build_optimizer(model, cfg)
    sched = PolyWarmupLR(opt, cfg, total=40000)
    lrs = {}
    for it in range(2001):
        if it in (0, 750, 1500, 2000):
            lrs[it] = {g["name"]: g["lr"] for g in opt.param_groups}
        opt.step()
        sched.step()
    assert lrs[0]["backbone"] == pytest.approx(6e-5 * 1e-6, rel=1e-3)
    assert lrs[750]["backbone"] == pytest.approx(6e-5 * (1 - 750 / 40000) * (0.5 + 0.5e-6), rel=1e-6)
    assert lrs[1500]["head"] == pytest.approx(6e-4 * (1 - 1500 / 40000), rel=1e-9)
    assert lrs[2000]["backbone"] == pytest.approx(6e-5 * 0.95, rel=1e-9)
    # a fresh scheduler loaded from the state dict continues identically
    opt2 = build_optimizer(_Tiny(), cfg)
    sched2 = PolyWarmupLR(opt2, cfg, total=40000)
    sched2.load_state_dict(sched.state_dict())
    opt2.load_state_dict(opt.state_dict())
    sched.step()
    sched2.step()
    assert [g["lr"] for g in opt.param_groups] == [g["lr"] for g in opt2.param_groups]
