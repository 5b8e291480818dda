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
    with pytest.raises(StateError, match=r"another model configuration \(channels: state 16, config 256\)"):
        check_model_matches({"model_name": "fosp-s", "model_config": {"channels": 16}}, "fosp-s",
                            {"channels": 256}, bad)


@pytest.mark.filterwarnings("ignore:Seems like `optimizer.step\\(\\)` has been overridden")
def test_an_interrupt_during_the_weight_update_still_saves_a_whole_state(demo_dir: Path, tmp_path: Path) -> None:
    """Ctrl-C (or the app's Stop) arriving inside the optimizer step is held back until the
    update is done, so the state written on the way out is whole and resumable."""
    import os
    import signal

    from fosp_core.train.loop import Trainer
    from fosp_core.train.state import load_state
    from tests.unit.test_train_support import tiny_config

    torch.set_num_threads(1)
    cfg = tiny_config(demo_dir, tmp_path, train={"iterations": 6, "save_every": 0})
    trainer = Trainer(cfg)
    step = trainer.optimizer.step
    calls = {"n": 0}

    def step_and_interrupt(*args, **kwargs):  # noqa: ANN002, ANN003
        calls["n"] += 1
        if calls["n"] == 3:
            os.kill(os.getpid(), signal.SIGINT)  # lands in the middle of the third update
        return step(*args, **kwargs)

    trainer.optimizer.step = step_and_interrupt  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        trainer.run()
    state = load_state(cfg.run_dir() / "last.pt")
    assert state["iteration"] == 3  # the interrupted update finished and was saved
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handler restored
    resumed = Trainer(tiny_config(demo_dir, tmp_path, train={"iterations": 6, "save_every": 0}), resume=True)
    assert resumed.iteration == 3
    resumed.run()
    assert load_state(cfg.run_dir() / "last.pt")["iteration"] == 6
