"""Review of 10b124b9 (a resume validates a run stopped in its final validation): a Ctrl-C that lands
after the validation's ``val`` record is written - while best.safetensors is written, the seconds of a
validation spent saving - left a state that no resume mends. `keep_best` sets ``trainer.best`` (iteration
3) before it writes the file, the stop's `last.pt` takes that best, and the resume finds the ``val``
record of iteration 3: "complete", never validated again, no best.safetensors (or the previous best's
weights under a best that names iteration 3). The validation's record, the best and its files are now
one piece: a stop there lands after them (`interrupt_after`, as the optimiser update does).

A real SIGINT (not a KeyboardInterrupt raised by the test): it is what the process receives."""

from __future__ import annotations

import io
import os
import signal
from pathlib import Path
from typing import Any

import pytest
import torch

from fosp_core.train.loop import Trainer
from fosp_core.train.state import load_state
from tests.unit.test_train_support import tiny_config


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix", reason="os.kill(SIGINT) to itself: POSIX")
def test_a_stop_while_the_best_is_written_leaves_it_written(demo_dir: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    cfg = tiny_config(demo_dir, tmp_path, data={"val": [{"path": demo_dir.name}]},
                      train={"iterations": 3, "save_every": 0, "val_every": 0})
    first = Trainer(cfg, stream=io.StringIO())
    save = first.task.save_weights

    def ctrl_c_while_saving(*args: Any, **kwargs: Any) -> Any:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C as the best's file is being written
        return save(*args, **kwargs)

    monkeypatch.setattr(first.task, "save_weights", ctrl_c_while_saving)
    with pytest.raises(KeyboardInterrupt):
        first.run()
    saved = load_state(cfg.run_dir() / "last.pt")
    assert saved["iteration"] == 3
    best = cfg.run_dir() / "best.safetensors"
    assert best.is_file(), f"the saved state names a best {saved.get('best')} whose file was never written"

    stream = io.StringIO()
    result = Trainer(cfg, resume=True, stream=stream).run()
    assert result.best is not None and result.best["iteration"] == 3
    assert best.is_file() and (cfg.run_dir() / "best.json").is_file(), stream.getvalue()
