"""Review of c6592a65 / 4551b27c (a stop saves the state whole): a second Ctrl-C while that state is being
written - the impatient user's second press, a scheduler's SIGTERM after the app's Stop, `timeout`'s signal
after a SIGINT - broke off the save of `last.pt`: no state (or an older one of the last `save_every`),
and only `fosp`'s bare "interrupted", not where the run stands. The save now finishes first (the second
stop is held back during it, as during an update) and the run says where its state is. A real SIGINT."""

from __future__ import annotations

import io
import os
import signal
from pathlib import Path
from typing import Any

import pytest
import torch

from fosp_core.train import loop as loop_module
from fosp_core.train.loop import Trainer
from fosp_core.train.state import load_state
from tests.unit.test_train_support import tiny_config


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.mark.skipif(os.name != "posix", reason="os.kill(SIGINT) to itself: POSIX")
def test_a_second_stop_during_the_save_leaves_the_state_saved(demo_dir: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    cfg = tiny_config(demo_dir, tmp_path, train={"iterations": 4, "save_every": 0})
    stream = io.StringIO()
    trainer = Trainer(cfg, stream=stream)
    real_loss, real_save = trainer.task.loss, loop_module.save_state

    def first_stop(model, x, y, key):  # noqa: ANN001, ANN202
        if trainer.iteration == 2:
            raise KeyboardInterrupt  # the first Ctrl-C, inside the step
        return real_loss(model, x, y, key)

    def second_stop_while_saving(*args: Any, **kwargs: Any) -> Any:
        os.kill(os.getpid(), signal.SIGINT)  # the second press, as the state is written
        return real_save(*args, **kwargs)

    monkeypatch.setattr(trainer.task, "loss", first_stop)
    monkeypatch.setattr(loop_module, "save_state", second_stop_while_saving)
    with pytest.raises(KeyboardInterrupt):
        trainer.run()
    state = cfg.run_dir() / "last.pt"
    assert state.is_file(), "the second stop broke off the save: " + stream.getvalue()
    assert load_state(state)["iteration"] == 2
    assert "interrupted: state saved at iteration 2" in stream.getvalue()
    assert trainer.interrupt_told
