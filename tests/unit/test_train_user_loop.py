"""Defects a labelling team met following the README's retraining loop (export -> `fosp train` ->
`fosp train-export` -> `fosp eval` / `predict`), each reproduced here: the messages a careful user
reads, where files land, and odd inputs refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from tests.unit.test_train_support import tiny_config


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.fixture(scope="module")
def run_dir(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished tiny run (2 iterations, no validation): what `fosp train-export` reads."""
    from fosp_core.train.loop import Trainer

    torch.set_num_threads(1)
    cfg = tiny_config(demo_dir, tmp_path_factory.mktemp("runs"), train={"iterations": 2})
    Trainer(cfg).run()
    return cfg.run_dir()


def test_train_export_under_a_file_says_so_instead_of_a_traceback(
        run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`fosp train-export RUN afile/x.safetensors` with `afile` a file ended in a FileExistsError
    traceback (the folder could not be made); now exit 1 naming the file in the way."""
    from fosp_core.cli import main

    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    code = main(["train-export", str(run_dir), str(blocker / "x.safetensors")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: could not save") and f"not a folder: {blocker} is a file" in err
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("text", ["hi\n", "some notes about the model\n", "name = 'x'\n", ""])
@pytest.mark.parametrize("suffix", [".pt", ".pth"])
def test_a_text_file_named_like_weights_is_called_what_it_is(tmp_path: Path, text: str, suffix: str) -> None:
    """A text file named `.pt` / `.pth` was refused as 'not a readable PyTorch weights file (105)' or
    '(pop from empty list)': torch's internal error, by the bytes it happened to hold."""
    from fosp_core.checkpoint_files import CheckpointError, read_checkpoint

    path = tmp_path / f"notes{suffix}"
    path.write_text(text)
    with pytest.raises(CheckpointError) as caught:
        read_checkpoint(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    if text:
        assert "a text file, not PyTorch weights" in message, message
    else:
        assert "empty" in message, message


@pytest.mark.parametrize(("warmup", "warned"), [(300, True), (4, True), (2, False)])
def test_a_run_shorter_than_its_warm_up_is_told(demo_dir: Path, tmp_path: Path, warmup: int, warned: bool) -> None:
    """The README's fine-tune line (small-cpu: 300 warm-up iterations) with a few iterations trained
    at 'lr 1.95e-06' against the recipe's 6e-4 without a word: the warm-up never ended."""
    import io

    from fosp_core.train.loop import Trainer

    cfg = tiny_config(demo_dir, tmp_path / "runs", optim={"warmup_iters": warmup}, train={"iterations": 4})
    stream = io.StringIO()
    Trainer(cfg, stream=stream).run(stop_at=1)
    lines = [line for line in stream.getvalue().splitlines() if "optim.warmup_iters" in line]
    assert len(lines) == int(warned)
    if warned:
        assert lines[0].startswith(f"warning: optim.warmup_iters = {warmup} is not below train.iterations = 4")
        assert "optim.warmup_iters=0" in lines[0]  # what to set instead


def test_a_run_started_with_relative_paths_resumes_and_exports_from_another_folder(
        demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`fosp train small-cpu data.root=data model.init_from=out/x.safetensors ...` recorded
    `root = "data"` in the run's config.toml (and state, and so the model card): the run folder's
    recipe named other files from any other folder, and `fosp train RUN/config.toml --resume` there
    failed with '/elsewhere/data/... does not exist'."""
    import json
    import shutil

    from fosp_core.train.config import load_config
    from fosp_core.train.export import export_default
    from fosp_core.train.loop import Trainer
    from tests.unit.test_train_support import save_tiny_checkpoint

    work = tmp_path / "work"
    shutil.copytree(demo_dir, work / "data" / "demo", ignore=shutil.ignore_patterns(".fosp"))
    (work / "out").mkdir()
    save_tiny_checkpoint(work / "out" / "start.safetensors")
    monkeypatch.chdir(work)
    cfg = tiny_config(demo_dir, tmp_path / "runs", model={"init_from": "out/start.safetensors"},
                      data={"root": "data", "train": [{"path": "demo"}]}, train={"iterations": 2})
    Trainer(cfg).run(stop_at=1)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    recorded = load_config(cfg.run_dir() / "config.toml")
    assert recorded.data.root == str(work / "data")
    assert recorded.model.init_from == str(work / "out" / "start.safetensors")
    result = Trainer(recorded, resume=True).run()
    assert result.iteration == 2
    _, card = export_default(cfg.run_dir(), elsewhere / "x.safetensors")
    assert json.loads(card.read_text())["data"]["root"] == str(work / "data")


def test_train_export_of_a_fine_tune_that_kept_its_start_says_so(
        demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`fosp train ... --export-default` / `fosp train-export` of a fine-tune whose validation never
    beat its start printed only 'wrote X and Y': the app says 'the exported weights are the starting
    ones', the command line said nothing of it."""
    import fosp_core.train.loop as loop
    from fosp_core.cli import main
    from fosp_core.train.loop import Trainer
    from tests.unit.test_train_support import save_tiny_checkpoint

    keep_best = loop.keep_best
    monkeypatch.setattr(loop, "keep_best", lambda trainer, *a, **k: (keep_best(trainer, *a, **k)
                                                                     if trainer.iteration == 0 else None))
    start = save_tiny_checkpoint(tmp_path / "start-model.safetensors")
    cfg = tiny_config(demo_dir, tmp_path / "runs", model={"init_from": str(start)},
                      data={"val": [{"path": demo_dir.name, "split": "val"}]},
                      train={"iterations": 2, "val_every": 2, "val_at_start": True})
    Trainer(cfg).run()
    capsys.readouterr()
    assert main(["train-export", str(cfg.run_dir()), str(tmp_path / "kept.safetensors")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("wrote ")
    assert out[1] == ("note: no validation beat the starting weights, so these are start-model's own weights "
                      "(the card says so too)")


def test_an_interrupted_run_says_interrupted_once(
        demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """SIGTERM (or Ctrl+C) in the middle of `fosp train` printed 'interrupted: state saved at
    iteration 12; continue with --resume' and then 'interrupted' again (the command line's own
    word), also in the app's Fine-tune log."""
    from fosp_core.cli import main
    from fosp_core.train.loop import Trainer
    from tests.unit.test_train_support import tiny_config_toml

    real_step = Trainer._step
    calls = {"n": 0}

    def step_then_stop(self: Trainer, images: torch.Tensor, masks: torch.Tensor):  # noqa: ANN202
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_step(self, images, masks)

    monkeypatch.setattr(Trainer, "_step", step_then_stop)
    recipe = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml", train={"iterations": 6})
    assert main(["train", str(recipe), "--quiet"]) == 130
    said = [line for line in capsys.readouterr().err.splitlines() if line.startswith("interrupted")]
    assert said == ["interrupted: state saved at iteration 2; continue with --resume"]


def test_the_fine_tune_plan_names_a_file_given_as_dataset_and_a_text_file_as_start(
        demo_dir: Path, tmp_path: Path) -> None:
    """The Fine-tune dialog (plan_finetune) said 'dataset folder X does not exist' for a file that
    exists, and 'not a readable safetensors file (Error while deserializing header: header too
    small)' for a text file named .safetensors."""
    from fosp_core.train.finetune import FineTuneError, FineTuneRequest, plan_finetune
    from tests.unit.test_train_support import make_export, save_tiny_checkpoint

    export = make_export(demo_dir, tmp_path / "export")
    start = save_tiny_checkpoint(tmp_path / "start.safetensors")
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(FineTuneError, match="does not exist"):
        plan_finetune(FineTuneRequest(dataset=tmp_path / "nowhere", init_from=start, runs_dir=str(tmp_path)))
    with pytest.raises(FineTuneError) as caught:
        plan_finetune(FineTuneRequest(dataset=afile, init_from=start, runs_dir=str(tmp_path)))
    assert str(caught.value).startswith(f"{afile} is a file") and "does not exist" not in str(caught.value)
    notes = tmp_path / "notes.safetensors"
    notes.write_text("hello\n")
    with pytest.raises(FineTuneError, match=r"a text file, not safetensors weights \(it begins 'hello'\)"):
        plan_finetune(FineTuneRequest(dataset=export, init_from=notes, runs_dir=str(tmp_path)))


def test_a_data_error_from_a_command_line_override_names_the_override(
        demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`fosp train small-cpu data.root=DIR 'data.train=[{path="my-export", split="trian"}]'` blamed
    '.../fosp_core/configs/small-cpu.toml: data.train.0.path', a bundled file the user never edited."""
    from fosp_core.cli import main
    from tests.unit.test_train_support import tiny_config_toml

    recipe = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")
    typed = f'data.train=[{{path="{demo_dir.name}", split="trian"}}]'
    assert main(["train", str(recipe), typed, "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith(f"error: command-line override {typed!r}: data.train.0.split:") and "'trian'" in err
    assert main(["train", str(recipe), "data.root=nowhere", "--quiet"]) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith(
        "error: command-line override 'data.root=nowhere': data.train.0.path:")
    assert main(["train", str(recipe), "--quiet", "data.train=[{path=\"nowhere\"}]"]) == 2
    assert "command-line override" in capsys.readouterr().err
    (tmp_path / "bad.toml").write_text(recipe.read_text().replace(f'path = "{demo_dir.name}"', 'path = "gone"'))
    assert main(["train", str(tmp_path / "bad.toml"), "--quiet"]) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith(f"error: {tmp_path / 'bad.toml'}: data.train.0")
