"""`load_state` (what `fosp train --resume-from` reads) by the file's bytes, not its name.

torch 2.13's ``torch.load`` hands a file name ending ``.safetensors`` to safetensors: a training state
copied as ``state.safetensors`` was refused as "not a readable training state (SafetensorError: ... header
too large)", and a model checkpoint given to --resume-from (``best.safetensors``, a common slip) read as
its weights and was refused as "not a FoSp training state (format None)", which says nothing of what
to do. A state is read whatever its name; a model checkpoint is named as one, with the way to start
from it (model.init_from) and what --resume-from takes."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from fosp_core.train.state import StateError, load_state, save_state


def test_a_state_named_safetensors_is_read(tmp_path: Path) -> None:
    path = tmp_path / "state.safetensors"
    save_state(path, {"iteration": 7})
    assert load_state(path)["iteration"] == 7


def test_a_model_checkpoint_is_named_as_one(tmp_path: Path) -> None:
    from safetensors.torch import save_file

    path = tmp_path / "best.safetensors"
    save_file({"w": torch.zeros(2)}, str(path), metadata={"format": "fosp"})
    with pytest.raises(StateError) as caught:
        load_state(path)
    words = str(caught.value)
    assert "model checkpoint" in words and "model.init_from" in words and "last.pt" in words, words
