"""`fosp project prelabel --checkpoint` and `fosp predict --checkpoint` take a run's name, as `fosp eval
--checkpoint` and `fosp compare` do (the README: "`--checkpoint my-finetune`, the run's name, takes the
run's weights too"): in the retrain sweep, `fosp train ... name=my-finetune` then `fosp project prelabel
PROJECT --checkpoint my-finetune` stopped with "checkpoint not found: my-finetune" (exit 2) while `fosp eval
--checkpoint my-finetune` scored it. A name that is no run is still refused, naming it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import torch

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.cli import main
from tests.unit.test_train_support import save_tiny_checkpoint


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.fixture
def run_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A run "my-finetune" under this test's FOSP_CACHE with its exported weights, as `fosp train` leaves it."""
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    run = tmp_path / "cache" / "runs" / "my-finetune"
    run.mkdir(parents=True)
    save_tiny_checkpoint(run / "my-finetune.safetensors")
    return "my-finetune"


def _code(args: list[str]) -> int:
    """The exit code of `fosp ARGS` (a usage error leaves through SystemExit, as on the command line)."""
    try:
        return main(args)
    except SystemExit as exc:
        return int(exc.code or 0)


def _photos(demo_dir: Path, tmp_path: Path) -> Path:
    photos = tmp_path / "photos"
    photos.mkdir()
    for image in sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:2]:
        shutil.copyfile(image, photos / image.name)
    return photos


def test_prelabel_takes_a_run_name(demo_dir: Path, tmp_path: Path, run_name: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    photos = _photos(demo_dir, tmp_path)
    Project.open(photos).close()
    assert _code(["project", "prelabel", str(photos), "--checkpoint", run_name, "--input-size", "64",
                 "--device", "cpu"]) == 0
    assert "my-finetune.safetensors" in capsys.readouterr().err  # which file of the run was used, said
    with Project.open(photos) as project:
        assert [e.status for e in project.entries] == [Status.PREDICTED] * 2


def test_predict_takes_a_run_name(demo_dir: Path, tmp_path: Path, run_name: str) -> None:
    photos = _photos(demo_dir, tmp_path)
    assert _code(["predict", str(photos), "--out", str(tmp_path / "out"), "--checkpoint", run_name,
                 "--input-size", "64", "--device", "cpu"]) == 0
    assert len(list((tmp_path / "out" / "masks").glob("*.png"))) == 2


def test_a_name_that_is_no_run_is_refused(demo_dir: Path, tmp_path: Path, run_name: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    photos = _photos(demo_dir, tmp_path)
    Project.open(photos).close()
    assert _code(["project", "prelabel", str(photos), "--checkpoint", "my-finetuen", "--device", "cpu"]) == 2
    assert "my-finetuen" in capsys.readouterr().err
