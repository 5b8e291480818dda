"""`fosp train … --export-default OUT` checked OUT only after the run: a folder trained the whole
run and then failed ('could not save DIR: is a directory; the previous file is intact', exit 1), and
`OUT.pt` wrote safetensors bytes under a name the model loaders read as a pickle, where `fosp
train-export` refuses both. Checks come before work (README, Exit codes): both are refused at once,
exit 2, with train-export's words, and no run folder is made."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from fosp_core.cli import main
from tests.unit.test_train_support import tiny_config_toml


@pytest.mark.parametrize("target", ["folder", "model.pt"])
def test_a_target_the_loaders_cannot_read_is_refused_before_training(demo_dir: Path, tmp_path: Path, target: str,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    torch.set_num_threads(1)
    config = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml", train={"iterations": 1})
    out = tmp_path / target
    if target == "folder":
        out.mkdir()
    code = main(["train", str(config), "--quiet", "--export-default", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err  # was 1 after the whole run (a folder), 0 with a .pt written (model.pt)
    assert not (tmp_path / "runs" / "tiny").exists(), err  # nothing trained
    assert ("is a folder; name the weights file" if target == "folder" else "name the file with .safetensors") in err


def test_a_target_that_cannot_be_written_is_refused_before_training(demo_dir: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """OUT in a folder that cannot be made (/proc refuses even root) trained the whole run, then
    failed to save (exit 1); now it is refused at once (exit 2), as --json OUT of fosp eval is."""
    torch.set_num_threads(1)
    config = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml", train={"iterations": 1})
    code = main(["train", str(config), "--quiet", "--export-default", "/proc/nope/model.safetensors"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert not (tmp_path / "runs" / "tiny").exists(), err  # nothing trained
    assert "--export-default /proc/nope/model.safetensors: cannot write it" in err, err
