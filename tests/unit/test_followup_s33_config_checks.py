"""Config checks: a batch of 1 with 32 px crops is refused before the run (BatchNorm cannot train on it)."""

from __future__ import annotations

import pytest

from fosp_core.train.config import ConfigError, load_config
from fosp_core.train.config_schema import TrainConfig


def test_batch_of_one_with_32px_crops_is_refused_with_what_to_change() -> None:
    with pytest.raises(ConfigError) as info:
        load_config("small-cpu", ["train.batch_size=1", "data.crop=32"])
    words = str(info.value)
    assert "train.batch_size" in words and "BatchNorm" in words
    assert "train.batch_size=2" in words and "64" in words and "norm=gn" in words


def test_a_crop_schedule_entry_of_32_px_is_refused_too() -> None:
    with pytest.raises(ConfigError, match="data.crop_schedule.1 = 32"):
        load_config("small-cpu", ["train.batch_size=1", "data.crop_schedule=[[0, 64], [10, 32]]"])


@pytest.mark.parametrize("overrides", [
    ["train.batch_size=2", "data.crop=32"],
    ["train.batch_size=1", "data.crop=64"],
    ["train.batch_size=1", "data.crop=32", "model.overrides.norm=\"gn\""],
    ["train.batch_size=1", "data.crop=32", "model.name=\"segformer-b0\""],
])
def test_settings_the_norm_can_train_on_pass(overrides: list[str]) -> None:
    load_config("small-cpu", overrides)


def test_best_metric_doc_says_which_scores_are_lower_is_better() -> None:
    doc = TrainConfig.__doc__ or ""
    assert "(higher is better)" not in doc
    assert "mse" in doc and "lower" in doc
