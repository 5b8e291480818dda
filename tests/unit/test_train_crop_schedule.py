"""Progressive resizing (`data.crop_schedule`): crop sizes by iteration, the same view at another
resolution, and a training run across the switch."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from fosp_core.train.config import ConfigError
from fosp_core.train.data import (
    MixedTrainStream,
    ScheduledAugment,
    build_augment,
    crop_at,
    open_sources,
    schedule_at,
)
from fosp_core.train.loop import Trainer
from tests.unit.test_train_support import tiny_config


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _data(demo_dir: Path, **extra: object) -> dict[str, object]:
    return {"root": str(demo_dir.parent), "crop": 64, "scale": 96, "ratio_range": [0.75, 1.25], "workers": 0,
            "train": [{"path": demo_dir.name}], **extra}


def test_crop_at_follows_the_schedule(demo_dir: Path, tmp_path: Path) -> None:
    cfg = tiny_config(demo_dir, tmp_path, data=_data(demo_dir, crop_schedule=[[5, 128], [2, 32]]))
    assert [crop_at(cfg, i) for i in range(7)] == [64, 64, 32, 32, 32, 128, 128]


def test_the_view_stays_and_the_resolution_changes(demo_dir: Path, tmp_path: Path) -> None:
    cfg = tiny_config(demo_dir, tmp_path, data=_data(demo_dir))
    half = build_augment(cfg, 32)
    assert half.crop_size == 32 and half.scale == 48 and half.ratio_range == (0.75, 1.25)
    native = tiny_config(demo_dir, tmp_path, data=_data(demo_dir, scale=0))
    aug = build_augment(native, 32)
    assert aug.scale is None and aug.ratio_range == pytest.approx((0.375, 0.625))


def test_stream_crops_by_iteration(demo_dir: Path, tmp_path: Path) -> None:
    cfg = tiny_config(demo_dir, tmp_path, data=_data(demo_dir, crop_schedule=[[2, 32]]))
    stream = MixedTrainStream(open_sources(cfg, "train"), ScheduledAugment(cfg, samples_per_iteration=3), seed=0)
    sizes = [tuple(stream[i][0].shape[1:]) for i in range(9)]
    assert sizes == [(64, 64)] * 6 + [(32, 32)] * 3
    # the schedule changes sizes only: an index before the switch is the same sample as without one
    plain = MixedTrainStream(open_sources(cfg, "train"), build_augment(cfg), seed=0)
    assert np.array_equal(plain[4][0].numpy(), stream[4][0].numpy())


def test_training_runs_across_the_switch(demo_dir: Path, tmp_path: Path) -> None:
    cfg = tiny_config(demo_dir, tmp_path, data=_data(demo_dir, crop_schedule=[[0, 32], [2, 64]]),
                      train={"iterations": 4, "save_every": 0, "log_every": 1})
    result = Trainer(cfg).run()
    assert result.iteration == 4
    losses = [json.loads(line)["loss"] for line in (cfg.run_dir() / "log.jsonl").read_text().splitlines()
              if json.loads(line)["type"] == "train"]
    assert len(losses) == 4 and all(0 < v < 5 for v in losses)


@pytest.mark.parametrize("entry", [[0, 48], [-1, 64], [3, 0], [0, 64, 96, 32], [0, 64, 96, -1], [0, 64, 0, 8]])
def test_bad_entries_are_named(demo_dir: Path, tmp_path: Path, entry: list[int]) -> None:
    with pytest.raises(ConfigError, match=r"data\.crop_schedule\.0"):
        tiny_config(demo_dir, tmp_path, data=_data(demo_dir, crop_schedule=[entry]))


def test_an_entry_with_a_scale_widens_the_view_at_the_same_resolution(demo_dir: Path, tmp_path: Path) -> None:
    cfg = tiny_config(demo_dir, tmp_path, data=_data(demo_dir, crop_schedule=[[0, 32], [2, 96, 96], [3, 64]]))
    assert [schedule_at(cfg, i) for i in range(5)] == [(32, 0, 0), (32, 0, 0), (96, 96, 0), (64, 0, 0), (64, 0, 0)]
    wide = ScheduledAugment(cfg, samples_per_iteration=1).augments[(96, 96, 0)]
    assert wide.crop_size == 96 and wide.scale == 96 and wide.ratio_range == (0.75, 1.25)
    narrow = ScheduledAugment(cfg, samples_per_iteration=1).augments[(32, 0, 0)]
    assert narrow.scale == 48  # progressive resizing: 32 of a 48 px copy, the 64-of-96 view
    stream = MixedTrainStream(open_sources(cfg, "train"), ScheduledAugment(cfg, samples_per_iteration=2), seed=0)
    assert [tuple(stream[i][0].shape[1:]) for i in range(8)] == [(32, 32)] * 4 + [(96, 96)] * 2 + [(64, 64)] * 2


@pytest.mark.parametrize("entry", [[0, 64, 0], [0, 64, 96, 1, 2]])
def test_bad_view_entries_are_named(demo_dir: Path, tmp_path: Path, entry: list[int]) -> None:
    with pytest.raises(ConfigError, match=r"data\.crop_schedule\.0"):
        tiny_config(demo_dir, tmp_path, data=_data(demo_dir, crop_schedule=[entry]))


def test_context_is_seen_but_not_supervised(demo_dir: Path, tmp_path: Path) -> None:
    """`[iteration, crop, scale, context]`: the crop shows `context` px around a supervised centre;
    the label there is 255 (ignored by every loss), and the centre is the narrow view's pixels."""
    cfg = tiny_config(demo_dir, tmp_path, data=_data(demo_dir, crop_schedule=[[2, 96, 96, 16]]))
    assert schedule_at(cfg, 1) == (64, 0, 0) and schedule_at(cfg, 2) == (96, 96, 16)
    stream = MixedTrainStream(open_sources(cfg, "train"), ScheduledAugment(cfg, samples_per_iteration=2), seed=0)
    for i in range(4, 8):
        image, mask = stream[i]
        assert tuple(image.shape) == (3, 96, 96) and tuple(mask.shape) == (96, 96)
        m = mask.numpy()
        ring = np.ones_like(m, bool)
        ring[16:-16, 16:-16] = False
        assert (m[ring] == 255).all()
        assert set(np.unique(m[16:-16, 16:-16])) <= {0, 1, 255}
    assert any((stream[i][1].numpy()[16:-16, 16:-16] == 1).any() for i in range(4, 12))  # smoke is supervised
    wide = ScheduledAugment(cfg, samples_per_iteration=1).augments[(96, 96, 16)]
    assert wide.context == 16 and wide.crop_size == 96 and wide.scale == 96
