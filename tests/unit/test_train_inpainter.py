"""Inpainter pre-training: holes, smoke never a target, a few iterations with held-out error."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from fosp_core.train.inpainter import (
    InpainterTask,
    random_holes,
    reconstruction_errors,
    target_weights,
)
from fosp_core.train.loop import Trainer
from tests.unit.test_train_support import tiny_config


def test_holes_cover_the_requested_share() -> None:
    rng = np.random.default_rng(0)
    for kinds in (["freeform"], ["block"], ["freeform", "block"]):
        covers = [random_holes(128, 160, rng, kinds, (0.2, 0.4)).mean() for _ in range(20)]
        assert 0.15 < float(np.median(covers)) < 0.7, (kinds, covers)
    hole = random_holes(64, 64, np.random.default_rng(1), ["block"], (0.3, 0.3))
    assert hole.dtype == np.uint8 and set(np.unique(hole)) <= {0, 1}


def test_smoke_pixels_are_never_targets() -> None:
    masks = torch.zeros(1, 32, 32, dtype=torch.long)
    masks[0, 10:14, 10:14] = 1
    masks[0, :, 30:] = 255
    w = target_weights(masks, dilate=2)
    assert w.shape == (1, 1, 32, 32)
    assert w[0, 0, 8:16, 8:16].sum() == 0  # smoke grown by 2 px
    assert w[0, 0, :, 30:].sum() == 0  # ignore / padding
    assert w[0, 0, 0, 0] == 1
    # changing the image under smoke changes nothing in the loss, inside or outside the hole
    rgb = torch.rand(1, 3, 32, 32) * 255
    image = torch.rand(1, 3, 32, 32) * 255
    painted = image.clone()
    painted[:, :, 10:14, 10:14] = 255.0
    hole = torch.zeros(1, 1, 32, 32)
    hole[..., 5:20, 5:20] = 1
    a = reconstruction_errors(rgb, image, hole, w)
    b = reconstruction_errors(rgb, painted, hole, w)
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])


def test_pretraining_runs_and_reports_held_out_error(demo_dir: Path, tmp_path: Path) -> None:
    torch.set_num_threads(1)
    cfg = tiny_config(demo_dir, tmp_path, name="inp",
                      data={"val": [{"path": demo_dir.name, "split": "val"}], "cat_max_ratio": 1.0},
                      optim={"lr": 2e-3, "head_lr_mult": 1.0, "warmup_iters": 1},
                      train={"iterations": 4, "best_metric": "psnr", "val_every": 2})
    result = Trainer(cfg, task=InpainterTask(cfg)).run()
    assert result.iteration == 4
    assert result.last_metrics is not None and result.last_metrics["images"] == 2
    assert 0 < result.last_metrics["hole_l1"] < 255 and np.isfinite(result.last_metrics["psnr"])
    best = cfg.run_dir() / "best.safetensors"
    from safetensors import safe_open

    with safe_open(str(best), framework="pt") as f:
        meta = f.metadata()
    assert meta["kind"] == "inpainter" and meta["iteration"] in ("2", "4")
    assert json.loads(meta["config"])["widths"] == [8, 8, 16, 16]
    # a FoSp model with the same inpainter config loads it, frozen
    from fosp_core.model.inpainter import Inpainter, InpainterConfig
    from fosp_core.train.model_io import StartError, load_inpainter_weights

    fresh = Inpainter(InpainterConfig.from_dict(json.loads(meta["config"])))
    load_inpainter_weights(fresh, best)
    with pytest.raises(StartError, match="another configuration"):
        load_inpainter_weights(Inpainter(InpainterConfig()), best)
    vals = [json.loads(line) for line in (cfg.run_dir() / "log.jsonl").read_text().splitlines()]
    assert [r["iter"] for r in vals if r["type"] == "val"] == [2, 4]
