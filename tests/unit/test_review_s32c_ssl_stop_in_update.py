"""`fosp train-ssl` stopped by Ctrl-C (or the process group's SIGTERM, 4551b27c) during a step's backward or
update - most of a step's time - saved nothing: `SSLTrainer._step` marks the update (`_updating`, so that
no torn state is saved) without holding the stop back as `fosp train`'s update does (`interrupt_after`),
so the stop fell inside it and `run` skipped the save: "interrupted", every iteration since the last
`save_every` lost, and no word of it. The stop now lands after the update, whose state is saved whole, and
the resume ends with the weights of a run never stopped. A real SIGINT, as the process receives it."""

from __future__ import annotations

import io
import os
import signal
from pathlib import Path
from typing import Any

import pytest
import torch

from fosp_core.train.ssl import SSLTrainer, resume_config
from fosp_core.train.state import load_state
from tests.unit.test_train_ssl import _cfg, data_root  # noqa: F401 (the fixture)


@pytest.mark.skipif(os.name != "posix", reason="os.kill(SIGINT) to itself: POSIX")
def test_a_stop_during_the_update_saves_the_state(data_root: Path, tmp_path: Path) -> None:  # noqa: F811
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    straight = SSLTrainer(_cfg(data_root, tmp_path, name="straight", save_every=0), stream=io.StringIO())
    straight.run()

    cfg = _cfg(data_root, tmp_path, name="split", save_every=0)
    first = SSLTrainer(cfg, stream=io.StringIO())
    real_step = first.optimizer.step

    def ctrl_c_in_the_update(*args: Any, **kwargs: Any) -> Any:
        if first.iteration == 2:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C as the weights are being updated
        return real_step(*args, **kwargs)

    first.optimizer.step = ctrl_c_in_the_update  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        first.run()
    state = cfg.run_dir() / "last.pt"
    assert state.is_file(), "a stop during the update saved nothing"
    assert load_state(state)["iteration"] == 3

    resumed_cfg, saved = resume_config(True, {"name": "split", "runs_dir": str(tmp_path)})
    resumed = SSLTrainer(resumed_cfg, resume=saved, stream=io.StringIO())
    resumed.run()
    for key, value in straight.model.state_dict().items():
        assert torch.equal(value, resumed.model.state_dict()[key]), key


@pytest.mark.skipif(os.name != "posix", reason="os.kill(SIGINT) to itself: POSIX")
def test_a_second_stop_during_the_save_leaves_the_state_saved(data_root: Path, tmp_path: Path,  # noqa: F811
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A second Ctrl-C while the first stop's state was written broke off the save (no last.pt)."""
    from fosp_core.train import ssl as ssl_module

    cfg = _cfg(data_root, tmp_path, name="twice", save_every=0)
    stream = io.StringIO()
    first = SSLTrainer(cfg, stream=stream)
    real_step, real_save = SSLTrainer._step, ssl_module.save_state

    def first_stop(self: SSLTrainer, images: torch.Tensor, masks: torch.Tensor) -> float:
        if self.iteration == 2:
            raise KeyboardInterrupt
        return real_step(self, images, masks)

    def second_stop_while_saving(*args: Any, **kwargs: Any) -> Any:
        os.kill(os.getpid(), signal.SIGINT)
        return real_save(*args, **kwargs)

    monkeypatch.setattr(SSLTrainer, "_step", first_stop)
    monkeypatch.setattr(ssl_module, "save_state", second_stop_while_saving)
    with pytest.raises(KeyboardInterrupt):
        first.run()
    assert load_state(cfg.run_dir() / "last.pt")["iteration"] == 2
    assert "interrupted: state and" in stream.getvalue()
