"""A bare `NAME` that is both a folder `./NAME` with weights and a run `<runs>/NAME` with weights
(`fosp eval/compare/predict --checkpoint NAME`, `fosp train-export NAME OUT`): the folder here wins,
as a path is the user's first, but the note said only 'my-finetune is a run folder: using its
best.safetensors' (eval, predict) or nothing at all (train-export), which reads as the run of that
name. The note now says that the run of that name was passed over and how to pick it.

Also `fosp train-export RUN OUT --soup NAME`: a soup member named as a run, whose folder here and
run both lack a run's files, ended in a traceback (the resolver's error was caught for RUN only),
and train-export in the runs folder itself named the run twice ('in the folder X nor in the run X'),
the case 98969f8 fixed for --checkpoint."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.cli import main
from tests.unit.test_train_support import save_tiny_checkpoint, tiny_config_toml

NAME = "my-finetune"


@pytest.fixture()
def both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_dir: Path) -> tuple[Path, Path]:
    """(./NAME and <runs>/NAME, each a run folder with config.toml and best.safetensors)."""
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    local, run = tmp_path / NAME, tmp_path / "cache" / "runs" / NAME
    for folder in (local, run):
        folder.mkdir(parents=True)
        tiny_config_toml(demo_dir, folder.parent, folder / "config.toml", name=NAME)
        save_tiny_checkpoint(folder / "best.safetensors")
    return local, run


def test_checkpoint_note_names_the_run_passed_over(both: tuple[Path, Path]) -> None:
    from fosp_core.cli.default_model import checkpoint_file

    local, run = both
    found, note = checkpoint_file(Path(NAME))
    assert found.resolve() == (local / "best.safetensors").resolve()  # the path here still wins
    assert str(local.absolute()) in note and str(run) in note, note  # was: 'my-finetune is a run folder: ...'
    assert "not the run" in note and f"give {run}" in note, note


def test_the_runs_folder_itself_is_no_second_place(both: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from fosp_core.cli.default_model import checkpoint_file

    _local, run = both
    monkeypatch.chdir(run.parent)  # ./NAME is the run itself
    _found, note = checkpoint_file(Path(NAME))
    assert "not the run" not in note, note


def test_train_export_says_which_it_took(both: tuple[Path, Path], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    local, run = both
    assert main(["train-export", NAME, "out.safetensors"]) == 0
    err = capsys.readouterr().err
    assert str(local.absolute()) in err and str(run) in err and "not the run" in err, err  # was: nothing
    assert (tmp_path / "out.safetensors").is_file()


def test_train_export_soup_member_without_files_is_an_error_line(both: tuple[Path, Path], tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    other = "empty-one"
    (tmp_path / other).mkdir()
    (tmp_path / "cache" / "runs" / other).mkdir(parents=True)
    code = main(["train-export", str(both[1]), "out.safetensors", "--soup", other])  # was: FileNotFoundError raised
    err = capsys.readouterr().err
    assert code == 2, err
    assert "no best.safetensors or last.pt" in err, err


def test_train_export_in_the_runs_folder_names_the_run_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    run = tmp_path / "cache" / "runs" / NAME
    run.mkdir(parents=True)  # a run stopped before anything was saved
    monkeypatch.chdir(run.parent)
    assert main(["train-export", NAME, str(tmp_path / "out.safetensors")]) == 2
    err = capsys.readouterr().err
    assert "nor in the run" not in err, err
