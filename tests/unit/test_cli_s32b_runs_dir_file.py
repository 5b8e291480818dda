"""``--runs-dir`` naming a file: `fosp train-ssl` ended in a traceback (FileExistsError: [Errno 17] File exists:
'runs', from the run folder's mkdir), and `fosp train` said "cannot write the run folder runs/tiny: [Errno 17]
File exists: 'runs'", naming neither the file nor what is wrong with it. Both now say "runs is a file, not a
folder" (exit 2, nothing trained, the file left as it was)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fosp_core.cli import main
from tests.unit.test_train_support import tiny_config_toml


def test_train_ssl_runs_dir_naming_a_file(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(demo_dir / "JPEGImages", tmp_path / "data" / "photos")
    runs = tmp_path / "runs"
    runs.write_text("a file where the runs folder should be")
    code = main(["train-ssl", "--runs-dir", str(runs), "--data-root", str(tmp_path / "data"), "--smoke5k", "",
                 "--smokeseg", "", "--videos", "", "--extra", "photos", "--iterations", "1", "--batch", "2",
                 "--crop", "64", "--probe-size", "0", "--workers", "0", "--quiet", "--name", "ssl"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"cannot write the run folder {runs / 'ssl'}: {runs} is a file, not a folder" in err
    assert runs.read_text() == "a file where the runs folder should be"


def test_train_runs_dir_naming_a_file_says_so(demo_dir: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    runs = tmp_path / "runs"
    runs.write_text("x")
    cfg = tiny_config_toml(demo_dir, tmp_path / "elsewhere", tmp_path / "tiny.toml")
    assert main(["train", str(cfg), "train.iterations=1", "--runs-dir", str(runs)]) == 2
    err = capsys.readouterr().err
    assert f"cannot write the run folder {runs / 'tiny'}: {runs} is a file, not a folder" in err
    assert "Errno" not in err
