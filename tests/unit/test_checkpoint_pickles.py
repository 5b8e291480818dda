"""Plain pickles handed over as checkpoints (`pickle.dump`, Python's default protocol 4 or 5, which
torch's weights-only loader does not read): a pickle that would run code is refused as such, naming
what it asks for, without running it; one of plain tensors is named a pickle to re-save, not
'neither a torch archive nor a pickle'; torch's own warning does not reach the user, and a training
state given to `fosp train-export --state` that is such a pickle gets the same one-line answer."""

from __future__ import annotations

import os
import pickle
import warnings
from pathlib import Path

import pytest
import torch

from fosp_core.checkpoint import CheckpointError, UnsafeCheckpointError, read_checkpoint


class _Evil:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("protocol", [4, 5])
def test_a_plain_pickle_that_runs_code_is_refused_as_unsafe(tmp_path: Path, protocol: int) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    with path.open("wb") as fh:
        pickle.dump({"weight": torch.zeros(1), "payload": _Evil(str(marker))}, fh, protocol=protocol)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # torch's 'Detected pickle protocol' warning would fail here
        with pytest.raises(UnsafeCheckpointError) as err:
            read_checkpoint(path)
    assert "system" in str(err.value) and "evil.pt" in str(err.value)
    assert not marker.exists()


def test_a_plain_pickle_of_tensors_is_named_a_pickle_to_resave(tmp_path: Path) -> None:
    path = tmp_path / "weights.pt"
    with path.open("wb") as fh:
        pickle.dump({"weight": torch.zeros(2)}, fh, protocol=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(CheckpointError) as err:
            read_checkpoint(path)
    msg = str(err.value)
    assert not isinstance(err.value, UnsafeCheckpointError)
    assert "neither" not in msg and "pickle" in msg and "protocol 4" in msg and "torch.save" in msg
    assert "\n" not in msg


def test_bytes_that_are_no_pickle_still_say_so(tmp_path: Path) -> None:
    path = tmp_path / "photo.pt"
    path.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    with pytest.raises(CheckpointError, match="not a PyTorch weights file"):
        read_checkpoint(path)


def test_train_export_state_that_is_an_unsafe_pickle_is_one_line(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture) -> None:
    from fosp_core.cli import main

    marker = tmp_path / "pwned"
    state = tmp_path / "state.pt"
    with state.open("wb") as fh:
        pickle.dump({"format": "fosp-train-state", "payload": _Evil(str(marker))}, fh, protocol=4)
    run = tmp_path / "run"
    run.mkdir()
    code = main(["train-export", str(run), str(tmp_path / "out.safetensors"), "--state", str(state)])
    err = capsys.readouterr().err
    assert code == 2 and not marker.exists()
    assert err.count("\n") == 1 and "state.pt" in err and "refused" in err and "system" in err
