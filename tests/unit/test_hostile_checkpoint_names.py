"""Checkpoints under the other format's name: a FoSp safetensors file renamed ``.pt`` was refused as "not a
PyTorch weights file (neither a torch archive nor a pickle)", and a ``torch.save`` file renamed
``.safetensors`` as "not a readable safetensors file (Error while deserializing header: header too
large)". Which reader a file needs is now told by its first bytes: the renamed FoSp checkpoint loads, the
torch file is read by the weights-only loader (a pickle asking for code still runs nothing)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import torch

from fosp_core.checkpoint import CheckpointError, UnsafeCheckpointError, load_checkpoint, read_checkpoint
from fosp_core.cli import main
from tests.odd_inputs import CHECKPOINTS, MALICIOUS_MARKER, good_image


def test_a_fosp_checkpoint_renamed_pt_loads(tmp_path: Path, tiny_checkpoint_file: Path) -> None:
    path = tmp_path / "fosp-s.pt"
    shutil.copy(tiny_checkpoint_file, path)

    model = load_checkpoint(path)

    expected = load_checkpoint(tiny_checkpoint_file).state_dict()
    assert model.name == "fosp-s"
    assert all(torch.equal(v, expected[k]) for k, v in model.state_dict().items())


def test_fosp_predict_runs_with_a_checkpoint_renamed_pt(
    tmp_path: Path, tiny_checkpoint_file: Path, capsys: pytest.CaptureFixture
) -> None:
    path = tmp_path / "weights.pth"
    shutil.copy(tiny_checkpoint_file, path)
    image = good_image(tmp_path)

    code = main(["predict", str(image), "--out", str(tmp_path / "out"), "--checkpoint", str(path),
                 "--device", "cpu", "--quiet"])

    assert code == 0, capsys.readouterr().err
    assert (tmp_path / "out" / "masks" / "good.png").is_file()


def test_a_torch_file_renamed_safetensors_is_read_as_one(tmp_path: Path) -> None:
    path = tmp_path / "weights.safetensors"
    torch.save({"layer.weight": torch.ones(2, 3)}, path)

    tensors, meta = read_checkpoint(path)

    assert list(tensors) == ["layer.weight"] and torch.equal(tensors["layer.weight"], torch.ones(2, 3))
    assert meta == {}
    with pytest.raises(CheckpointError, match="not a FoSp checkpoint") as caught:
        load_checkpoint(path)  # plain weights of another tool: the usual words, not "header too large"
    assert "header too large" not in str(caught.value)


@pytest.mark.parametrize("kind", ["malicious_pickle", "malicious_torch_zip"])
def test_a_malicious_pickle_renamed_safetensors_runs_nothing(tmp_path: Path, tiny_checkpoint_file: Path,
                                                             kind: str) -> None:
    made = CHECKPOINTS[kind][0](tmp_path, tiny_checkpoint_file)
    path = made.rename(tmp_path / "model.safetensors")

    with pytest.raises(UnsafeCheckpointError, match="it asks for io.open"):
        load_checkpoint(path)

    assert not (tmp_path / MALICIOUS_MARKER).exists()
