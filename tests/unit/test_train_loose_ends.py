"""Loose ends a QA pass of the retraining loop (`fosp train`, `--resume`, `train-export`, the app's
fine-tune log) found in what the training commands print and return, each reproduced here."""

from __future__ import annotations

import ast
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from tests.unit.test_train_support import save_tiny_checkpoint, tiny_config, tiny_config_toml


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def test_the_end_of_a_run_says_its_best_as_the_table_does(demo_dir: Path, tmp_path: Path) -> None:
    """The last line was `done: ... best {'metric': 'fbeta', 'value': 0.195963, ...}`: a Python dict,
    the score a fraction where the validation table shows percent."""
    from fosp_core.train.loop import Trainer

    cfg = tiny_config(demo_dir, tmp_path / "runs", data={"val": [{"path": demo_dir.name, "split": "val"}]},
                      train={"iterations": 2, "val_every": 2})
    stream = io.StringIO()
    result = Trainer(cfg, stream=stream).run()
    assert result.best is not None
    done = [line for line in stream.getvalue().splitlines() if line.startswith("done: ")]
    assert len(done) == 1
    best = result.best["value"]
    assert done[0].endswith(f"; best F_β {100 * best:.2f} at iteration 2 ({cfg.run_dir() / 'best.safetensors'})")
    assert "{" not in done[0]


@pytest.mark.parametrize(("best", "said"), [
    (None, "no best checkpoint (no validation)"),
    ({"metric": "fbeta", "value": 0.195963, "iteration": 400}, "best F_β 19.60 at iteration 400 ({file})"),
    ({"metric": "demo/total/f_beta_max", "value": 0.5, "iteration": 3},
     "best F_β(max) demo/total 50.00 at iteration 3 ({file})"),
    ({"metric": "mse", "value": 0.01234, "iteration": 8}, "best M(MSE) 0.0123 at iteration 8 ({file})"),
    ({"metric": "psnr", "value": 21.5, "iteration": 8}, "best psnr 21.5 at iteration 8 ({file})"),
])
def test_best_in_words(best: dict | None, said: str) -> None:
    from fosp_core.train.best import best_in_words

    assert best_in_words(best, Path("R")) == said.format(file=Path("R") / "best.safetensors")


def test_a_resumed_run_says_it_loads_the_state_not_the_starting_weights(demo_dir: Path, tmp_path: Path) -> None:
    """`--resume` printed 'model weights from start.safetensors' before 'resumed .../last.pt', as if
    the starting weights were used; they were loaded, then replaced. A resume reads the state only
    (the starting weights may even be gone)."""
    from fosp_core.train.loop import Trainer

    start = save_tiny_checkpoint(tmp_path / "start.safetensors")
    cfg = tiny_config(demo_dir, tmp_path / "runs", model={"init_from": str(start)}, train={"iterations": 2})
    first = io.StringIO()
    Trainer(cfg, stream=first).run(stop_at=1)
    assert f"model weights from {start}" in first.getvalue()
    start.unlink()  # a resume does not read it
    stream = io.StringIO()
    result = Trainer(cfg, resume=True, stream=stream).run()
    assert result.iteration == 2
    lines = stream.getvalue().splitlines()
    assert not [line for line in lines if "weights from" in line], lines
    resumed = [line for line in lines if line.startswith("resumed ")]
    assert resumed == [f"resumed {cfg.run_dir() / 'last.pt'} at iteration 1: model, optimiser and schedule "
                       f"from it (model.init_from {start} is not loaded)"]
    assert lines.index(resumed[0]) < next(i for i, line in enumerate(lines) if line.startswith("training "))


def _interrupt_at_third_step(monkeypatch: pytest.MonkeyPatch) -> None:
    from fosp_core.train.loop import Trainer

    real_step = Trainer._step
    calls = {"n": 0}

    def step_then_stop(self: Trainer, images: torch.Tensor, masks: torch.Tensor):  # noqa: ANN202
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_step(self, images, masks)

    monkeypatch.setattr(Trainer, "_step", step_then_stop)


@pytest.mark.parametrize(("hint", "said"), [(None, "continue with --resume"), ("press Resume", "press Resume")])
def test_the_interrupted_line_says_how_to_resume_where_it_runs(
        demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        hint: str | None, said: str) -> None:
    """The app's Fine-tune log said 'continue with --resume' where the action is its Resume button;
    the app tells the process (RESUME_HINT_ENV) how its user resumes."""
    from fosp_core.cli import main
    from fosp_core.train.signals import RESUME_HINT_ENV

    if hint is None:
        monkeypatch.delenv(RESUME_HINT_ENV, raising=False)
    else:
        monkeypatch.setenv(RESUME_HINT_ENV, hint)
    _interrupt_at_third_step(monkeypatch)
    recipe = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml", train={"iterations": 6})
    assert main(["train", str(recipe), "--quiet"]) == 130
    said_lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("interrupted")]
    assert said_lines == [f"interrupted: state saved at iteration 2; {said}"]


def test_a_bad_data_root_is_refused_before_the_model_is_built(
        demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`fosp train small-cpu data.root=nowhere` built the model and loaded its weights (seconds)
    before it said the data were not there."""
    from fosp_core.cli import main
    from fosp_core.train.data import DataError
    from fosp_core.train.loop import Trainer
    from fosp_core.train.tasks import SegmentationTask

    built: list[str] = []
    real_build = SegmentationTask.build
    monkeypatch.setattr(SegmentationTask, "build",
                        lambda self, cfg, log: built.append(cfg.name) or real_build(self, cfg, log))
    start = save_tiny_checkpoint(tmp_path / "start.safetensors")
    recipe = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml",
                              model={"init_from": str(start)})
    assert main(["train", str(recipe), "data.root=nowhere", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "data.train.0.path" in err and "model weights from" not in err
    with pytest.raises(DataError):
        Trainer(tiny_config(demo_dir, tmp_path / "runs", data={"val": [{"path": "gone", "split": "val"}]}))
    assert built == []
    assert not (tmp_path / "runs").exists()


@pytest.mark.parametrize("where", ["override", "file"])
def test_a_split_error_names_the_split_key(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           where: str) -> None:
    """A misspelt split ('trian') was blamed on `data.train.0.path:`; the path was right."""
    from fosp_core.cli import main

    if where == "override":
        recipe = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")
        typed = f'data.train=[{{path="{demo_dir.name}", split="trian"}}]'
        assert main(["train", str(recipe), typed, "--quiet"]) == 2
        blamed = f"command-line override {typed!r}"
    else:
        recipe = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml",
                                  data={"val": [{"path": demo_dir.name, "split": "vla"}]})
        assert main(["train", str(recipe), "--quiet"]) == 2
        blamed = str(recipe)
    err = capsys.readouterr().err.strip().splitlines()[-1]
    key = "data.train.0" if where == "override" else "data.val.0"
    assert err.startswith(f"error: {blamed}: {key}.split: "), err
    assert "no split" in err


def _parse(argv: list[str]):  # noqa: ANN202
    from fosp_core.cli import build_parser

    return build_parser().parse_args(argv)


def test_the_training_commands_return_exit_codes(demo_dir: Path, tmp_path: Path) -> None:
    """`fosp_core/cli/train*.py` returned plain 0/1/2/130; every command returns `ExitCode`."""
    from fosp_core.cli import ExitCode

    recipe = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")
    for argv, code in ((["train", str(recipe), "data.root=nowhere", "--quiet"], ExitCode.USAGE),
                       (["train-inpainter", str(recipe), "--export-default", "x.safetensors"], ExitCode.USAGE),
                       (["train-export", str(tmp_path), str(tmp_path / "x.pt")], ExitCode.USAGE)):
        args = _parse(argv)
        got = args.func(args)
        assert type(got) is ExitCode and got == code, argv
    root = Path(__file__).resolve().parents[2] / "fosp_core" / "cli"
    for path in sorted(root.glob("train*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        plain = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Return)
                 and isinstance(node.value, ast.Constant) and isinstance(node.value.value, int)]
        plain += [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
                  and getattr(node.func, "id", "") == "_error" and len(node.args) > 1
                  and isinstance(node.args[1], ast.Constant)]
        assert plain == [], f"{path.name}: plain exit codes at lines {plain}"


_PROBE = """
import json, sys
from fosp_core.cli import main
try:
    main(json.loads(sys.argv[1]))
except SystemExit:
    pass
print("LOADED", json.dumps("fosp_core.train.config" in sys.modules))
"""


@pytest.mark.parametrize("argv", [["--help"], ["train", "--help"]])
def test_help_does_not_import_the_training_config(tmp_path: Path, argv: list[str]) -> None:
    """Building the parser imported `fosp_core.train.config` (and its schema) to list the bundled
    recipes in `fosp train`'s description; the help still lists them."""
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(argv)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    loaded = [line for line in done.stdout.splitlines() if line.startswith("LOADED ")]
    assert done.returncode == 0 and loaded == ["LOADED false"], done.stderr[-2000:]
    if argv[0] == "train":
        from fosp_core.train.config import bundled_configs

        text = re.sub(r"\s+", "", done.stdout)  # argparse wraps the description, "small-" / "cpu" too
        assert f"(bundled:{','.join(bundled_configs())})" in text
