"""Validation while training says what it could not read (inpainter too, as 58abcc43 made the
segmentation one), and a first validation source that gave no image leaves the headline scores
empty (said) instead of taking the second source's as the run's `fbeta`."""

from __future__ import annotations

import contextlib
import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from fosp_core.data.dataset_entries import SampleError
from fosp_core.data.types import Sample
from fosp_core.train.sources import Source


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _source(name: str, broken: set[int], n: int = 3) -> Source:
    rng = np.random.default_rng(0)
    samples = []
    for i in range(n):
        mask = np.zeros((64, 64), np.uint8)
        mask[10:30, 10:30] = 1
        samples.append(Sample(f"img{i}", rng.integers(0, 255, (64, 64, 3), dtype=np.uint8), mask))

    def get(i: int) -> Sample:
        if i in broken:
            raise SampleError(f"img{i}", f"/data/JPEGImages/img{i}.jpg", "image file is truncated")
        return samples[i]

    return Source(name, 1.0, n, draw_fn=lambda rng: samples[0], get_fn=get)


def test_the_inpainters_validation_says_the_image_it_could_not_read() -> None:
    from fosp_core.model.inpainter import Inpainter, InpainterConfig
    from fosp_core.train.inpainter import InpainterTask

    cfg = SimpleNamespace(train=SimpleNamespace(val_size=64),
                          inpainter=SimpleNamespace(val_images=16, hole_kinds=["block"], hole_ratio=(0.1, 0.3),
                                                    smoke_dilate=2))
    task = InpainterTask(cfg)  # type: ignore[arg-type]
    metrics, table = task.validate(Inpainter(InpainterConfig()), [_source("mine[val]", {1})], cfg,  # type: ignore[arg-type]
                                   torch.device("cpu"), contextlib.nullcontext)
    assert metrics["images"] == 2
    assert "1 image left out" in table and "img1" in table and "truncated" in table, table


def test_a_first_source_with_no_image_leaves_the_headline_empty_and_says_so() -> None:
    from fosp_core.model.registry import build_model
    from fosp_core.train.evaluate import validate

    cfg = SimpleNamespace(train=SimpleNamespace(val_max_images=0, val_size=64))
    sources = [_source("first[val]", {0, 1}, n=2), _source("second[val]", set())]
    metrics, table = validate(build_model("fosp-s"), sources, cfg, torch.device("cpu"),  # type: ignore[arg-type]
                              contextlib.nullcontext)
    assert not math.isnan(metrics["second[val]/total/f_beta"])
    for key in ("fbeta", "f1", "miou", "mse", "far_fp", "fbeta_small"):
        assert key in metrics and math.isnan(metrics[key]), (key, metrics.get(key))
    assert "first[val]: no image could be read" in table
    assert "headline" in table and "first[val]" in table.split("headline", 1)[1], table


def test_the_headline_is_the_first_sources_when_it_gave_images() -> None:
    from fosp_core.model.registry import build_model
    from fosp_core.train.evaluate import validate

    cfg = SimpleNamespace(train=SimpleNamespace(val_max_images=0, val_size=64))
    sources = [_source("first[val]", {1}), _source("second[val]", set())]
    metrics, table = validate(build_model("fosp-s"), sources, cfg, torch.device("cpu"),  # type: ignore[arg-type]
                              contextlib.nullcontext)
    assert metrics["fbeta"] == metrics["first[val]/total/f_beta"]
    assert "headline" not in table
