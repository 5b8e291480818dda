"""small-cpu's train.best_metric names its own selection set ("smokeseg-samples[train]/total/f_beta"): a
user giving data.val of their own (their export's val split) was refused with "names validation source
'smokeseg-samples[train]' ... (or use a headline key such as 'fbeta')", the error's origin named as
'smokeseg-samples[train]' (the source's name shadowed the config file's). The file's key now follows a
data.val given on the command line (the first source's F-beta, "fbeta"); a best_metric the user set
themselves is still refused, naming the exact override to add and the file or override it came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.train.config import ConfigError, load_config

VAL = 'data.val=[{path="my-export", split="val"}]'


def test_a_bundled_key_follows_the_users_own_validation_source(tmp_path: Path) -> None:
    cfg = load_config("small-cpu", [f"data.root={tmp_path}", VAL])
    assert cfg.train.best_metric == "fbeta"


def test_the_users_own_key_naming_a_missing_source_names_the_override_to_add(tmp_path: Path) -> None:
    wrong = 'train.best_metric="other[val]/total/f_beta"'
    with pytest.raises(ConfigError) as raised:
        load_config("small-cpu", [f"data.root={tmp_path}", VAL, wrong])
    text = str(raised.value)
    assert text.startswith(f"command-line override {wrong!r}")
    assert "train.best_metric=fbeta" in text and '"my-export[val]/total/f_beta"' in text


def test_a_config_file_of_ones_own_is_named_as_the_origin(tmp_path: Path) -> None:
    own = tmp_path / "mine.toml"
    own.write_text('base = "small-cpu"\n[data]\nval = [{path = "my-export", split = "val"}]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(own, [f"data.root={tmp_path}"])
    assert "train.best_metric=fbeta" in str(raised.value)
    assert "smokeseg-samples[train]:" not in str(raised.value)  # the origin is a file, not the source's name
