"""A bare `--checkpoint NAME` (`fosp eval`, `fosp compare`, `fosp predict`, `fosp project prelabel`)
is a path first and a run's name second: a folder `./NAME` that holds no checkpoint (a dataset or an
export named as the run, an empty folder) shadowed the run `<runs>/NAME`, which was never tried, and
the error named only the folder. Now such a folder falls through to the run of that name, said on
stderr; when neither holds weights the error names both places looked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_train_support import save_tiny_checkpoint

NAME = "my-finetune"


@pytest.fixture()
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(the folder ./NAME, holding no checkpoint; the run folder <runs>/NAME, not made)."""
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    local = tmp_path / NAME
    local.mkdir()
    (local / "notes.txt").write_text("not weights\n")
    return local, tmp_path / "cache" / "runs" / NAME


def _run_with_weights(run: Path) -> Path:
    run.mkdir(parents=True)
    return save_tiny_checkpoint(run / "best.safetensors")


def test_eval_and_compare_fall_through_to_the_run(places: tuple[Path, Path],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from fosp_core.cli.eval import checkpoint_fn

    weights = _run_with_weights(places[1])
    _fn, loaded = checkpoint_fn(Path(NAME), "cpu", 64)  # eval's and compare's checkpoints
    assert Path(loaded).resolve() == weights.resolve()  # was: RuntimeError naming ./my-finetune
    err = capsys.readouterr().err
    assert f"using the run {NAME}" in err and str(places[1]) in err, err


def test_predict_falls_through_to_the_run(places: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    from fosp_core.cli.predict import checkpoint_to_load

    weights = _run_with_weights(places[1])
    assert checkpoint_to_load(Path(NAME)).resolve() == weights.resolve()  # was: SystemExit(2)
    assert f"using the run {NAME}" in capsys.readouterr().err


def test_neither_with_weights_names_both_places(places: tuple[Path, Path]) -> None:
    from fosp_core.cli.eval import checkpoint_fn
    from fosp_core.cli.predict import checkpoint_to_load

    local, run = places
    run.mkdir(parents=True)  # a run folder without weights (a run stopped before its first save)
    with pytest.raises(RuntimeError) as raised:
        checkpoint_fn(Path(NAME), "cpu", 64)
    assert str(local) in str(raised.value) and str(run) in str(raised.value), raised.value
    with pytest.raises(SystemExit):
        checkpoint_to_load(Path(NAME))


def test_predict_says_both_places_on_stderr(places: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    from fosp_core.cli.predict import checkpoint_to_load

    _local, run = places
    with pytest.raises(SystemExit):
        checkpoint_to_load(Path(NAME))  # no run of that name at all
    err = capsys.readouterr().err
    assert f"{NAME} is a folder, not a checkpoint file" in err and str(run.parent) in err, err


def test_a_folder_with_weights_is_still_the_folder(places: tuple[Path, Path]) -> None:
    from fosp_core.cli.eval import checkpoint_fn

    local, run = places
    _run_with_weights(run)
    mine = save_tiny_checkpoint(local / "best.safetensors")
    _fn, loaded = checkpoint_fn(Path(NAME), "cpu", 64)
    assert Path(loaded).resolve() == mine.resolve()


def test_a_path_with_a_folder_part_is_never_a_run_name(places: tuple[Path, Path]) -> None:
    from fosp_core.cli.eval import checkpoint_fn

    _run_with_weights(places[1])
    with pytest.raises(RuntimeError):
        checkpoint_fn(Path(".") / ".." / places[0].parent.name / NAME, "cpu", 64)  # a path, not a name


def test_in_the_runs_folder_the_run_is_named_once(places: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from fosp_core.cli.eval import checkpoint_fn

    run = places[1]
    run.mkdir(parents=True)
    monkeypatch.chdir(run.parent)  # ./NAME is the run folder itself, without weights
    with pytest.raises(RuntimeError) as raised:
        checkpoint_fn(Path(NAME), "cpu", 64)
    assert "nor in the run" not in str(raised.value), raised.value
