"""Training configs: bundled recipes load, unknown keys and wrong types fail with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.train.config import (
    ConfigError,
    bundled_configs,
    config_from_dict,
    dump_toml,
    load_config,
    parse_override,
)


def test_bundled_recipes_load() -> None:
    assert {"paper", "small-cpu", "inpainter-small"} <= set(bundled_configs())
    paper = load_config("paper")
    assert paper.model.name == "fosp"
    assert (paper.data.crop, paper.train.batch_size, paper.train.iterations) == (512, 6, 40000)
    assert paper.optim.lr == pytest.approx(6e-5) and paper.optim.head_lr_mult == 10.0
    assert paper.optim.warmup_iters == 1500 and paper.optim.power == 1.0
    small = load_config("small-cpu")
    assert small.model.name == "fosp-s" and small.train.batch_size == 8
    assert 256 <= small.data.crop <= 384
    assert [s.kind for s in small.data.train].count("synthetic") == 1


def test_overrides_apply_and_are_typed() -> None:
    cfg = load_config("small-cpu", ["train.iterations=200", "data.crop=256", "optim.lr=1e-3",
                                    "data.train.0.weight=0.9", "name=my-run", "data.ratio_range=[1.0, 1.0]"])
    assert cfg.train.iterations == 200 and cfg.data.crop == 256 and cfg.optim.lr == 1e-3
    assert cfg.data.train[0].weight == 0.9 and cfg.name == "my-run"
    assert cfg.data.ratio_range == (1.0, 1.0)
    assert parse_override("model.init_from=/a/b c.safetensors") == (["model", "init_from"], "/a/b c.safetensors")


def test_unknown_key_in_file_names_key_and_file(tmp_path: Path) -> None:
    p = tmp_path / "bad.toml"
    p.write_text('base = "small-cpu"\n[train]\niteratons = 10\n')
    with pytest.raises(ConfigError) as e:
        load_config(p)
    msg = str(e.value)
    assert "train.iteratons" in msg and str(p.resolve()) in msg and "iterations" in msg


def test_wrong_type_names_expected_type(tmp_path: Path) -> None:
    p = tmp_path / "bad.toml"
    p.write_text('[train]\nbatch_size = "eight"\n')
    with pytest.raises(ConfigError, match=r"'train.batch_size' must be int, got str 'eight'"):
        load_config(p)
    with pytest.raises(ConfigError, match="command-line override 'train.seed=1.5'.*must be int"):
        load_config("small-cpu", ["train.seed=1.5"])
    with pytest.raises(ConfigError, match="command-line override 'train.bogus=1'.*unknown key 'train.bogus'"):
        load_config("small-cpu", ["train.bogus=1"])
    with pytest.raises(ConfigError, match="data.train.0.weight.*must be float"):
        config_from_dict({"data": {"train": [{"path": "x", "weight": "heavy"}]}})
    with pytest.raises(ConfigError, match="missing required key 'data.train.0.path'"):
        config_from_dict({"data": {"train": [{"weight": 1.0}]}})


def test_value_checks() -> None:
    with pytest.raises(ConfigError, match="multiple of 32"):
        load_config("small-cpu", ["data.crop=100"])
    with pytest.raises(ConfigError, match="precision"):
        load_config("small-cpu", ["train.precision=fp8"])
    with pytest.raises(ConfigError, match="not found"):
        load_config("no-such-recipe")


def test_dump_roundtrip(tmp_path: Path) -> None:
    cfg = load_config("small-cpu", ["model.overrides={drop_path_rate = 0.0}"])
    p = tmp_path / "resolved.toml"
    p.write_text(dump_toml(cfg.to_dict()))
    again = load_config(p)
    assert again.to_dict() == cfg.to_dict()


def test_best_metric_may_name_a_validation_source_and_the_recipe_selects_apart_from_validation() -> None:
    from fosp_core.train.config import ConfigError, load_config

    cfg = load_config("small-cpu")
    names = [v.source_name for v in cfg.data.val]
    assert cfg.train.best_metric.split("/")[0] in names
    assert cfg.train.best_metric.split("/")[0] != names[0]  # not the reported validation split
    with pytest.raises(ConfigError, match="train.best_metric"):
        load_config("small-cpu", ['train.best_metric="elsewhere[val]/total/f_beta"'])
    assert load_config("small-cpu", ["train.best_metric=fbeta"]).train.best_metric == "fbeta"
