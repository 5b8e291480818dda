"""`fosp train CONFIG data.root=~/data`: the override's ``~`` was kept as typed in the config (its errors said
"data.root = '~/data'", the model card recorded "~/data"; each use expanded it again), ``~nosuchuser/data``
ended in a traceback ("RuntimeError: Could not determine home directory."), and on Windows any ``~name`` was read
as a user beside the current one (``~1data`` -> ``C:\\Users\\1data``), which no Windows shell does. The path
keys (data.root, runs_dir, model.init_from / pretrained_backbone / inpainter, each source's path and hard-example
files) now read ``~`` as the command line reads it (`fosp_core.cli.expand_home`: ``~`` and ``~/``, ``~user`` on
POSIX only), once, when the config is loaded; an unknown user's home is a ConfigError naming the key and the
override (exit 2). Other keys (``name=~x``) are left alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fosp_core.cli import main
from fosp_core.train import config_paths
from fosp_core.train.config import ConfigError, load_config


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    return tmp_path / "home"


def test_path_keys_read_the_home_folder(home: Path) -> None:
    cfg = load_config("small-cpu", ["data.root=~/data", "runs_dir=~/runs", "model.init_from=~/w.safetensors",
                                    "name=~x"])
    assert cfg.data.root == str(home / "data")
    assert cfg.runs_dir == str(home / "runs")
    assert cfg.model.init_from == str(home / "w.safetensors")
    assert cfg.name == "~x"  # a name, not a path
    assert cfg.run_dir() == home / "runs" / "~x"


def test_a_source_path_in_a_toml_override_reads_it_too(home: Path) -> None:
    cfg = load_config("small-cpu", ['data.train=[{path="~/export", split="train", hard_negatives="~/neg.json"}]'])
    assert cfg.data.train[0].path == str(home / "export")
    assert cfg.data.train[0].hard_negatives == str(home / "neg.json")


@pytest.mark.skipif(os.name != "posix", reason="~user is a POSIX shell's")
def test_another_users_home_on_posix(home: Path) -> None:
    import pwd

    user = pwd.getpwuid(os.getuid()).pw_name
    cfg = load_config("small-cpu", [f"data.root=~{user}/data"])
    assert cfg.data.root == os.path.expanduser(f"~{user}/data")


def test_an_unknown_users_home_is_a_config_error_naming_the_override(home: Path) -> None:
    with pytest.raises(ConfigError) as error:
        load_config("small-cpu", ["data.root=~nosuchuser/data"])
    text = str(error.value)
    assert text.startswith("command-line override 'data.root=~nosuchuser/data': 'data.root': "), text
    assert "the home folder of a user nosuchuser, which does not exist here" in text, text


def test_the_command_says_it_with_exit_2(home: Path, capsys) -> None:
    assert main(["train", "small-cpu", "data.root=~nosuchuser/data"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "~nosuchuser, the home folder of a user nosuchuser" in err, err


def test_windows_reads_no_other_users_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config_paths, "ON_POSIX", False)
    cfg = load_config("small-cpu", ["data.root=~1data", "runs_dir=~/runs"])
    assert cfg.data.root == "~1data"  # a folder of that name, as a Windows shell leaves it
    assert cfg.runs_dir == str(home / "runs")
    assert cfg.data_path(cfg.data.train[0]).parent == (Path("~1data")).resolve()
