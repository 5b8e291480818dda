"""A run folder given where a checkpoint file is expected (`fosp predict/eval --checkpoint RUN`, the
Fine-tune dialog's start): its exported or best weights are used, and the user is told which; a
folder without them is named as a folder, with the file to give instead."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import torch

from fosp_core.checkpoint import CheckpointError, resolve_checkpoint
from fosp_core.cli import main
from tests.unit.test_train_support import make_export, save_tiny_checkpoint


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("ckpt") / "tiny.safetensors")


def _run(folder: Path, tiny: Path, *names: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(tiny, folder / name)
    return folder


def test_a_file_is_itself_and_a_run_folder_gives_its_weights(tiny: Path, tmp_path: Path) -> None:
    assert resolve_checkpoint(tiny) == (tiny, "")
    run = _run(tmp_path / "run", tiny, "best.safetensors")
    path, note = resolve_checkpoint(run)
    assert path == run / "best.safetensors" and note == f"{run} is a run folder: using its best.safetensors"
    shutil.copy(tiny, run / "model.safetensors")  # a fine-tune's export (fp16, with a card) comes first
    path, note = resolve_checkpoint(run)
    assert path == run / "model.safetensors" and "using its model.safetensors" in note
    shutil.copy(tiny, run / "run.safetensors")  # ... named after the run since fine-tunes are
    path, note = resolve_checkpoint(run)
    assert path == run / "run.safetensors" and "using its run.safetensors" in note


def test_a_folder_without_weights_is_named_as_a_folder_with_the_file_to_give(tiny: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CheckpointError, match=r"empty is a folder, not a checkpoint file; .*best\.safetensors"):
        resolve_checkpoint(empty)
    stopped = tmp_path / "stopped"
    stopped.mkdir()
    (stopped / "last.pt").write_bytes(b"state")
    with pytest.raises(CheckpointError, match=r"fosp train-export .*stopped"):
        resolve_checkpoint(stopped)
    other = _run(tmp_path / "other", tiny, "a.safetensors")
    with pytest.raises(CheckpointError, match=r"give the file: .*other/a\.safetensors"):
        resolve_checkpoint(other)
    with pytest.raises(CheckpointError, match="no such file or folder"):
        resolve_checkpoint(tmp_path / "nowhere")


def test_fosp_predict_and_eval_take_a_run_folder(tiny: Path, demo_dir: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture) -> None:
    run = _run(tmp_path / "run", tiny, "best.safetensors")
    image = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    assert main(["predict", str(image), "--checkpoint", str(run), "--out", str(tmp_path / "out"),
                 "--input-size", "64", "--device", "cpu"]) == 0
    assert f"{run} is a run folder: using its best.safetensors" in capsys.readouterr().err
    assert (tmp_path / "out" / "masks" / f"{image.stem}.png").is_file()
    assert main(["eval", "--dataset", str(demo_dir), "--checkpoint", str(run), "--input-size", "64",
                 "--device", "cpu"]) == 0
    out = capsys.readouterr()
    assert f"{run} is a run folder: using its best.safetensors" in out.err and "4 images" in out.out


def test_fosp_predict_and_eval_name_a_folder_without_weights(demo_dir: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    image = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    assert main(["predict", str(image), "--checkpoint", str(empty), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "is a folder, not a checkpoint file" in err and "not found" not in err
    assert main(["eval", "--dataset", str(demo_dir), "--checkpoint", str(empty)]) == 2
    err = capsys.readouterr().err
    assert "is a folder, not a checkpoint file" in err and "not found" not in err


def test_a_fine_tune_starts_from_a_run_folder(tiny: Path, demo_dir: Path, tmp_path: Path) -> None:
    from fosp_core.train.finetune import FineTuneError, FineTuneRequest, plan_finetune

    dataset = make_export(demo_dir, tmp_path / "export")
    run = _run(tmp_path / "earlier-run", tiny, "best.safetensors")
    plan = plan_finetune(FineTuneRequest(dataset=dataset, init_from=run, name="ft", runs_dir=str(tmp_path / "runs")))
    assert plan.config.model.init_from == str(run / "best.safetensors")
    assert plan.checkpoint_note == f"{run} is a run folder: using its best.safetensors"
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FineTuneError, match="is a folder, not a checkpoint file") as err:
        plan_finetune(FineTuneRequest(dataset=dataset, init_from=empty, name="ft2", runs_dir=str(tmp_path / "runs")))
    assert "does not exist" not in str(err.value)


def test_a_recipe_naming_a_run_folder_is_told_the_file_to_name(tiny: Path, demo_dir: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture) -> None:
    from tests.unit.test_train_support import tiny_config_toml

    run = _run(tmp_path / "earlier-run", tiny, "best.safetensors")
    cfg = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")
    assert main(["train", str(cfg), f"model.init_from={run}", "train.iterations=1"]) == 2
    err = capsys.readouterr().err
    assert "a folder, not a weights file" in err and f"model.init_from={run / 'best.safetensors'}" in err
    assert "no such file" not in err


def test_the_folder_of_runs_is_told_to_name_one_run(tiny: Path, tmp_path: Path) -> None:
    runs = tmp_path / "runs ü"
    _run(runs / "a-run", tiny, "best.safetensors")
    (runs / "stopped").mkdir()
    (runs / "stopped" / "last.pt").write_bytes(b"state")
    with pytest.raises(CheckpointError) as err:
        resolve_checkpoint(runs)
    assert "folder of runs" in str(err.value) and str(runs / "a-run") in str(err.value)
