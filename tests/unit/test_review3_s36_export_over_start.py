"""``fosp train ... --export-default FILE`` where FILE is the checkpoint the run starts from (R3 review, session 36).

A second round of the README's loop starts from the first round's weights and keeps the line's
``--export-default my-model.safetensors``: ``model.init_from=my-model.safetensors --export-default
my-model.safetensors``. The run went through, then its export replaced the very file it started from (fp16, with
the new card): a colleague's model given as the start, the only copy, was gone, and the card's "fine-tuned from
my-model" named a file that now holds the fine-tune. It is refused before the run (exit 2, nothing made), as the
other --export-default mistakes are."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fosp_core.cli import main
from tests.unit.test_train_support import make_export

DEFAULT = Path(__file__).resolve().parents[2] / "resources" / "models" / "fosp-default.safetensors"

TINY = ["train.iterations=1", "data.crop=64", "train.val_size=64", "optim.warmup_iters=0", "train.threads=1",
        "train.progress=false", "data.workers=0"]


@pytest.mark.parametrize("spelled", ["same", "relative", "dotted"])
def test_the_start_checkpoint_is_not_replaced_by_the_export(tmp_path: Path, demo_dir: Path, spelled: str,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    make_export(demo_dir, tmp_path / "my-export")
    start = Path(shutil.copyfile(DEFAULT, tmp_path / "my-model.safetensors"))  # round 1's weights
    before = start.read_bytes()
    out = {"same": str(start), "relative": "my-model.safetensors", "dotted": "./sub/../my-model.safetensors"}[spelled]
    (tmp_path / "sub").mkdir()
    code = main(["train", "small-cpu", f"data.root={tmp_path}", 'data.train=[{path="my-export", split="train"}]',
                 'data.val=[{path="my-export", split="val"}]', f"model.init_from={start}", "name=round-2", *TINY,
                 "--runs-dir", str(tmp_path / "runs"), "--export-default", out])
    err = capsys.readouterr().err
    assert code == 2, err  # was 0: trained, then the start replaced
    assert "model.init_from" in err and "name another file" in err, err
    assert start.read_bytes() == before
    assert not (tmp_path / "runs" / "round-2").exists()


def test_train_export_does_not_replace_the_runs_start_either(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """``fosp train-export RUN OUT`` with OUT the run's model.init_from (its config.toml): refused, kept."""
    start = Path(shutil.copyfile(DEFAULT, tmp_path / "lab-model.safetensors"))
    before = start.read_bytes()
    run = tmp_path / "runs" / "round-2"
    run.mkdir(parents=True)
    shutil.copyfile(DEFAULT, run / "best.safetensors")
    (run / "config.toml").write_text(f'name = "round-2"\n\n[model]\ninit_from = "{start}"\n')
    code = main(["train-export", str(run), str(start)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "model.init_from" in err and "name another file" in err, err
    assert start.read_bytes() == before
