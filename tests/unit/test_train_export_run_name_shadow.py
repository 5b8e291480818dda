"""`fosp train-export NAME OUT` took a folder `./NAME` over the run `<runs>/NAME` whatever it held:
an export or a dataset named as the run (the README's `my-finetune` fine-tune exports to a folder
of that name before training) stopped it with 'my-finetune: no best.safetensors or last.pt; is this
a run folder?'. A folder without a run's files now falls through to the run of that name, as
`--checkpoint NAME` does (`cli.default_model.checkpoint_file`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.cli import main
from tests.unit.test_train_support import save_tiny_checkpoint, tiny_config_toml

NAME = "my-finetune"


@pytest.fixture()
def runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / NAME).mkdir()
    (tmp_path / NAME / "notes.txt").write_text("an export, not a run\n")
    return tmp_path / "cache" / "runs"


def test_a_folder_without_a_runs_files_falls_through_to_the_run(runs: Path, tmp_path: Path, demo_dir: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    (runs / NAME).mkdir(parents=True)
    tiny_config_toml(demo_dir, runs, runs / NAME / "config.toml", name=NAME)
    save_tiny_checkpoint(runs / NAME / "best.safetensors")
    code = main(["train-export", NAME, "out.safetensors"])
    err = capsys.readouterr().err
    assert code == 0, err  # was 2: 'my-finetune: no best.safetensors or last.pt; is this a run folder?'
    assert (tmp_path / "out.safetensors").is_file()
    assert f"using the run {NAME} ({runs / NAME})" in err, err


def test_neither_says_both_places(runs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (runs / NAME).mkdir(parents=True)  # a run stopped before anything was saved
    assert main(["train-export", NAME, "out.safetensors"]) == 2
    err = capsys.readouterr().err
    assert str(runs / NAME) in err and "no best.safetensors or last.pt" in err, err
