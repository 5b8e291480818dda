"""A checkpoint of the wrong kind for its place, in words a user of the command line can act on: an
inpainter file given as the model, a model file given as the inpainter, a same-named variant of
another configuration, weights without a FoSp config."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from fosp_core.checkpoint import (
    CheckpointError,
    load_checkpoint,
    load_inpainter_weights,
    load_state_into,
    save_checkpoint,
)
from fosp_core.model import build_model
from tests.unit.test_train_support import TINY_MODEL

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("kinds")
    torch.manual_seed(0)
    tiny = build_model("fosp-s", **TINY_MODEL)
    out = {"tiny": folder / "tiny.safetensors", "inpainter": folder / "inpainter.safetensors",
           "segformer": folder / "segformer.safetensors"}
    save_checkpoint(tiny, out["tiny"])
    save_checkpoint(tiny.inpainter, out["inpainter"])
    save_checkpoint(build_model("segformer-b0", channels=16), out["segformer"])
    return out


def test_an_inpainter_file_given_as_the_model(files: dict[str, Path]) -> None:
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(files["inpainter"])
    msg = str(err.value)
    assert "inpainter weights" in msg and "not a FoSp model" in msg and "model.inpainter=" in msg
    assert "build_model" not in msg
    with pytest.raises(CheckpointError) as err:
        load_state_into(build_model("fosp-s", **TINY_MODEL), files["inpainter"])
    assert "holds a inpainter" not in str(err.value) and "model.inpainter=" in str(err.value)


def test_a_model_without_inpainter_given_as_the_inpainter(files: dict[str, Path]) -> None:
    with pytest.raises(CheckpointError) as err:
        load_inpainter_weights(build_model("fosp-s", **TINY_MODEL), files["segformer"])
    msg = str(err.value)
    assert "segformer-b0" in msg and "no inpainter" in msg and "file None" not in msg


def test_the_same_variant_of_another_configuration_says_so(files: dict[str, Path]) -> None:
    with pytest.raises(CheckpointError) as err:
        load_state_into(build_model("fosp-s"), files["tiny"])
    msg = str(err.value)
    assert "expected a 'fosp-s' checkpoint" not in msg and "another configuration" in msg and "channels" in msg
