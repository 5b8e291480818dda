"""Training state files: RNG round trip, weights_only loading, atomic saves that survive a full disk."""

from __future__ import annotations

import errno
import random
from pathlib import Path

import numpy as np
import pytest
import torch

from fosp_core.train.state import (
    CheckpointSaveError,
    StateError,
    check_model_matches,
    load_state,
    rng_state,
    save_state,
    set_rng_state,
)


def test_rng_round_trip_and_weights_only(tmp_path: Path) -> None:
    random.seed(1)
    np.random.seed(2)
    torch.manual_seed(3)
    np.random.normal()  # leaves a cached gaussian in the legacy state
    save_state(tmp_path / "s.pt", {"rng": rng_state(), "iteration": 7})
    expected = (random.random(), np.random.normal(), np.random.rand(), torch.rand(3))
    state = load_state(tmp_path / "s.pt")  # torch.load(weights_only=True) inside
    set_rng_state(state["rng"])
    got = (random.random(), np.random.normal(), np.random.rand(), torch.rand(3))
    assert got[:3] == expected[:3] and torch.equal(got[3], expected[3])
    assert state["iteration"] == 7


def test_disk_full_keeps_previous_state(tmp_path: Path) -> None:
    path = tmp_path / "last.pt"
    save_state(path, {"iteration": 1, "w": torch.ones(4)})
    before = path.read_bytes()

    def full_disk(obj: object, f: object) -> None:
        f.write(b"partial bytes")  # type: ignore[attr-defined]
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(CheckpointSaveError, match="no space left on device; the previous file is intact"):
        save_state(path, {"iteration": 2, "w": torch.zeros(4)}, save=full_disk)
    assert path.read_bytes() == before
    assert load_state(path)["iteration"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["last.pt"]  # no temp file left behind


def test_foreign_and_mismatched_states(tmp_path: Path) -> None:
    bad = tmp_path / "foreign.pt"
    torch.save({"something": 1}, bad)
    with pytest.raises(StateError, match="not a FoSp training state"):
        load_state(bad)
    (tmp_path / "junk.pt").write_bytes(b"not a zip")
    with pytest.raises(StateError, match="not a readable training state"):
        load_state(tmp_path / "junk.pt")
    with pytest.raises(StateError, match="variant 'fosp'.*trains 'fosp-s'"):
        check_model_matches({"model_name": "fosp"}, "fosp-s", None, bad)
    with pytest.raises(StateError, match=r"differs from the config's in \['channels'\]"):
        check_model_matches({"model_name": "fosp-s", "model_config": {"channels": 16}}, "fosp-s",
                            {"channels": 256}, bad)
