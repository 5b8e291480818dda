"""`fosp eval --checkpoint my-finetune`: the run's name, as `fosp train-export my-finetune OUT` takes
it (the README's line), said 'my-finetune: checkpoint file not found'; a name of a run in the runs
folder now means that run folder (its weights, as for a folder's path)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from fosp_core.cli import main
from tests.unit.test_train_support import make_export, save_tiny_checkpoint


def test_eval_takes_a_run_name(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    torch.set_num_threads(1)
    run = tmp_path / "cache" / "runs" / "my-finetune"
    run.mkdir(parents=True)
    save_tiny_checkpoint(run / "best.safetensors")
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    export = make_export(demo_dir, tmp_path / "my-export")
    monkeypatch.chdir(tmp_path)
    code = main(["eval", "--dataset", str(export), "--split", "val", "--checkpoint", "my-finetune",
                 "--device", "cpu", "--input-size", "64"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert f"{run} is a run folder: using its best.safetensors" in captured.err, captured.err


def test_a_name_that_is_no_run_still_says_not_found(tmp_path: Path, demo_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    assert main(["eval", "--dataset", str(demo_dir), "--checkpoint", "nothing-here"]) != 0
    assert "nothing-here: checkpoint file not found" in capsys.readouterr().err
