"""`fosp train ... --export-default PATH` stopped with Ctrl-C said where its state was saved and how to
continue, and nothing of the export it was asked for: no file at PATH, no word why (found running it on
the demo images). The stop now says that nothing was exported, that the run exports when it ends, and
how: the same command with --resume and --export-default PATH again."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from fosp_core.cli import main
from fosp_core.train import loop as loop_module
from tests.unit.test_train_support import tiny_config_toml


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _stop_at_the_third_step(monkeypatch: pytest.MonkeyPatch) -> None:
    real = loop_module.Trainer._step

    def step(self, images, masks):  # noqa: ANN001, ANN202
        if self.iteration == 2:
            raise KeyboardInterrupt
        return real(self, images, masks)

    monkeypatch.setattr(loop_module.Trainer, "_step", step)


def test_a_stopped_run_says_it_did_not_export(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")
    out = tmp_path / "export" / "m.safetensors"
    _stop_at_the_third_step(monkeypatch)
    assert main(["train", str(cfg), "train.iterations=4", "--export-default", str(out)]) == 130
    err = capsys.readouterr().err
    assert "interrupted: state saved at iteration 2" in err, err
    assert (f"not exported to {out} (--export-default): a run exports when it ends; continue with --resume "
            f"and --export-default {out} again") in err, err
    assert not out.exists()
    monkeypatch.undo()
    assert main(["train", str(cfg), "train.iterations=4", "--resume", "--export-default", str(out)]) == 0
    assert out.is_file()


def test_a_stop_without_an_export_says_nothing_of_one(demo_dir: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")
    _stop_at_the_third_step(monkeypatch)
    assert main(["train", str(cfg), "train.iterations=4"]) == 130
    assert "not exported" not in capsys.readouterr().err
