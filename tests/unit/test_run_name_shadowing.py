"""`--checkpoint NAME` takes a run's name when no file NAME is there (`fosp predict`, `fosp project
prelabel`: `cli.predict.checkpoint_to_load`; `fosp eval`: `cli.eval.checkpoint_fn`). A file path the
user gave wins over a run of the same name, including a symbolic link whose target is gone (a drive
not mounted): `Path.exists()` is False for it, so the run of that name was loaded instead, silently,
where the link's own words ('a broken link ...') were due."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.cli.eval import checkpoint_fn
from fosp_core.cli.predict import checkpoint_to_load
from tests.unit.test_train_support import save_tiny_checkpoint


@pytest.fixture
def shadowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A run "mine" with weights, and in the working folder a link "mine" to a file on a drive gone."""
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    run = tmp_path / "cache" / "runs" / "mine"
    run.mkdir(parents=True)
    save_tiny_checkpoint(run / "mine.safetensors")
    work = tmp_path / "work"
    work.mkdir()
    (work / "mine").symlink_to(tmp_path / "usb" / "model.safetensors")
    monkeypatch.chdir(work)
    return run


def test_predict_says_the_broken_link_over_a_run_of_its_name(shadowed: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        checkpoint_to_load(Path("mine"))  # was: the run's mine.safetensors, loaded
    assert "broken link" in capsys.readouterr().err


def test_eval_says_the_broken_link_over_a_run_of_its_name(shadowed: Path) -> None:
    with pytest.raises(RuntimeError):
        checkpoint_fn(Path("mine"), "cpu")  # was: the run's weights scored


def test_a_run_name_with_no_file_of_that_name_still_works(shadowed: Path) -> None:
    Path("mine").unlink()
    assert checkpoint_to_load(Path("mine")) == shadowed / "mine.safetensors"
