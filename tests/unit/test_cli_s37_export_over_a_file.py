"""`fosp train-export RUN OUT` and `fosp train ... --export-default OUT` over a file that is there already
(session 37, helper N3).

Only the run's own start was refused (session 36); any other existing OUT - a colleague's model, another run's
export - was replaced without a word. Now it is refused before anything is read or trained, naming the file
and --overwrite (exit 1, as README's table says of an export into a folder that is not empty without
--overwrite); with --overwrite it is replaced whole (staged beside it, renamed over it). The run's own earlier
export (its card names a file of this run: README's "export its best weights again", a resumed run's end)
is replaced as before."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch

from fosp_core.cli import ExitCode, main
from tests.unit.test_train_support import tiny_config_toml

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "resources" / "models" / "fosp-default.safetensors"


def _run(tmp_path: Path, name: str = "round-1") -> Path:
    """A finished run's folder as train-export reads it: best.safetensors and config.toml."""
    run = tmp_path / "runs" / name
    run.mkdir(parents=True)
    shutil.copyfile(DEFAULT, run / "best.safetensors")
    (run / "config.toml").write_text(f'name = "{name}"\n')
    return run


def test_train_export_over_another_file_is_refused_and_replaced_with_overwrite(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = _run(tmp_path)
    out = tmp_path / "models" / "lab-model.safetensors"
    out.parent.mkdir()
    out.write_bytes(b"a colleague's model")
    code = main(["train-export", str(run), str(out)])
    err = " ".join(capsys.readouterr().err.split())
    assert code == ExitCode.FAILED, err  # was 0, the file replaced
    assert f"{out} is there already" in err and "--overwrite" in err, err
    assert out.read_bytes() == b"a colleague's model"
    assert sorted(p.name for p in out.parent.iterdir()) == ["lab-model.safetensors"]  # no card, nothing staged
    assert main(["train-export", str(run), str(out), "--overwrite"]) == ExitCode.OK
    assert out.read_bytes()[:8] != b"a collea"
    assert sorted(p.name for p in out.parent.iterdir()) == ["lab-model.card.json", "lab-model.safetensors"]
    card = json.loads((out.parent / "lab-model.card.json").read_text())
    assert card["weights"]["from"] == str(run / "best.safetensors")


def test_the_runs_own_earlier_export_is_replaced_without_overwrite(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = _run(tmp_path)
    out = tmp_path / "my-model.safetensors"
    assert main(["train-export", str(run), str(out)]) == ExitCode.OK
    assert main(["train-export", str(run), str(out)]) == ExitCode.OK  # README: export its best weights again
    other = _run(tmp_path, "round-2")
    capsys.readouterr()
    assert main(["train-export", str(other), str(out)]) == ExitCode.FAILED  # another run's export: asked
    assert "--overwrite" in capsys.readouterr().err


def test_train_export_default_over_a_file_is_refused_before_training(
        demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    torch.set_num_threads(1)
    config = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml", train={"iterations": 1})
    out = tmp_path / "lab-model.safetensors"
    out.write_bytes(b"a colleague's model")
    code = main(["train", str(config), "--quiet", "--export-default", str(out)])
    err = " ".join(capsys.readouterr().err.split())
    assert code == ExitCode.FAILED, err  # was: trained, then the file replaced
    assert f"--export-default {out} is there already" in err and "--overwrite" in err, err
    assert not (tmp_path / "runs" / "tiny").exists(), err  # nothing trained
    assert out.read_bytes() == b"a colleague's model"
    assert main(["train", str(config), "--quiet", "--overwrite"]) == ExitCode.USAGE  # without --export-default
    assert "--overwrite goes with --export-default" in capsys.readouterr().err
    assert main(["train-inpainter", str(config), "--quiet", "--overwrite"]) == ExitCode.USAGE
    assert "--overwrite is for `fosp train --export-default PATH`" in capsys.readouterr().err


def test_help_and_readme_say_it(capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["train-export", "--help"], ["train", "--help"]):
        with pytest.raises(SystemExit):
            main(command)
        assert "--overwrite" in capsys.readouterr().out, command
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| 1 |"))
    assert "`fosp train-export` or `fosp train --export-default` onto a file there already without `--overwrite`" in row


def test_a_resumed_run_exports_over_its_own_export(demo_dir: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The app's fine-tune resumes with the same --export-default (its run folder's file): not asked."""
    torch.set_num_threads(1)
    config = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml",
                              train={"iterations": 1}, optim={"warmup_iters": 0})
    out = tmp_path / "runs" / "tiny" / "tiny.safetensors"
    assert main(["train", str(config), "--quiet", "--export-default", str(out)]) == ExitCode.OK
    first = out.read_bytes()
    assert main(["train", str(config), "--quiet", "--resume", "train.iterations=2",
                 "--export-default", str(out)]) == ExitCode.OK
    assert out.read_bytes() != first
    capsys.readouterr()
    assert main(["train", str(config), "--quiet", "name=other", "--export-default", str(out)]) == ExitCode.FAILED
    assert not (tmp_path / "runs" / "other").exists()
