"""What a user is told when the file given as a model is not one: a training state (`last.pt` of a
`fosp train` run, which sits beside `best.safetensors` in the run folder) names the files to use
instead, in the app's words and the command line's, not a Python recipe."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from fosp_core.checkpoint import CheckpointError, load_checkpoint, load_state_into
from fosp_core.cli import main
from fosp_core.model import build_model


def _training_state(path: Path) -> Path:
    """A `last.pt` as `fosp train` writes it (fosp_core.train.state: format, model, optimiser, ...)."""
    from fosp_core.train.state import save_state

    torch.manual_seed(0)
    model = build_model("fosp-s")
    save_state(path, {"model": model.state_dict(), "optimizer": {}, "iteration": 3, "model_name": "fosp-s",
                      "task": "segmentation"})
    return path


def test_a_training_state_is_named_with_the_files_to_open_instead(tmp_path: Path) -> None:
    (tmp_path / "run").mkdir()
    state = _training_state(tmp_path / "run" / "last.pt")
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(state)
    msg = str(err.value)
    assert "training state" in msg and "best.safetensors" in msg and "fosp train-export" in msg
    assert "build_model" not in msg  # Python advice does not help in the app or the CLI
    model = build_model("fosp-s")
    load_state_into(model, state)  # its raw weights still load into a model built by hand


def test_fosp_predict_with_a_training_state_says_what_to_use(tmp_path: Path, demo_dir: Path,
                                                             capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "run").mkdir()
    state = _training_state(tmp_path / "run" / "last.pt")
    image = next((demo_dir / "JPEGImages").glob("*.jpg"))
    assert main(["predict", str(image), "--checkpoint", str(state), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "training state" in err and "best.safetensors" in err
