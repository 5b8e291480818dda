"""Session 32's bad-input sweep (helper F), checkpoints through the library: a folder named
``x.safetensors`` given to `load_checkpoint` / `read_metadata` was "no such checkpoint file" (it is
there: a folder); `fosp predict` already said "is a folder". And the hostile or broken files of the
sweep not in tests/odd_inputs/checkpoints.py: a pickle run through `fosp_core.predict` runs no code, a
float64 copy of a tensor loads (cast, as fp16 exports are), bool weights are refused by dtype."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from fosp_core.checkpoint import load_checkpoint, read_metadata
from fosp_core.checkpoint_files import CheckpointError
from tests.odd_inputs.checkpoints import MALICIOUS_MARKER, _Exploit, tiny_checkpoint


@pytest.mark.parametrize("reader", [load_checkpoint, read_metadata])
def test_a_folder_named_like_a_checkpoint_is_told_as_a_folder(tmp_path: Path, reader) -> None:  # noqa: ANN001
    folder = tmp_path / "x.safetensors"
    folder.mkdir()

    with pytest.raises(CheckpointError) as err:
        reader(folder)

    assert str(folder) in str(err.value)
    assert "is a folder, not a checkpoint file" in str(err.value)
    assert "no such" not in str(err.value)


def test_a_pickle_with_a_reduce_given_to_predict_runs_nothing(tmp_path: Path) -> None:
    from fosp_core import predict

    evil = tmp_path / "evil.pt"
    evil.write_bytes(pickle.dumps({"weight": _Exploit(tmp_path / MALICIOUS_MARKER)}))

    with pytest.raises(CheckpointError) as err:
        predict(np.zeros((8, 8, 3), np.uint8), evil)

    assert str(evil) in str(err.value)
    assert not (tmp_path / MALICIOUS_MARKER).exists()


@pytest.mark.parametrize(("dtype", "loads"), [("float64", True), ("bool", False)])
def test_a_tensor_of_another_dtype(tmp_path: Path, dtype: str, loads: bool) -> None:
    import torch
    from safetensors.torch import load_file, save_file

    base = tiny_checkpoint(tmp_path / "base.safetensors")
    tensors, meta = load_file(str(base)), read_metadata(base)
    key = next(k for k, v in tensors.items() if v.is_floating_point())
    tensors[key] = tensors[key].to(getattr(torch, dtype))
    path = tmp_path / f"{dtype}.safetensors"
    save_file(tensors, str(path), metadata=meta)

    if loads:
        assert load_checkpoint(path) is not None
    else:
        with pytest.raises(CheckpointError, match="dtype mismatches"):
            load_checkpoint(path)


@pytest.mark.parametrize("cut", ["in_the_tensors", "in_the_header"])
def test_a_safetensors_file_cut_short_says_so(tmp_path: Path, cut: str) -> None:
    """A download or copy that stopped: it was "not a readable safetensors file (Error while deserializing
    header: incomplete metadata, file not fully covered)" or "(... header too large)"."""
    import struct

    data = tiny_checkpoint(tmp_path / "base.safetensors").read_bytes()
    header = struct.unpack("<Q", data[:8])[0]
    path = tmp_path / "cut.safetensors"
    path.write_bytes(data[: len(data) // 2] if cut == "in_the_tensors" else data[: 8 + header // 2])

    for reader in (load_checkpoint, read_metadata):
        with pytest.raises(CheckpointError) as err:
            reader(path)
        text = str(err.value)
        assert text.startswith(f"{path}: not a readable safetensors file: the file is cut short"), text
        assert f"the file holds {path.stat().st_size:,} bytes" in text, text


def test_a_checkpoint_this_user_cannot_read_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 000 (simulated: the tests may run as root, who reads anything): the safetensors reader's
    'Permission denied (os error 13)' was told as 'not a readable safetensors file', as if damaged."""
    import builtins
    import io

    path = tiny_checkpoint(tmp_path / "locked.safetensors")
    real_open = io.open

    def refusing_open(file, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    monkeypatch.setattr(io, "open", refusing_open)
    import safetensors

    def refusing_safe_open(name, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        raise safetensors.SafetensorError("Permission denied (os error 13)")

    monkeypatch.setattr("fosp_core.checkpoint_files.safe_open", refusing_safe_open)

    for reader in (load_checkpoint, read_metadata):
        with pytest.raises(CheckpointError) as err:
            reader(path)
        assert str(err.value).startswith(f"{path}: permission denied"), str(err.value)
