"""`fosp train` that fails at start leaves no run folder behind, and a failed resume keeps the run."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from fosp_core.cli import main
from tests.unit.test_train_support import tiny_config_toml


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.mark.parametrize("override", [
    'data.root="/no/such/root"',  # bad data root
    'data.train.0.path="no-such-dataset"',  # missing dataset
    "train.iteratons=5",  # wrong config key
    "model.init_from=/no/such/weights.safetensors",  # missing checkpoint
])
def test_a_failed_start_leaves_no_run_folder(demo_dir: Path, tmp_path: Path, override: str,
                                             capsys: pytest.CaptureFixture) -> None:
    cfg = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")
    assert main(["train", str(cfg), override, "train.iterations=1"]) == 2
    assert "error:" in capsys.readouterr().err
    assert not (tmp_path / "runs" / "tiny").exists()


def test_an_unreadable_checkpoint_leaves_no_run_folder(demo_dir: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture) -> None:
    cfg = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")
    garbage = tmp_path / "weights.safetensors"
    garbage.write_bytes(b"not a checkpoint at all")
    assert main(["train", str(cfg), f"model.init_from={garbage}"]) == 2
    assert str(garbage) in capsys.readouterr().err
    assert not (tmp_path / "runs" / "tiny").exists()


def test_a_failed_start_keeps_a_folder_it_did_not_create(demo_dir: Path, tmp_path: Path) -> None:
    cfg = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")
    run = tmp_path / "runs" / "tiny"
    run.mkdir(parents=True)
    (run / "notes.txt").write_text("mine")
    assert main(["train", str(cfg), 'data.root="/no/such/root"']) == 2
    assert sorted(p.name for p in run.iterdir()) == ["notes.txt"]


def test_a_failed_resume_keeps_the_run_as_it_was(demo_dir: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture) -> None:
    cfg = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")
    assert main(["train", str(cfg), "train.iterations=1", "train.save_every=1"]) == 0
    run = tmp_path / "runs" / "tiny"
    before = {p.name: p.read_bytes() for p in run.iterdir()}
    assert main(["train", str(cfg), "--resume", "train.iterations=2", 'data.root="/no/such/root"']) == 2
    assert "does not exist" in capsys.readouterr().err
    # the run's config.toml still records the run as trained, not the failed resume's data root
    assert {p.name: p.read_bytes() for p in run.iterdir()} == before
    (run / "last.pt").write_bytes(b"torn")
    assert main(["train", str(cfg), "--resume", "train.iterations=2"]) == 2
    assert (run / "last.pt").read_bytes() == b"torn" and (run / "config.toml").read_bytes() == before["config.toml"]
    assert main(["train", str(cfg), "--resume-from", str(tmp_path / "no-such.pt"), "train.iterations=2"]) == 2
    assert sorted(p.name for p in run.iterdir()) == sorted(before)



def test_an_unwritable_runs_folder_is_a_clear_error(demo_dir: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture) -> None:
    not_a_folder = tmp_path / "runs"
    not_a_folder.write_text("a file where the runs folder should be")
    cfg = tiny_config_toml(demo_dir, not_a_folder, tmp_path / "tiny.toml")
    assert main(["train", str(cfg), "train.iterations=1"]) == 2
    assert f"cannot write the run folder {not_a_folder / 'tiny'}" in capsys.readouterr().err
    assert not_a_folder.read_text() == "a file where the runs folder should be"


def test_a_failed_ssl_start_leaves_no_run_folder(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["train-ssl", "--runs-dir", str(tmp_path / "runs"), "--data-root", str(tmp_path / "no-such-root"),
                 "--iterations", "1", "--name", "ssl", "--quiet", "--workers", "0"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "runs" / "ssl").exists()
