"""Ctrl-C during a run's final validation saved the state at its last iteration and said "continue with
--resume"; the resume then said "run NAME is complete (6 iterations)" and never validated: no
best.safetensors, nothing for `fosp train-export` (found with `fosp train` on the demo images at
val_size 1024, SIGINT while it validated). A resume of a run whose last iteration has no validation
now validates it (and keeps the best checkpoint) before it says the run is complete; a run that
validated at its end is not validated again."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import torch

from fosp_core.train.loop import Trainer
from tests.unit.test_train_support import tiny_config


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _cfg(demo_dir: Path, tmp_path: Path):  # noqa: ANN202
    return tiny_config(demo_dir, tmp_path, data={"val": [{"path": demo_dir.name}]},
                       train={"iterations": 3, "save_every": 0, "val_every": 0})


def _counted(trainer: Trainer, monkeypatch: pytest.MonkeyPatch, stop: bool = False) -> list[int]:
    validate, calls = trainer.task.validate, []

    def counted(*args: Any) -> Any:
        calls.append(trainer.iteration)
        if stop:
            raise KeyboardInterrupt  # Ctrl-C while it validates
        return validate(*args)

    monkeypatch.setattr(trainer.task, "validate", counted)
    return calls


def test_a_resume_validates_a_run_stopped_in_its_final_validation(demo_dir: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = _cfg(demo_dir, tmp_path)
    first = Trainer(cfg, stream=io.StringIO())
    _counted(first, monkeypatch, stop=True)
    with pytest.raises(KeyboardInterrupt):
        first.run()
    assert first.iteration == 3 and not (cfg.run_dir() / "best.safetensors").exists()

    stream = io.StringIO()
    resumed = Trainer(cfg, resume=True, stream=stream)
    calls = _counted(resumed, monkeypatch)
    result = resumed.run()
    said = stream.getvalue()
    assert calls == [3], said  # was []: "complete", never validated
    assert result.best is not None and result.best["iteration"] == 3
    assert (cfg.run_dir() / "best.safetensors").is_file()
    assert "run tiny has no validation of its last iteration 3 (stopped before or during it): validating it now" \
        in said, said
    assert "run tiny is complete (3 iterations)" in said

    stream = io.StringIO()
    again = Trainer(cfg, resume=True, stream=stream)
    calls = _counted(again, monkeypatch)
    again.run()
    assert calls == [] and "validating it now" not in stream.getvalue()  # validated at its end: not again
