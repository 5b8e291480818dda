"""macOS (and Windows) start DataLoader workers by *spawn*, not fork: each worker gets the training stream, its
sources, the augmentation and `seed_worker` pickled, in a fresh interpreter. Linux forks, so nothing there
checks that they pickle; a lambda or an open handle anywhere in them would make every fine-tune with
``data.workers > 0`` fail at its first batch on a Mac. A spawned worker (the start method macOS uses) gives
the same batch as the run's own process, with the crop schedule's augmentation too."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
import torch

from fosp_core.train.data import (
    DataError,
    MixedTrainStream,
    ScheduledAugment,
    StepBatchSampler,
    build_augment,
    open_sources,
    seed_worker,
)
from fosp_core.train.hard_negatives import MinedImage, MiningResult, write_file
from fosp_core.train.ssl_data import SSLStream, open_image_sources
from tests.unit.test_train_ssl import _cfg as ssl_cfg
from tests.unit.test_train_ssl import data_root  # noqa: F401 - the fixture: SMOKE5K, SmokeSeg, a video
from tests.unit.test_train_support import tiny_config


def _data(demo_dir: Path, **extra: object) -> dict[str, object]:
    return {"root": str(demo_dir.parent), "crop": 64, "scale": 96, "ratio_range": [0.75, 1.25], "workers": 1,
            "train": [{"path": demo_dir.name}], **extra}


@pytest.mark.parametrize("schedule", [None, [[2, 32]]])
def test_the_training_stream_pickles(demo_dir: Path, tmp_path: Path, schedule: list[list[int]] | None) -> None:
    cfg = tiny_config(demo_dir, tmp_path, data=_data(demo_dir, **({"crop_schedule": schedule} if schedule else {})))
    augment = ScheduledAugment(cfg, samples_per_iteration=2) if schedule else build_augment(cfg)
    stream = MixedTrainStream(open_sources(cfg, "train"), augment, seed=3)
    again = pickle.loads(pickle.dumps(stream))
    for index in (0, 5):
        assert torch.equal(again[index][0], stream[index][0]) and torch.equal(again[index][1], stream[index][1])


def _hard_negatives(tmp_path: Path, demo_dir: Path) -> str:
    ids = sorted(p.stem for p in (demo_dir / "JPEGImages").iterdir())[:2]
    result = MiningResult(images={i: MinedImage(5, 100, [(0.9, 0.9)]) for i in ids}, scanned=len(ids),
                          kind="false-alarms")
    return str(write_file(tmp_path / "false-alarms.json", result))


@pytest.mark.parametrize("kind", ["synthetic", "hard negatives"])
def test_every_kind_of_source_pickles(demo_dir: Path, tmp_path: Path, kind: str) -> None:
    spec: dict[str, object] = {"path": demo_dir.name}
    if kind == "synthetic":
        spec["kind"] = "synthetic"
    else:
        spec["hard_negatives"] = _hard_negatives(tmp_path, demo_dir)
    cfg = tiny_config(demo_dir, tmp_path, data=_data(demo_dir, train=[spec]))
    try:
        (source,) = open_sources(cfg, "train")
    except DataError as exc:  # the bundled samples hold no background for synthesis
        pytest.skip(f"{kind}: {exc}")
    again = pickle.loads(pickle.dumps(source))
    assert again.draw(np.random.default_rng(4)).id == source.draw(np.random.default_rng(4)).id
    assert again[0].id == source[0].id


def test_a_spawned_worker_gives_the_same_batch(demo_dir: Path, tmp_path: Path) -> None:
    cfg = tiny_config(demo_dir, tmp_path, data=_data(demo_dir))
    stream = MixedTrainStream(open_sources(cfg, "train"), build_augment(cfg), seed=3)
    loader = torch.utils.data.DataLoader(stream, batch_sampler=StepBatchSampler(0, 1, 2), num_workers=1,
                                         worker_init_fn=seed_worker, multiprocessing_context="spawn",
                                         generator=torch.Generator().manual_seed(0))
    images, masks = next(iter(loader))
    assert torch.equal(images[1], stream[1][0]) and torch.equal(masks[0], stream[0][1])


def test_the_pre_training_stream_pickles(data_root: Path, tmp_path: Path) -> None:  # noqa: F811 - the fixture
    """`fosp train-ssl` (data.workers 1 by default): its SMOKE5K sources loaded through a lambda."""
    sources = open_image_sources(ssl_cfg(data_root, tmp_path, frame_step=6))
    assert {s.name for s in sources} >= {"smoke5k-real", "smoke5k-synthetic", "video-frames"}
    stream = SSLStream(sources, ssl_cfg(data_root, tmp_path))
    again = pickle.loads(pickle.dumps(stream))
    for index in (0, 3, 5):
        assert torch.equal(again[index][0], stream[index][0]) and torch.equal(again[index][1], stream[index][1])
