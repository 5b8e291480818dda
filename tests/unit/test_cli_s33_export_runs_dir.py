"""`fosp train-export RUN OUT` had no ``--runs-dir`` while ``fosp train`` and ``fosp train-ssl`` have one: a run
trained with ``--runs-dir DIR`` had to be named by its folder's path. ``--runs-dir DIR`` now means the same as
there: the folder of run folders a run's name is looked up in (default: the user cache's runs folder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.cli import main
from tests.unit.test_train_support import save_tiny_checkpoint, tiny_config_toml

NAME = "my-finetune"


@pytest.fixture()
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(runs: Path, demo_dir: Path) -> Path:
    (runs / NAME).mkdir(parents=True)
    tiny_config_toml(demo_dir, runs, runs / NAME / "config.toml", name=NAME)
    save_tiny_checkpoint(runs / NAME / "best.safetensors")
    return runs / NAME


def test_a_run_under_runs_dir_is_exported_by_its_name(here: Path, demo_dir: Path, capsys) -> None:
    _run(here / "my runs", demo_dir)
    code = main(["train-export", NAME, "out.safetensors", "--runs-dir", str(here / "my runs")])
    assert code == 0, capsys.readouterr().err
    assert (here / "out.safetensors").is_file()


def test_the_error_names_the_runs_dir_given(here: Path, demo_dir: Path, capsys) -> None:
    _run(here / "cache" / "runs", demo_dir)  # in the default folder, not in the one given
    (here / "elsewhere").mkdir()
    assert main(["train-export", NAME, "out.safetensors", "--runs-dir", str(here / "elsewhere")]) == 2
    err = capsys.readouterr().err
    assert f"no run {NAME} here nor in the runs folder {here / 'elsewhere'}" in err, err
    assert "a run trained with --runs-dir" not in err  # it was given


def test_a_soup_looks_in_runs_dir_too(here: Path, demo_dir: Path, capsys) -> None:
    _run(here / "runs", demo_dir)
    code = main(["train-export", NAME, "out.safetensors", "--runs-dir", str(here / "runs"), "--soup", "other"])
    assert code == 2
    assert f"no run other here nor in the runs folder {here / 'runs'}" in capsys.readouterr().err


def test_runs_dir_that_is_no_folder_is_said(here: Path, capsys) -> None:
    (here / "file.txt").write_text("x")
    assert main(["train-export", NAME, "out.safetensors", "--runs-dir", str(here / "file.txt")]) == 2
    assert f"--runs-dir {here / 'file.txt'}: not a folder" in capsys.readouterr().err


def test_help_says_it(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["train-export", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--runs-dir DIR folder of run folders" in out, out
