"""`fosp eval` runs the bundled default model when no --checkpoint (nor --predictions) is given, as
`fosp predict` does: before, one of the two was required ("the following arguments are required"),
so the model the app opens with could not be scored without spelling out its path. Both commands
find it with one function (`fosp_core.cli.default_model.default_checkpoint`) and say the same when
there is none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from fosp_core import paths
from fosp_core.checkpoint import save_checkpoint
from fosp_core.cli import main
from fosp_core.model import build_model

INPUT = "64"  # a tiny network input: the wiring is tested, not the accuracy


@pytest.fixture
def models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on the model search path ($FOSP_MODELS, searched first) holding a random fosp-s
    as the default model's file."""
    folder = tmp_path / "models"
    folder.mkdir()
    torch.manual_seed(0)
    save_checkpoint(build_model("fosp-s").eval(), folder / paths.DEFAULT_MODEL_FILE)
    monkeypatch.setenv("FOSP_MODELS", str(folder))
    return folder


def test_eval_without_a_checkpoint_runs_the_default_model(models: Path, demo_dir: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    default = models / paths.DEFAULT_MODEL_FILE
    assert paths.find_model() == default
    args = ["eval", "--dataset", str(demo_dir), "--device", "cpu", "--input-size", INPUT]
    assert main([*args, "--json", str(tmp_path / "default.json")]) == 0
    out = capsys.readouterr().out
    assert f"checkpoint {default} on {demo_dir}" in out, out
    assert main([*args, "--checkpoint", str(default), "--json", str(tmp_path / "named.json")]) == 0
    scores = json.loads((tmp_path / "default.json").read_text(encoding="utf-8"))
    assert scores["total"]["n"] == 4
    assert scores == json.loads((tmp_path / "named.json").read_text(encoding="utf-8"))


def test_no_default_model_is_the_same_usage_error_as_predicts(demo_dir: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "no-models"
    empty.mkdir()
    monkeypatch.setattr(paths, "model_search_path", lambda: [empty])
    assert main(["eval", "--dataset", str(demo_dir), "--device", "cpu"]) == 2
    said_eval = capsys.readouterr().err.strip().splitlines()[-1]
    assert said_eval == (f"error: no default model found (looked for {paths.DEFAULT_MODEL_FILE} in {empty}); "
                         "pass --checkpoint FILE"), said_eval
    assert main(["predict", str(demo_dir / "JPEGImages"), "--out", str(tmp_path / "out"), "--device", "cpu"]) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == said_eval
    assert not (tmp_path / "out").exists()


def test_predictions_alone_still_need_no_model(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """--predictions scores a folder: no model is looked for (an empty search path is no error)."""
    monkeypatch.setattr(paths, "model_search_path", lambda: [tmp_path / "nothing"])
    (tmp_path / "preds").mkdir()
    assert main(["eval", "--dataset", str(demo_dir), "--predictions", str(tmp_path / "preds")]) == 2
    err = capsys.readouterr().err
    assert "no prediction for any of the" in err and "default model" not in err, err
