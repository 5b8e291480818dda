"""`small_data_notes`' batch warning says the batch a step takes as it is set: train.batch_size,
times grad_accum, times the processes of a DDP run (review: it named batch_size x grad_accum
"train.batch_size", and under DDP warned of a per-process batch smaller than the images)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from fosp_core.train.config_schema import TrainConfig
from fosp_core.train.small_data import small_data_notes


@dataclass
class _Source:
    name: str
    size: int


TRAIN = [_Source("export[train]", 6)]
VAL = [_Source("export[val]", 10)]


def test_one_process_without_accumulation_keeps_its_words() -> None:
    (note,) = small_data_notes(replace(TrainConfig(), batch_size=8, grad_accum=1), TRAIN, VAL)
    assert "train.batch_size = 8 is more than the 6 training images" in note and "train.batch_size=6)" in note


def test_accumulation_is_not_called_the_batch_size() -> None:
    (note,) = small_data_notes(replace(TrainConfig(), batch_size=4, grad_accum=2), TRAIN, VAL)
    assert "train.batch_size = 8" not in note, note
    assert "8 images a step (train.batch_size = 4 x train.grad_accum = 2)" in note, note
    assert "train.batch_size=6 train.grad_accum=1" in note


def test_processes_are_counted_and_named() -> None:
    (note,) = small_data_notes(replace(TrainConfig(), batch_size=4, grad_accum=1), TRAIN, VAL, world_size=2)
    assert "train.batch_size = 4 is more than" not in note, note  # 4 is not more than 6
    assert "8 images a step (train.batch_size = 4 x 2 processes) is more than the 6 training images" in note, note
    assert "train.batch_size=3)" in note
    assert small_data_notes(replace(TrainConfig(), batch_size=3, grad_accum=1), TRAIN, VAL, world_size=2) == []
