"""The iteration a stopped run is said to stand at (R3 review, session 35: the Fine-tune dialog's Stop on a real
export said "Stopped at iteration 5; the state is saved", its log "interrupted: state saved at iteration 6", and
Resume went on from 6; a CLI run stopped at 18 was offered in a later session as stopped at 10, its last logged
iteration of `train.log_every`). The dialog and the earlier-session offer read the run's log.jsonl, whose last
`train` record is the last logged iteration, not the saved one: a stop now writes a `stopped` event with the
saved iteration, which `ProgressReader` takes."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from app.training.outcome import STOPPED, run_end
from fosp_core.train.finetune import ProgressReader
from fosp_core.train.loop import Trainer
from fosp_core.train.state import load_state
from tests.unit.test_train_support import tiny_config


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def test_a_stop_between_two_logged_iterations_is_said_at_the_saved_one(demo_dir: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tiny_config(demo_dir, tmp_path, train={"iterations": 10, "log_every": 5, "save_every": 0})
    trainer = Trainer(cfg, stream=io.StringIO())
    real_loss = trainer.task.loss

    def stop_at_7(model, x, y, key):  # noqa: ANN001, ANN202
        if trainer.iteration == 7:
            raise KeyboardInterrupt  # the dialog's Stop (SIGINT), between the logs of 5 and 10
        return real_loss(model, x, y, key)

    monkeypatch.setattr(trainer.task, "loss", stop_at_7)
    with pytest.raises(KeyboardInterrupt):
        trainer.run()
    run_dir = cfg.run_dir()
    assert load_state(run_dir / "last.pt")["iteration"] == 7
    progress = ProgressReader(run_dir, planned=10).poll()
    assert progress.iteration == 7, "the run's log still ends at its last logged iteration"
    assert [it for it, _ in progress.losses] == [5], "the loss curve keeps its logged points only"
    plan = SimpleNamespace(run_dir=run_dir, model_out=run_dir / "model.safetensors")  # as FineTunePlan
    end = run_end(STOPPED, plan, progress, [])  # type: ignore[arg-type]
    assert end.text.startswith("Stopped at iteration 7;")
